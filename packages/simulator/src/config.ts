import { z } from 'zod';
import type { SimConfig, SimConfigPatch, SimShapes } from './types';

export const DEFAULT_DURATION_MS = 3000;
/** setTimeout cannot wait longer than this. */
export const MAX_DURATION_MS = 2_147_483_647;
/** AceData documents 1–2 minutes for a blocking submission; past this the simulator answers 504. */
export const DEFAULT_ACTION_BLOCK_MS = 120_000;

export const DEFAULT_SHAPES: SimShapes = {
  nativeUpload: 'envelope',
  relayClipStatus: 'status',
  relayLyricsData: 'object',
  relayNotifyHook: 'honoured',
  gatewayLyrics: 'bare',
};

export function defaultConfig(durationMs: number = DEFAULT_DURATION_MS): SimConfig {
  return {
    durationMs,
    faults: {
      rate5xx: 0,
      rateTimeout: 0,
      rateGarbage: 0,
      rate429: 0,
      retryAfterS: 1,
      timeoutMs: 30_000,
      neverFinishRate: 0,
      errorRate: 0,
    },
    dropCallbacks: false,
    callbackEnvelope: false,
    shapes: { ...DEFAULT_SHAPES },
    actionBlockMs: DEFAULT_ACTION_BLOCK_MS,
    rateLimit: null,
    credits: null,
  };
}

const rate = z.number().min(0).max(1);

/** Strict, so a typo in a test's config is an error instead of a silently ignored key. */
export const configPatchSchema = z.strictObject({
  durationMs: z.number().int().min(0).max(MAX_DURATION_MS).optional(),
  faults: z
    .strictObject({
      rate5xx: rate.optional(),
      rateTimeout: rate.optional(),
      rateGarbage: rate.optional(),
      rate429: rate.optional(),
      retryAfterS: z.number().int().min(0).max(86_400).optional(),
      timeoutMs: z.number().int().min(0).max(600_000).optional(),
      neverFinishRate: rate.optional(),
      errorRate: rate.optional(),
    })
    .optional(),
  dropCallbacks: z.boolean().optional(),
  callbackEnvelope: z.boolean().optional(),
  shapes: z
    .strictObject({
      nativeUpload: z.enum(['envelope', 'clip']).optional(),
      relayClipStatus: z.enum(['status', 'state']).optional(),
      relayLyricsData: z.enum(['object', 'array']).optional(),
      relayNotifyHook: z.enum(['honoured', 'dropped']).optional(),
      gatewayLyrics: z.enum(['bare', 'status']).optional(),
    })
    .optional(),
  actionBlockMs: z.number().int().min(0).max(MAX_DURATION_MS).optional(),
  rateLimit: z
    .strictObject({
      perSecond: z.number().int().min(1).max(1_000_000),
      window: z.enum(['second', 'sliding']).optional(),
      retryAfterS: z.number().int().min(0).max(3600).optional(),
    })
    .nullable()
    .optional(),
  credits: z.number().int().min(0).max(10_000_000).nullable().optional(),
});

/** Validates a patch (throws a readable Error) and returns the merged config. */
export function mergeConfig(current: SimConfig, patch: SimConfigPatch): SimConfig {
  const parsed = configPatchSchema.safeParse(patch);
  if (!parsed.success) throw new Error(formatIssues(parsed.error));
  const p = parsed.data;
  const faults = { ...current.faults };
  for (const [k, v] of Object.entries(p.faults ?? {})) {
    if (v !== undefined) faults[k as keyof typeof faults] = v;
  }
  const shapes = { ...current.shapes };
  for (const [k, v] of Object.entries(p.shapes ?? {})) {
    if (v !== undefined) (shapes as Record<string, string>)[k] = v;
  }
  return {
    durationMs: p.durationMs ?? current.durationMs,
    faults,
    dropCallbacks: p.dropCallbacks ?? current.dropCallbacks,
    callbackEnvelope: p.callbackEnvelope ?? current.callbackEnvelope,
    shapes,
    actionBlockMs: p.actionBlockMs ?? current.actionBlockMs,
    rateLimit:
      p.rateLimit === undefined
        ? current.rateLimit
        : p.rateLimit && { perSecond: p.rateLimit.perSecond, window: p.rateLimit.window ?? 'second', retryAfterS: p.rateLimit.retryAfterS ?? 1 },
    credits: p.credits === undefined ? current.credits : p.credits,
  };
}

/** One line per zod issue, `path: message`, so 400 answers say exactly what is wrong. */
export function formatIssues(err: z.ZodError): string {
  return err.issues
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
