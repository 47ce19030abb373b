import { useState } from 'preact/hooks';
import type { Client } from '../api';
import { clock, fileName } from '../format';
import { useMedia } from '../media';
import { CARRY_ON, CARRY_ON_LABELS, type CarryOn } from '../requests';
import type { ClipView, GenerationView, ProviderInfo } from '../types';
import { CarryOnPanel } from './carry-on';

export function Cover({ client, g, clip, size }: { client: Client; g: GenerationView; clip: ClipView; size: 'big' | 'small' }) {
  const img = useMedia(client, g.id, clip.id, 'image', Boolean(clip.image_url));
  return img.url ? <img class={`cover ${size}`} src={img.url} alt="" /> : <span class={`cover ${size} blank`} aria-hidden="true" />;
}

/** One clip: cover, title, style, duration, player, lyrics, download, and what to do next with it. */
export function ClipCard({ client, g, clip, provider, onCreated }: {
  client: Client; g: GenerationView; clip: ClipView; provider: ProviderInfo | undefined; onCreated: (g: GenerationView) => void;
}) {
  const ready = clip.status === 'complete' && Boolean(clip.audio_url);
  const audio = useMedia(client, g.id, clip.id, 'audio', ready);
  const [action, setAction] = useState<CarryOn | null>(null);
  const title = clip.title || 'Untitled';
  return (
    <article class="clip" data-clip={clip.id} aria-label={`${title}, clip ${clip.id}`}>
      <div class="clip-top">
        <Cover client={client} g={g} clip={clip} size="big" />
        <div class="clip-info">
          <h4 class="clip-title">{title}</h4>
          {clip.tags ? <p class="clip-style">{clip.tags}</p> : null}
          <p class="clip-meta">
            {clock(clip.duration)} · {clip.model ?? 'model unknown'} · <span class={`cl-${clip.status}`}>{clip.status}</span>
          </p>
        </div>
      </div>
      {ready ? (
        audio.url ? (
          <audio class="player" controls preload="metadata" src={audio.url} aria-label={`Play ${title}`} />
        ) : (
          <p class="help">{audio.error ? `The audio could not be loaded: ${audio.error}` : 'Loading the audio…'}</p>
        )
      ) : (
        <p class="help">{clip.status === 'error' ? 'This clip failed upstream.' : 'Being made; the player appears when the clip is complete.'}</p>
      )}
      <div class="clip-actions">
        {audio.url ? (
          <a class="button" href={audio.url} download={fileName(clip.title, clip.id, audio.type)}>
            Download
          </a>
        ) : null}
        {ready
          ? CARRY_ON.map((a) => {
              const offered = provider?.operations.includes(a) ?? true;
              return (
                <button key={a} type="button" aria-expanded={action === a} disabled={!offered} title={offered ? undefined : `${g.provider} does not offer ${a}`}
                  onClick={() => setAction(action === a ? null : a)}>
                  {CARRY_ON_LABELS[a]}
                </button>
              );
            })
          : null}
      </div>
      {clip.lyrics ? (
        <details class="lyrics">
          <summary>Lyrics</summary>
          {/* focusable: the box scrolls when the lyrics are long */}
          <pre tabIndex={0} aria-label={`Lyrics of ${title}`}>{clip.lyrics}</pre>
        </details>
      ) : null}
      {action ? <CarryOnPanel key={action} action={action} client={client} g={g} clip={clip} provider={provider} onCreated={onCreated} onClose={() => setAction(null)} /> : null}
    </article>
  );
}
