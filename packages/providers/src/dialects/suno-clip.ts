import type { ClipStatus } from '@refrain/contracts';
import { z } from 'zod';
import { mapClipStatus, type Warn } from '../status';
import type { ClipSnapshot } from '../types';

const metadataSchema = z
  .looseObject({
    tags: z.string().nullish(),
    prompt: z.string().nullish(),
    duration: z.number().nullish(),
    error_type: z.string().nullish(),
    error_message: z.string().nullish(),
  })
  .nullish();

/**
 * A clip as Suno's web API describes it (seed 002). Native answers are made of these,
 * the relay's MUSIC tasks carry them in `data`, and the gateway's `/gateway/query` answers
 * them with `meta_data` for `metadata`. Some relays say `state: "succeeded"` instead of
 * `status`. Only the fields we read are checked.
 */
export const sunoClipSchema = z
  .looseObject({
    id: z.string().min(1),
    status: z.string().optional(),
    state: z.string().optional(),
    title: z.string().nullish(),
    audio_url: z.string().nullish(),
    video_url: z.string().nullish(),
    image_url: z.string().nullish(),
    image_large_url: z.string().nullish(),
    model_name: z.string().nullish(),
    metadata: metadataSchema,
    meta_data: metadataSchema,
  })
  .refine((c) => c.status !== undefined || c.state !== undefined, 'a clip needs status (or state)');
export type SunoClip = z.infer<typeof sunoClipSchema>;

/** Upstreams send "" for URLs they do not have yet; Refrain stores null. */
export const urlOrNull = (u: string | null | undefined): string | null => (u ? u : null);

/** Clip status words of Suno's web API; the native and gateway dialects use them as is. */
export const SUNO_CLIP_STATUS: Record<string, ClipStatus> = {
  submitted: 'submitted',
  queued: 'queued',
  streaming: 'streaming',
  complete: 'complete',
  error: 'error',
};

/** `state` words of the relays that send them instead of `status` (AceData's words). */
export const SUNO_CLIP_STATE: Record<string, ClipStatus> = {
  ...SUNO_CLIP_STATUS,
  pending: 'queued',
  running: 'streaming',
  processing: 'streaming',
  succeeded: 'complete',
  success: 'complete',
  failed: 'error',
};

/** The clip's own status word: `status`, else `state`. */
export const rawStatusOf = (clip: SunoClip): string => clip.status ?? clip.state ?? '';

export function sunoClipSnapshot(
  clip: SunoClip,
  ctx: { dialect: string; warn?: Warn; table?: Record<string, ClipStatus>; status?: ClipStatus },
): ClipSnapshot {
  const meta = clip.metadata ?? clip.meta_data ?? {};
  const raw = rawStatusOf(clip);
  const table = clip.status !== undefined ? (ctx.table ?? SUNO_CLIP_STATUS) : SUNO_CLIP_STATE;
  const status = ctx.status ?? mapClipStatus(table, raw, { dialect: ctx.dialect, clipId: clip.id, audioUrl: clip.audio_url, warn: ctx.warn });
  return {
    id: clip.id,
    status,
    rawStatus: raw,
    title: clip.title ?? null,
    tags: meta.tags ?? null,
    lyrics: meta.prompt ?? null,
    audio_url: urlOrNull(clip.audio_url),
    video_url: urlOrNull(clip.video_url),
    image_url: urlOrNull(clip.image_url) ?? urlOrNull(clip.image_large_url),
    duration: meta.duration ?? null,
    model: clip.model_name ?? null,
    error_message: meta.error_message ?? meta.error_type ?? null,
  };
}
