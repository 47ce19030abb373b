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
} as const;

const text = (max: number) => z.string().max(max);
const id = z.string().min(1).max(LIMITS.id);
const seconds = z.number().min(0).max(LIMITS.maxSeconds);
const model = z.string().min(1).max(LIMITS.model);
const fromClip = z.number().int().min(0).max(9);
const httpUrl = z.url({ protocol: /^https?$/ }).max(LIMITS.url);

const customFields = {
  prompt: text(LIMITS.lyrics).optional(),
  title: text(LIMITS.title).optional(),
  tags: text(LIMITS.tags).optional(),
  mv: model.optional(),
};

export const generateStep = z.strictObject({
  op: z.literal('generate'),
  gpt_description_prompt: text(LIMITS.description).min(1).optional(),
  make_instrumental: z.boolean().optional(),
  negative_tags: text(LIMITS.tags).optional(),
  ...customFields,
});

export const extendStep = z.strictObject({
  op: z.literal('extend'),
  continue_clip_id: id.optional(),
  from_clip: fromClip.optional(),
  continue_at: seconds,
  ...customFields,
});

export const uploadStep = z.strictObject({
  op: z.literal('upload'),
  audio_url: httpUrl,
});

export const concatStep = z.strictObject({
  op: z.literal('concat'),
  clip_id: id.optional(),
  from_clip: fromClip.optional(),
});

export const coverStep = z.strictObject({
  op: z.literal('cover'),
  clip_id: id.optional(),
  from_clip: fromClip.optional(),
  ...customFields,
});

export const replaceSectionStep = z
  .strictObject({
    op: z.literal('replace_section'),
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
  clip_id: id.optional(),
  from_clip: fromClip.optional(),
});

export const personaStep = z.strictObject({
  op: z.literal('persona'),
  persona_id: id,
  clip_id: id.optional(),
  from_clip: fromClip.optional(),
  make_instrumental: z.boolean().optional(),
  negative_tags: text(LIMITS.tags).optional(),
  ...customFields,
});

export const lyricsStep = z.strictObject({
  op: z.literal('lyrics'),
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
});
export type ScenarioInput = z.infer<typeof scenarioInput>;
