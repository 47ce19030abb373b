import { useState } from 'preact/hooks';
import type { Client } from '../api';
import { clock } from '../format';
import { LIMITS } from '../limits';
import { explainProblem, NO_ERRORS, type FormErrors } from '../problem';
import { CARRY_ON_FIELDS, CARRY_ON_LABELS, carryOnDraft, carryOnRequest, type CarryOn, type CarryOnDraft } from '../requests';
import type { ClipView, GenerationView, ProviderInfo } from '../types';
import { Check, FormAlert, NumberField, TextArea, TextField } from './fields';

const HELP: Record<CarryOn, string> = {
  extend: 'Continues the clip from the chosen second; joining makes one whole song of the original and its extension.',
  cover: 'The same song again in another style.',
  replace_section: 'Sings the chosen section again; the rest stays as it is.',
  stems: 'Separates the vocals from the instrumental.',
  concat: 'Joins the clip and everything it extends into one song.',
};

interface Props {
  action: CarryOn;
  client: Client;
  g: GenerationView;
  clip: ClipView;
  provider: ProviderInfo | undefined;
  onCreated: (g: GenerationView) => void;
  onClose: () => void;
}

/** Starts a new generation from a clip: extend, cover, replace a section, stems or the whole song. */
export function CarryOnPanel({ action, client, g, clip, provider, onCreated, onClose }: Props) {
  const [d, setD] = useState<CarryOnDraft>(carryOnDraft(clip));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof CarryOnDraft>(k: K) => (v: CarryOnDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const fields = CARRY_ON_FIELDS[action];
  const id = (name: string) => `co-${clip.id}-${name}`;
  const err = (name: string) => errors.fields[name];
  const duration = clip.duration ?? 0;

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const created = await client.json<GenerationView>('/v1/generations', { body: carryOnRequest(action, g, clip, d, provider).body });
      setErrors(NO_ERRORS);
      onCreated(created);
      onClose();
    } catch (x) {
      const explained = explainProblem(x, fields);
      setErrors(explained);
      const bad = Object.keys(explained.fields)[0];
      if (bad) document.getElementById(id(bad))?.focus();
    } finally {
      setBusy(false);
    }
  };

  const start = Number(d.infill_start_s);
  const end = Number(d.infill_end_s);
  const pct = (s: number) => `${duration > 0 ? Math.min(100, Math.max(0, (s / duration) * 100)) : 0}%`;

  return (
    <form class="carry-on" onSubmit={submit} noValidate aria-label={`${CARRY_ON_LABELS[action]} ${clip.title ?? 'this clip'}`}>
      <p class="help">{HELP[action]}</p>
      {fields.includes('continue_at') ? (
        <>
          <NumberField id={id('continue_at')} label="Extend from second" min={0} max={LIMITS.maxSeconds} step={0.5} value={d.continue_at} onValue={set('continue_at')} error={err('continue_at')} unit="s" help={`The clip is ${clock(duration)} long.`} />
          <input type="range" class="scrub" aria-label="Extend from, on the clip's timeline" min={0} max={Math.max(1, duration)} step={0.5} value={d.continue_at} onInput={(e) => set('continue_at')((e.currentTarget as HTMLInputElement).value)} />
          <Check id={id('then_concat')} label="Then make the whole song (join the clip and its extension)" checked={d.then_concat} onValue={set('then_concat')} />
        </>
      ) : null}
      {fields.includes('infill_start_s') ? (
        <fieldset class="group">
          <legend>The section to replace</legend>
          <div class="section-bar" aria-hidden="true">
            <span class="section-pick" style={{ left: pct(Math.min(start, end)), width: `calc(${pct(Math.abs(end - start))})` }} />
          </div>
          <p class="help">
            From {clock(start)} to {clock(end)} of {clock(duration)}.
          </p>
          <div class="row">
            <div>
              <NumberField id={id('infill_start_s')} label="Start" min={0} step={0.5} value={d.infill_start_s} onValue={set('infill_start_s')} error={err('infill_start_s')} unit="s" />
              <input type="range" class="scrub" aria-label="Start, on the clip's timeline" min={0} max={Math.max(1, duration)} step={0.5} value={d.infill_start_s} onInput={(e) => set('infill_start_s')((e.currentTarget as HTMLInputElement).value)} />
            </div>
            <div>
              <NumberField id={id('infill_end_s')} label="End" min={0} step={0.5} value={d.infill_end_s} onValue={set('infill_end_s')} error={err('infill_end_s')} unit="s" />
              <input type="range" class="scrub" aria-label="End, on the clip's timeline" min={0} max={Math.max(1, duration)} step={0.5} value={d.infill_end_s} onInput={(e) => set('infill_end_s')((e.currentTarget as HTMLInputElement).value)} />
            </div>
          </div>
        </fieldset>
      ) : null}
      {fields.includes('tags') ? <TextField id={id('tags')} label={action === 'cover' ? 'New style' : 'Style'} limit={LIMITS.tags} value={d.tags} onValue={set('tags')} error={err('tags')} placeholder={clip.tags ?? ''} /> : null}
      {fields.includes('title') ? <TextField id={id('title')} label="Title" limit={LIMITS.title} value={d.title} onValue={set('title')} error={err('title')} /> : null}
      {fields.includes('prompt') ? <TextArea id={id('prompt')} label={action === 'replace_section' ? 'Lyrics for the section' : 'Lyrics (blank: let the provider continue)'} rows={3} limit={LIMITS.lyrics} value={d.prompt} onValue={set('prompt')} error={err('prompt')} /> : null}
      <FormAlert message={errors.general} />
      <div class="row-buttons">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Sending…' : `Start: ${CARRY_ON_LABELS[action].toLowerCase()}`}
        </button>
        <button type="button" onClick={onClose}>Close</button>
      </div>
    </form>
  );
}
