import { useEffect, useRef, useState } from 'preact/hooks';
import type { Client } from '../api';
import { useGeneration, useNow, type Link } from '../follow';
import { dayOf } from '../format';
import { generationLabel } from '../list';
import { describeEvent, timeline } from '../timeline';
import { isFinal, type ClipView, type GenerationView, type ProviderInfo } from '../types';
import { ClipCard } from './clip-card';
import { Timeline } from './timeline';

const LINK_WORDS: Record<Link, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  done: '',
};

/** The final song first (the last step's output), then the clips made along the way. */
export function orderClips(g: GenerationView): { finals: ClipView[]; along: ClipView[] } {
  const out = new Set(g.output?.clips ?? []);
  const last = g.steps.length - 1;
  const isFinalClip = (c: ClipView) => (out.size ? out.has(c.id) : c.step === last);
  return { finals: g.clips.filter(isFinalClip), along: g.clips.filter((c) => !isFinalClip(c)) };
}

/** One generation: its timeline from the live events, its clips to listen to, and what to do next. */
export function GenerationPanel({ client, id, providers, onCreated }: { client: Client; id: string; providers: ProviderInfo[]; onCreated: (g: GenerationView) => void }) {
  const { view, log, link, error } = useGeneration(client, id);
  useNow(Boolean(view && !isFinal(view.status))); // re-render every second while running, so timers move
  const heading = useRef<HTMLHeadingElement>(null);
  const [canceling, setCanceling] = useState(false);
  // A new or opened song takes the focus once it is there (the heading of the loaded panel).
  const loaded = Boolean(view);
  useEffect(() => { if (loaded) heading.current?.focus(); }, [id, loaded]);

  if (error) return <section class="card" aria-labelledby="gen-heading"><h2 id="gen-heading" tabIndex={-1} ref={heading}>Song</h2><p class="form-alert" role="alert">{error}</p></section>;
  if (!view) return <section class="card" aria-labelledby="gen-heading" aria-busy="true"><h2 id="gen-heading" tabIndex={-1} ref={heading}>Song</h2><p class="help">Loading…</p></section>;

  const provider = providers.find((p) => p.name === view.provider);
  const { finals, along } = orderClips(view);
  const last = log[log.length - 1];
  const cancel = async () => {
    setCanceling(true);
    await client.json(`/v1/generations/${view.id}/cancel`, { method: 'POST' }).catch(() => {});
    setCanceling(false);
  };

  return (
    <section class="card gen" aria-labelledby="gen-heading" data-generation={view.id} data-status={view.status}>
      <div class="gen-head">
        <h2 id="gen-heading" tabIndex={-1} ref={heading}>{generationLabel(view)}</h2>
        <p class="gen-meta">
          <span class={`badge big st-${view.status}`} id="gen-status">{view.status}</span>
          <span>{view.scenario ? `scenario ${view.scenario}` : `${view.steps.length} step${view.steps.length === 1 ? '' : 's'}`} · {view.provider} · {dayOf(view.created_at)}</span>
          {LINK_WORDS[link] ? <span class={`link-state ${link}`}>{LINK_WORDS[link]}</span> : null}
        </p>
        <p class="gen-id mono">{view.id}</p>
      </div>
      <p class="sr-only" role="status" aria-live="polite">{last ? describeEvent(last) : ''}</p>
      {view.error ? <p class="form-alert" role="alert"><strong>{view.error.code.replace(/_/g, ' ')}:</strong> {view.error.message}</p> : null}
      <h3>Progress</h3>
      <Timeline steps={timeline(view, log, Date.now())} createdAt={view.created_at} />
      {!isFinal(view.status) ? <button type="button" onClick={cancel} disabled={canceling}>Cancel what has not started</button> : null}
      {finals.length ? (
        <>
          <h3>{view.steps.length > 1 ? 'The song' : 'Clips'}</h3>
          <div class="clips">
            {finals.map((c) => <ClipCard key={c.id} client={client} g={view} clip={c} provider={provider} onCreated={onCreated} />)}
          </div>
        </>
      ) : null}
      {along.length ? <AlongTheWay client={client} g={view} clips={along} provider={provider} onCreated={onCreated} /> : null}
    </section>
  );
}

/** Clips of earlier steps, folded; their audio loads only when opened. */
function AlongTheWay({ client, g, clips, provider, onCreated }: { client: Client; g: GenerationView; clips: ClipView[]; provider: ProviderInfo | undefined; onCreated: (g: GenerationView) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <details class="along" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>Made along the way ({clips.length} clip{clips.length === 1 ? '' : 's'})</summary>
      {open ? <div class="clips">{clips.map((c) => <ClipCard key={c.id} client={client} g={g} clip={c} provider={provider} onCreated={onCreated} />)}</div> : null}
    </details>
  );
}
