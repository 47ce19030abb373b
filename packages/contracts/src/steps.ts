import { z } from 'zod';

/** Limits on user text, in characters. Suno itself caps lyrics near 3000 and tags near 200. */
export const LIMITS = {
  description: 3000,
  lyrics: 5000,
  title: 200,
  tags: 500,
  id: 200,
  url: 2048,
  model: 64,
  maxSteps: 10,
  maxSeconds: 3600,
  /** `upstream` extras: keys, JSON size, length of one string value. */
  upstreamKeys: 16,
  upstreamBytes: 2048,
  upstreamString: 1000,
} as const;

/**
 * Fields Refrain itself sends in some dialect (docs/providers.md). An `upstream` extra
 * may not name them: the step's own fields say these, and callback and task fields are
 * Refrain's alone.
 */
export const UPSTREAM_RESERVED: readonly string[] = [
  'action', 'async', 'audio_id', 'audio_url', 'callback_url', 'clip_id', 'continue_at', 'continue_clip_id',
  'continued_aligned_prompt', 'cover_clip_id', 'custom', 'generation_type', 'gpt_description_prompt', 'id', 'ids',
  'infill_end_s', 'infill_start_s', 'instrumental', 'is_infill', 'artist_clip_id', 'lyric', 'make_instrumental',
  'model', 'mv', 'negative_tags', 'notify_hook', 'persona_id', 'prompt', 'replace_section_end', 'replace_section_start',
  'stem_task', 'stem_type_group_name', 'stem_type_id', 'style', 'style_negative', 'tags', 'task', 'task_id', 'title', 'url',
];

/**
 * Extra fields passed verbatim to the provider (`vocal_gender`, `style_weight`, ...): a small
 * flat object of scalars, so a new provider feature needs no Refrain release.
 */
export const upstreamExtras = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'field names are lowercase letters, digits and _, at most 64'),
    z.union([z.string().max(LIMITS.upstreamString), z.number(), z.boolean(), z.null()], {
      error: 'values are strings, numbers, booleans or null (the object is flat)',
    }),
  )
  .superRefine((extras, ctx) => {
    const keys = Object.keys(extras);
    if (keys.length > LIMITS.upstreamKeys) ctx.addIssue({ code: 'custom', message: `at most ${LIMITS.upstreamKeys} fields` });
    if (JSON.stringify(extras).length > LIMITS.upstreamBytes) ctx.addIssue({ code: 'custom', message: `at most ${LIMITS.upstreamBytes} bytes as JSON` });
    for (const k of keys) {
      if (UPSTREAM_RESERVED.includes(k)) {
        ctx.addIssue({ code: 'custom', path: [k], message: `"${k}" is a field Refrain sets itself; use the step's own fields` });
      }
    }
  });
export type UpstreamExtras = z.infer<typeof upstreamExtras>;

const text = (max: number) => z.string().max(max);
const id = z.string().min(1).max(LIMITS.id);
const seconds = z.number().min(0).max(LIMITS.maxSeconds);
const model = z.string().min(1).max(LIMITS.model);
const fromClip = z.number().int().min(0).max(9);
const httpUrl = z.url({ protocol: /^https?$/ }).max(LIMITS.url);

const upstream = { upstream: upstreamExtras.optional() };

const customFields = {
  prompt: text(LIMITS.lyrics).optional(),
  title: text(LIMITS.title).optional(),
  tags: text(LIMITS.tags).optional(),
  mv: model.optional(),
};

export const generateStep = z.strictObject({
  op: z.literal('generate'),
  ...upstream,
  gpt_description_prompt: text(LIMITS.description).min(1).optional(),
  make_instrumental: z.boolean().optional(),
  negative_tags: text(LIMITS.tags).optional(),
  ...customFields,
});

export const extendStep = z.strictObject({
  op: z.literal('extend'),
  ...upstream,
  continue_clip_id: id.optional(),
  from_clip: fromClip.optional(),
  continue_at: seconds,
  ...customFields,
});

export const uploadStep = z.strictObject({
  op: z.literal('upload'),
  ...upstream,
  audio_url: httpUrl,
});

export const concatStep = z.strictObject({
  op: z.literal('concat'),
  ...upstream,
  clip_id: id.optional(),
  from_clip: fromClip.optional(),
});

export const coverStep = z.strictObject({
  op: z.literal('cover'),
  ...upstream,
  clip_id: id.optional(),
  from_clip: fromClip.optional(),
  ...customFields,
});

export const replaceSectionStep = z
  .strictObject({
    op: z.literal('replace_section'),
    ...upstream,
    clip_id: id.optional(),
    from_clip: fromClip.optional(),
    infill_start_s: seconds,
    infill_end_s: seconds,
    ...customFields,
  })
  .refine((s) => s.infill_end_s > s.infill_start_s, {
    message: 'infill_end_s must be greater than infill_start_s',
    path: ['infill_end_s'],
  });

export const stemsStep = z.strictObject({
  op: z.literal('stems'),
  ...upstream,
  clip_id: id.optional(),
  from_clip: fromClip.optional(),
});

export const personaStep = z.strictObject({
  op: z.literal('persona'),
  ...upstream,
  persona_id: id,
  clip_id: id.optional(),
  from_clip: fromClip.optional(),
  make_instrumental: z.boolean().optional(),
  negative_tags: text(LIMITS.tags).optional(),
  ...customFields,
});

export const lyricsStep = z.strictObject({
  op: z.literal('lyrics'),
  ...upstream,
  prompt: text(LIMITS.description).min(1),
});

export const stepInput = z.discriminatedUnion('op', [
  generateStep,
  extendStep,
  uploadStep,
  concatStep,
  coverStep,
  replaceSectionStep,
  stemsStep,
  personaStep,
  lyricsStep,
]);
export type StepInput = z.infer<typeof stepInput>;
export type StepInputOf<O extends StepInput['op']> = Extract<StepInput, { op: O }>;

/** Fields a scenario's flat `input` may carry; each goes to the steps that know it (see core/scenarios). */
export const scenarioInput = z.strictObject({
  gpt_description_prompt: text(LIMITS.description).min(1).optional(),
  make_instrumental: z.boolean().optional(),
  prompt: text(LIMITS.lyrics).optional(),
  title: text(LIMITS.title).optional(),
  tags: text(LIMITS.tags).optional(),
  negative_tags: text(LIMITS.tags).optional(),
  mv: model.optional(),
  continue_at: seconds.optional(),
  from_clip: fromClip.optional(),
  audio_url: httpUrl.optional(),
  cover_prompt: text(LIMITS.lyrics).optional(),
  cover_tags: text(LIMITS.tags).optional(),
  cover_title: text(LIMITS.title).optional(),
  /** Goes to the steps that make songs (generate, extend, cover). */
  upstream: upstreamExtras.optional(),
});
export type ScenarioInput = z.infer<typeof scenarioInput>;
