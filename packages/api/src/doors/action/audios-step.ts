import { z } from 'zod';
import { actionAudiosFields, looseSeconds } from '@refrain/wire';
import type { ApiDeps } from '../../deps';
import { problem } from '../../http/problem';
import { resolveClipRef } from '../core/clip-ref';
import { modelOf, present } from '../core/fields';
import type { DoorSubmission } from '../core/submit';

/** Seed 004's body with AceData's fields (`replace_section_*`, `callback_url`, `async`); seconds also as numeric strings. */
export const audiosBody = z.object({
  ...actionAudiosFields,
  continue_at: looseSeconds,
  replace_section_start: looseSeconds,
  replace_section_end: looseSeconds,
});
export type AudiosBody = z.infer<typeof audiosBody>;

/** How this door names the step's fields, for its error messages. */
const CUSTOM_NAMES = {
  prompt: 'lyric', tags: 'style', negative_tags: 'style_negative', continue_clip_id: 'audio_id', clip_id: 'audio_id',
  infill_start_s: 'replace_section_start', infill_end_s: 'replace_section_end', make_instrumental: 'instrumental', mv: 'model',
};
const DESCRIPTION_NAMES = { gpt_description_prompt: 'prompt', make_instrumental: 'instrumental', mv: 'model' };

type Planned = Pick<DoorSubmission, 'step' | 'provider' | 'names'>;

/** Every action word as a Refrain step (docs/doors.md, action). Custom lyrics come in `lyric` (AceData), else `prompt`. */
export async function audiosStep(deps: ApiDeps, tenantId: string, b: AudiosBody): Promise<Planned> {
  const sings = b.instrumental !== true;
  const song = present({ prompt: sings ? (b.lyric ?? b.prompt) : undefined, title: b.title, tags: b.style, mv: modelOf(b.model) });
  const source = async () => {
    if (!b.audio_id) throw problem(400, `audio_id is required when ${b.action.replace(/_/g, ' ')} audio`);
    return resolveClipRef(deps, tenantId, b.audio_id, 'audio_id');
  };
  const on = (r: { provider?: string }) => ({ ...(r.provider ? { provider: r.provider } : {}), names: CUSTOM_NAMES });
  switch (b.action) {
    case 'generate':
      if (b.custom && sings && !(b.lyric ?? b.prompt)) throw problem(400, 'lyric is required when generate custom audio');
      if (b.custom) return { step: { op: 'generate', ...song, ...present({ negative_tags: b.style_negative, make_instrumental: b.instrumental }) }, names: CUSTOM_NAMES };
      if (!b.prompt) throw problem(400, 'prompt is required when generate audio');
      return { step: { op: 'generate', gpt_description_prompt: b.prompt, ...present({ make_instrumental: b.instrumental, mv: modelOf(b.model) }) }, names: DESCRIPTION_NAMES };
    case 'extend':
    case 'upload_extend': {
      const src = await source();
      return { step: { op: 'extend', continue_clip_id: src.clipId, ...present({ continue_at: b.continue_at }), ...song }, ...on(src) };
    }
    case 'cover':
    case 'upload_cover': {
      const src = await source();
      return { step: { op: 'cover', clip_id: src.clipId, ...song }, ...on(src) };
    }
    case 'replace_section': {
      const src = await source();
      const section = present({ infill_start_s: b.replace_section_start, infill_end_s: b.replace_section_end });
      return { step: { op: 'replace_section', clip_id: src.clipId, ...section, ...song }, ...on(src) };
    }
    case 'concat':
    case 'stems': {
      const src = await source();
      return { step: { op: b.action, clip_id: src.clipId }, ...on(src) };
    }
    case 'upload_generate':
      if (!b.audio_url) throw problem(400, 'audio_url is required when upload audio');
      return { step: { op: 'upload', audio_url: b.audio_url }, names: {} };
    case 'artist_consistency': {
      const src = b.audio_id ? await resolveClipRef(deps, tenantId, b.audio_id, 'audio_id') : undefined;
      const extra = present({ persona_id: b.persona_id, clip_id: src?.clipId, negative_tags: b.style_negative, make_instrumental: b.instrumental });
      return { step: { op: 'persona', ...extra, ...song }, ...on(src ?? {}) };
    }
  }
}
