import { z } from 'zod';
import { ACTIONS, actionAudiosFields, type ActionWord } from '@refrain/wire';
import type { SimContext } from '../context';
import { badRequest } from '../errors';
import { hookUrl, model } from '../schemas';
import { concatClip, songClips, stemClips, uploadClip } from '../songs';
import type { NewClip } from '../tasks';
import type { SimClip } from '../types';

/** What `POST /suno/audios` accepts (seed 004 and AceData) and the clips each action makes. */

export { ACTIONS };
export type Action = ActionWord;
const DEFAULT_MODEL = 'chirp-v4';

export const audiosBody = z.object({
  ...actionAudiosFields,
  model: model.nullish(),
  audio_url: z.url({ protocol: /^https?$/, error: 'audio_url must be an http(s) URL' }).nullish(),
  callback_url: hookUrl.nullish(),
});
export type AudiosBody = z.infer<typeof audiosBody>;

/** AceData's 400 words (its error table) where it has them. */
const need = (v: unknown, message: string): void => {
  if (v === undefined || v === null || v === '') throw badRequest(message);
};

/** The source clip of an edit; the upload_* actions are for uploaded clips only, and vice versa. */
function sourceOf(ctx: SimContext, b: AudiosBody): SimClip {
  need(b.audio_id, `audio_id is required when ${b.action.replace('_', ' ')} audio`);
  const src = ctx.store.source(b.audio_id ?? '').clip;
  const forUploads = b.action === 'upload_extend' || b.action === 'upload_cover';
  const twin = { extend: 'upload_extend', cover: 'upload_cover', upload_extend: 'extend', upload_cover: 'cover' }[b.action as string];
  if (twin && forUploads !== (src.kind === 'upload')) {
    throw badRequest(`Clip ${src.id} ${src.kind === 'upload' ? 'is' : 'is not'} an uploaded clip: use action "${twin}"`);
  }
  return src;
}

/** Custom-mode fields: lyrics in `lyric` (else `prompt`, the section's words of replace_section). */
function custom(b: AudiosBody, mv: string, source: SimClip | null, task: string | null, continueAt: number | null): NewClip[] {
  return songClips({
    lyrics: b.lyric ?? b.prompt ?? '',
    instrumental: b.instrumental,
    title: b.title,
    tags: b.style,
    negativeTags: b.style_negative,
    model: mv,
    source: source ? { clip: source, continueAt } : null,
    task,
  });
}

export function clipsFor(ctx: SimContext, b: AudiosBody): NewClip[] {
  const mv = b.model ?? DEFAULT_MODEL;
  const sings = b.instrumental !== true;
  switch (b.action) {
    case 'generate':
      if (b.custom) {
        if (sings) need(b.lyric, 'lyric is required when generate custom audio');
        return custom(b, mv, null, null, null);
      }
      need(b.prompt, 'prompt is required when generate audio');
      return songClips({ description: b.prompt, instrumental: b.instrumental, model: mv });
    case 'extend':
    case 'upload_extend': {
      const src = sourceOf(ctx, b);
      need(b.continue_at, 'continue_at is required when extend audio');
      if ((b.continue_at ?? 0) <= 0) throw badRequest('continue_at must be a number greater than 0');
      if (sings) need(b.lyric, 'lyric is required when extend audio and instrumental is false');
      return custom(b, mv, src, null, b.continue_at ?? null);
    }
    case 'upload_generate':
      need(b.audio_url, 'audio_url is required when upload audio');
      return [uploadClip(b.audio_url ?? '', mv)];
    case 'concat':
      return [concatClip(sourceOf(ctx, b))];
    case 'stems':
      return stemClips(sourceOf(ctx, b));
    case 'cover':
    case 'upload_cover':
      return custom(b, mv, sourceOf(ctx, b), 'cover', null);
    case 'replace_section': {
      const src = sourceOf(ctx, b);
      need(b.replace_section_start, 'replace_section_start is required when replace section');
      need(b.replace_section_end, 'replace_section_end is required when replace section');
      if ((b.replace_section_end ?? 0) <= (b.replace_section_start ?? 0)) throw badRequest('replace_section_end must be greater than replace_section_start');
      return custom(b, mv, src, 'infill', b.replace_section_start ?? null);
    }
    case 'artist_consistency':
      need(b.persona_id, 'persona_id is required when artist consistency');
      return custom(b, mv, null, 'artist_consistency', null);
  }
}
