import { z } from 'zod';

/**
 * The request bodies each seed documents, field by field. Both sides build on these: the
 * simulator (an upstream) narrows `mv` to the models it knows and URLs to real URLs; the
 * front doors keep them loose and let Refrain's own limits judge. Unknown fields are
 * ignored (z.object strips them), as the upstreams do.
 */

/** Optional text where clients also send null. */
export const text = z.string().nullish();
/** Seconds (seeds 002, 003: a number). */
export const seconds = z.number().min(0).nullish();
/** Seconds as a number or a numeric string (seed 001 documents every field as a string; gcui-art's `continue_at` is a string). */
export const looseSeconds = z
  .union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, 'expected a number of seconds').transform(Number)])
  .pipe(z.number().min(0))
  .nullish();
const flag = z.boolean().nullish();

/** Suno's edit tasks on the native generate endpoint (tu-zi, sibling proxies). */
export const NATIVE_TASKS = ['extend', 'cover', 'infill', 'artist_consistency', 'upload_extend', 'gen_stem'] as const;

/** native `POST /v1/suno/generate` (seed 002) and `/suno/v2/generate` (seed 000). */
export const nativeGenerateFields = {
  mv: z.string(),
  prompt: text,
  gpt_description_prompt: text,
  make_instrumental: flag,
  tags: text,
  title: text,
  negative_tags: text,
  continue_clip_id: text,
  continue_at: seconds,
  infill_start_s: seconds,
  infill_end_s: seconds,
  task: z.enum(NATIVE_TASKS).nullish(),
  cover_clip_id: text,
  persona_id: text,
  artist_clip_id: text,
  stem_task: text,
};
export const nativeUploadFields = { url: z.string(), mv: z.string().nullish() };
export const nativeConcatFields = { clip_id: z.string().min(1), is_infill: flag };
export const nativeLyricsFields = { prompt: z.string() };

/** relay `POST /suno/submit/music` (seed 003): inspiration, custom and continuation modes. */
export const relayMusicFields = {
  gpt_description_prompt: text,
  make_instrumental: flag,
  mv: z.string().nullish(),
  prompt: text,
  title: text,
  tags: text,
  negative_tags: text,
  task_id: text,
  continue_clip_id: text,
  continue_at: seconds,
  notify_hook: z.string().nullish(),
};
export const relayLyricsFields = { prompt: z.string({ error: 'prompt is required' }), notify_hook: z.string().nullish() };
/** `POST /suno/fetch` (new-api): `{ids, action?}`. */
export const relayFetchFields = {
  ids: z.array(z.string(), { error: 'ids must be an array of task ids' }),
  action: z.enum(['MUSIC', 'LYRICS']).nullish(),
};

/** gateway (seed 001). */
export const gatewayMusicFields = {
  prompt: z.string({ error: 'prompt is required (empty string = instrumental)' }),
  title: text,
  tags: text,
  negative_tags: text,
  mv: z.string().nullish(),
  continue_at: looseSeconds,
  continue_clip_id: text,
};
export const gatewayDescriptionFields = {
  gpt_description_prompt: z.string({ error: 'gpt_description_prompt is required' }).min(1, 'gpt_description_prompt must not be empty'),
  make_instrumental: flag,
  mv: z.string().nullish(),
  prompt: text,
};
export const gatewayLyricsFields = { prompt: z.string({ error: 'prompt is required' }) };
export const gatewayConcatFields = { clip_id: z.string({ error: 'clip_id is required' }).min(1) };

/** action `POST /suno/audios` (seed 004 and AceData): every `action` word. */
export const ACTIONS = [
  'generate', 'extend', 'upload_generate', 'concat', 'replace_section', 'upload_extend', 'upload_cover', 'stems',
  'artist_consistency', 'cover',
] as const;
export type ActionWord = (typeof ACTIONS)[number];
export const actionAudiosFields = {
  action: z.enum(ACTIONS, { error: `action is required: one of ${ACTIONS.join(', ')}` }),
  prompt: text,
  model: z.string().nullish(),
  custom: z.boolean({ error: 'custom must be a boolean' }).nullish(),
  instrumental: z.boolean({ error: 'instrumental must be a boolean' }).nullish(),
  audio_id: text,
  audio_url: z.string().nullish(),
  continue_at: seconds,
  style: text,
  lyric: text,
  title: text,
  is_pro: flag,
  style_negative: text,
  persona_id: text,
  replace_section_start: seconds,
  replace_section_end: seconds,
  callback_url: z.string().nullish(),
  async: flag,
};
export const actionUploadFields = { audio_url: z.string(), callback_url: z.string().nullish() };
/** AceData `POST /suno/tasks`: one task by `id`, or up to `max` by `ids`. */
export const actionTasksBody = (max: number) =>
  z.union(
    [
      z.object({ action: z.literal('retrieve'), id: z.string({ error: 'id is required' }).min(1) }),
      z.object({ action: z.literal('retrieve_batch'), ids: z.array(z.string(), { error: 'ids must be an array of task ids' }).max(max) }),
    ],
    { error: 'action must be "retrieve" (with id) or "retrieve_batch" (with ids)' },
  );
