import { useState } from 'preact/hooks';
import type { Client } from '../api';
import { LIMITS } from '../limits';
import { explainProblem, NO_ERRORS, type FormErrors } from '../problem';
import { EMPTY_DRAFT, PLAN_LABELS, PLAN_OPS, PLANS, shownFields, songRequest, type Plan, type SongDraft } from '../requests';
import type { GenerationView, ProviderInfo } from '../types';
import { Check, FormAlert, NumberField, SelectField, TextArea, TextField } from './fields';
import { LyricsHelper } from './lyrics-helper';

/** "Make a song": description or custom mode, a plan (one song or a named scenario), provider and model. */
export function SongForm({ client, providers, onCreated }: { client: Client; providers: ProviderInfo[]; onCreated: (g: GenerationView) => void }) {
  const first = providers.find((p) => p.default) ?? providers[0];
  const [d, setD] = useState<SongDraft>({ ...EMPTY_DRAFT, provider: first?.name ?? '', mv: first?.default_model ?? '' });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const provider = providers.find((p) => p.name === d.provider) ?? first;
  const set = <K extends keyof SongDraft>(k: K) => (v: SongDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const err = (name: string) => errors.fields[name];
  const shown = shownFields(d);
  const can = (plan: Plan) => PLAN_OPS[plan].every((op) => provider?.operations.includes(op) ?? true);

  const submit = async (e: Event) => {
    e.preventDefault();
    const { body, alias } = songRequest(d);
    setBusy(true);
    try {
      const g = await client.json<GenerationView>('/v1/generations', { body });
      setErrors(NO_ERRORS);
      onCreated(g);
    } catch (x) {
      const explained = explainProblem(x, shown, alias);
      setErrors(explained);
      const firstBad = Object.keys(explained.fields)[0];
      if (firstBad) document.getElementById(`song-${firstBad}`)?.focus();
    } finally {
      setBusy(false);
    }
  };

  const songFields =
    d.plan === 'lyrics_song' ? (
      <TextArea id="song-idea" label="What should the lyrics be about?" rows={3} limit={LIMITS.description} value={d.idea} onValue={set('idea')} error={err('idea')}
        help="The lyrics step writes the words first; the song then sings them." placeholder="two friends on a night train to the sea" />
    ) : d.plan === 'upload_extend' ? (
      <>
        <TextField id="song-audio_url" label="Audio file address" type="url" value={d.audio_url} onValue={set('audio_url')} error={err('audio_url')}
          help="An https address the provider can download." placeholder="https://example.com/song.mp3" />
        <TextArea id="song-lyrics" label="Lyrics for the continuation" rows={4} limit={LIMITS.lyrics} value={d.lyrics} onValue={set('lyrics')} error={err('lyrics')} />
      </>
    ) : d.mode === 'description' ? (
      <TextArea id="song-description" label="Describe the song" rows={3} limit={LIMITS.description} value={d.description} onValue={set('description')} error={err('description')}
        placeholder="an upbeat synth-pop song about a night drive" help="The provider writes the title, style and lyrics from this." />
    ) : (
      <>
        <TextArea id="song-lyrics" label="Lyrics" rows={7} limit={LIMITS.lyrics} value={d.lyrics} onValue={set('lyrics')} error={err('lyrics')} disabled={d.instrumental}
          placeholder={'[Verse]\n…\n[Chorus]\n…'} help="Sections in brackets, like [Verse] and [Chorus]." />
        <LyricsHelper client={client} provider={d.provider} onLyrics={(text, title) => setD((x) => ({ ...x, lyrics: text, title: x.title || title }))} />
      </>
    );

  return (
    <section class="card" aria-labelledby="make-heading">
      <h2 id="make-heading">Make a song</h2>
      <form onSubmit={submit} noValidate>
        <SelectField id="song-plan" label="What to make" value={d.plan} onValue={(v) => set('plan')(v as Plan)} error={err('plan')}
          options={PLANS.map((p) => ({ value: p, label: can(p) ? PLAN_LABELS[p] : `${PLAN_LABELS[p]} (not offered by ${provider?.name})`, disabled: !can(p) }))} />
        {d.plan !== 'lyrics_song' && d.plan !== 'upload_extend' ? (
          <fieldset class="modes">
            <legend>How</legend>
            {(['description', 'custom'] as const).map((m) => (
              <label key={m} class={d.mode === m ? 'mode on' : 'mode'}>
                <input type="radio" name="song-mode" value={m} checked={d.mode === m} onChange={() => set('mode')(m)} />
                {m === 'description' ? 'Describe it' : 'Write it yourself'}
              </label>
            ))}
          </fieldset>
        ) : null}
        {songFields}
        {shown.includes('title') ? <TextField id="song-title" label="Title" limit={LIMITS.title} value={d.title} onValue={set('title')} error={err('title')} /> : null}
        {shown.includes('tags') ? (
          <TextField id="song-tags" label="Style" limit={LIMITS.tags} value={d.tags} onValue={set('tags')} error={err('tags')} placeholder="dream pop, female vocals, 90 bpm" help="Genres, moods, instruments, voices." />
        ) : null}
        {shown.includes('negative_tags') ? (
          <TextField id="song-negative_tags" label="Styles to avoid" limit={LIMITS.tags} value={d.negative_tags} onValue={set('negative_tags')} error={err('negative_tags')} placeholder="heavy metal, screaming" />
        ) : null}
        {shown.includes('instrumental') ? <Check id="song-instrumental" label="Instrumental (no vocals)" checked={d.instrumental} onValue={set('instrumental')} error={err('instrumental')} /> : null}
        {shown.includes('continue_at') ? (
          <NumberField id="song-continue_at" label="Extend from second" min={0} max={LIMITS.maxSeconds} value={d.continue_at} onValue={set('continue_at')} error={err('continue_at')} unit="s" />
        ) : null}
        {d.plan === 'cover' ? (
          <fieldset class="group">
            <legend>The cover</legend>
            <TextField id="song-cover_tags" label="Cover style" limit={LIMITS.tags} value={d.cover_tags} onValue={set('cover_tags')} error={err('cover_tags')} placeholder="acoustic folk" />
            <TextField id="song-cover_title" label="Cover title" limit={LIMITS.title} value={d.cover_title} onValue={set('cover_title')} error={err('cover_title')} />
            <TextArea id="song-cover_prompt" label="Cover lyrics (blank: the same words)" rows={3} limit={LIMITS.lyrics} value={d.cover_prompt} onValue={set('cover_prompt')} error={err('cover_prompt')} />
          </fieldset>
        ) : null}
        <div class="row wide">
          <SelectField id="song-provider" label="Provider" value={d.provider} error={err('provider')}
            onValue={(v) => {
              const p = providers.find((x) => x.name === v);
              setD((x) => ({ ...x, provider: v, mv: p?.default_model ?? '' }));
            }}
            options={providers.map((p) => ({ value: p.name, label: `${p.name} · ${p.dialect}${p.default ? ' (default)' : ''}` }))} />
          <SelectField id="song-mv" label="Model" value={d.mv} onValue={set('mv')} error={err('mv')}
            options={(provider?.models ?? []).map((m) => ({ value: m, label: m === provider?.default_model ? `${m} (default)` : m }))} />
        </div>
        <FormAlert message={errors.general} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Sending…' : 'Make the song'}
        </button>
      </form>
    </section>
  );
}
