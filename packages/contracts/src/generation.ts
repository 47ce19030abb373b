import { z } from 'zod';
import { LIMITS, scenarioInput, stepInput } from './steps';
import {
  CLIP_STATUSES,
  ERROR_CODES,
  GENERATION_STATUSES,
  OPS,
  SCENARIOS,
  STEP_STATUSES,
  WEBHOOK_EVENTS,
} from './vocabulary';

const metadata = z
  .record(z.string().max(64), z.unknown())
  .refine((m) => Object.keys(m).length <= 32, 'metadata holds at most 32 keys')
  .refine((m) => JSON.stringify(m).length <= 8192, 'metadata is at most 8 KiB as JSON');

const common = {
  provider: z.string().min(1).max(64).optional().describe('A provider, or a pool of them (GET /v1/providers lists both); default DEFAULT_PROVIDER.'),
  callback_url: z.url({ protocol: /^https?$/ }).max(LIMITS.url).optional(),
  webhook_events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).optional(),
  metadata: metadata.optional(),
};

export const createGenerationFromSteps = z.strictObject({
  steps: z.array(stepInput).min(1).max(LIMITS.maxSteps),
  ...common,
});
export const createGenerationFromScenario = z.strictObject({
  scenario: z.enum(SCENARIOS),
  input: scenarioInput,
  ...common,
});
export const createGenerationRequest = z.union([createGenerationFromSteps, createGenerationFromScenario]);
export type CreateGenerationRequest = z.infer<typeof createGenerationRequest>;

/**
 * Parse a create request against the one shape it claims (`scenario` present or not), so
 * errors point at the real field (e.g. `steps.1.continue_at`) instead of "no union member".
 */
export function parseCreateGeneration(body: unknown) {
  const isScenario = typeof body === 'object' && body !== null && 'scenario' in body;
  const schema = isScenario ? createGenerationFromScenario : createGenerationFromSteps;
  return schema.safeParse(body) as z.ZodSafeParseResult<CreateGenerationRequest>;
}

export const generationError = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  step: z.number().int().nullable(),
});
export type GenerationError = z.infer<typeof generationError>;

const member = z.object({ provider: z.string(), reason: z.string() });

/** How a pool chose the provider of a step's last submission (docs/providers.md, "Provider pools"). */
export const stepRoute = z
  .object({
    pool: z.string(),
    provider: z.string(),
    reason: z.string(),
    at: z.string(),
    passed: z.array(member).describe('Members left out, and why: they lack the operation or model, or failed this step already.'),
    failovers: z.array(member.extend({ at: z.string() })).describe('Members tried first that provably made nothing, and why the step moved on.'),
  })
  .describe('Set for a step of a pool once a member was chosen; null otherwise.');

export const stepView = z.object({
  index: z.number().int(),
  op: z.enum(OPS),
  status: z.enum(STEP_STATUSES),
  provider: z.string().nullable().describe('The provider that runs (or ran) the step; null for a step of a pool before a member is chosen.'),
  route: stepRoute.nullable(),
  upstream_task_id: z.string().nullable(),
  clip_ids: z.array(z.string()),
  /** The lyrics a `lyrics` step wrote (null for other steps). */
  lyrics: z.object({ title: z.string(), text: z.string() }).nullable(),
  error: generationError.nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type StepView = z.infer<typeof stepView>;

export const clipView = z.object({
  id: z.string(),
  step: z.number().int(),
  status: z.enum(CLIP_STATUSES),
  title: z.string().nullable(),
  tags: z.string().nullable(),
  lyrics: z.string().nullable(),
  audio_url: z.string().nullable(),
  video_url: z.string().nullable(),
  image_url: z.string().nullable(),
  duration: z.number().nullable(),
  model: z.string().nullable(),
});
export type ClipView = z.infer<typeof clipView>;

export const lyricsResult = z.object({ title: z.string(), text: z.string() });
export type LyricsResult = z.infer<typeof lyricsResult>;

export const generationView = z.object({
  id: z.string(),
  status: z.enum(GENERATION_STATUSES),
  provider: z.string(),
  scenario: z.enum(SCENARIOS).nullable(),
  metadata: z.record(z.string(), z.unknown()),
  steps: z.array(stepView),
  clips: z.array(clipView),
  output: z.object({ clips: z.array(z.string()), lyrics: lyricsResult.nullable() }).nullable(),
  error: generationError.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
});
export type GenerationView = z.infer<typeof generationView>;

export const generationList = z.object({
  data: z.array(generationView),
  next_cursor: z.string().nullable(),
});

export const listGenerationsQuery = z.strictObject({
  status: z.enum(GENERATION_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export const waitQuery = z.strictObject({
  wait: z.coerce.number().min(0).max(60).optional(),
});
