/** The fixed words of Refrain's domain, shared by every package. */
export const OPS = [
  'generate',
  'extend',
  'upload',
  'concat',
  'cover',
  'replace_section',
  'stems',
  'persona',
  'lyrics',
] as const;
export type Op = (typeof OPS)[number];

export const DIALECTS = ['native', 'gateway', 'relay', 'action'] as const;
export type Dialect = (typeof DIALECTS)[number];

export const CLIP_STATUSES = ['submitted', 'queued', 'streaming', 'complete', 'error'] as const;
export type ClipStatus = (typeof CLIP_STATUSES)[number];

/** Order used for compare-and-set: a clip never moves to a lower rank. */
export const CLIP_STATUS_RANK: Record<ClipStatus, number> = {
  submitted: 0,
  queued: 1,
  streaming: 2,
  complete: 3,
  error: 3,
};

export const STEP_STATUSES = ['pending', 'submitting', 'waiting', 'succeeded', 'failed', 'canceled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const GENERATION_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type GenerationStatus = (typeof GENERATION_STATUSES)[number];

export const FINAL_GENERATION_STATUSES: readonly GenerationStatus[] = ['succeeded', 'failed', 'canceled'];
export const isFinalGeneration = (s: GenerationStatus): boolean => FINAL_GENERATION_STATUSES.includes(s);
export const FINAL_STEP_STATUSES: readonly StepStatus[] = ['succeeded', 'failed', 'canceled'];

/** Task-level state of an upstream task, as an adapter sums it up. */
export const UPSTREAM_STATES = ['running', 'complete', 'error'] as const;
export type UpstreamState = (typeof UPSTREAM_STATES)[number];

export const SCENARIOS = ['extend_full', 'upload_extend', 'cover', 'lyrics_song'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const WEBHOOK_EVENTS = [
  'generation.succeeded',
  'generation.failed',
  'generation.canceled',
  'step.succeeded',
  'clip.streaming',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const DEFAULT_WEBHOOK_EVENTS: WebhookEvent[] = [
  'generation.succeeded',
  'generation.failed',
  'generation.canceled',
];

/** Error codes a generation or step can carry in `error.code`. */
export const ERROR_CODES = [
  'upstream_rejected',
  'upstream_failed',
  'upstream_timeout',
  'upstream_unavailable',
  'upstream_bad_response',
  /** A submission was sent but no answer came back; it is not re-sent (docs/providers.md). */
  'submit_outcome_unknown',
  /** A step of a pool works on a clip whose provider cannot run it (docs/providers.md, "Provider pools"). */
  'provider_unfit',
  'canceled',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Refrain's model names (the version spelling, as AceData documents them). A request may
 * also use a provider's codename (`chirp-auk`...); each dialect sends its own spelling.
 */
export const MODELS = ['chirp-v3-0', 'chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-v4-5-plus', 'chirp-v5', 'chirp-v5-5'] as const;
export type Model = (typeof MODELS)[number];

/** Suno's own codenames of the newer models (the `mv` of Suno's web API and its proxies). */
export const MODEL_CODENAMES: Readonly<Partial<Record<Model, string>>> = {
  'chirp-v4-5': 'chirp-auk',
  'chirp-v4-5-plus': 'chirp-bluejay',
  'chirp-v5': 'chirp-crow',
  'chirp-v5-5': 'chirp-fenix',
};
