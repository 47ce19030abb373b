import type { ClipStatus } from '@refrain/contracts';
import { z } from 'zod';
import { mapClipStatus, type Warn } from '../status';
import type { ClipSnapshot } from '../types';

/**
 * A clip as Suno's web API describes it (seed 002). Native answers are made of these,
 * and the relay's MUSIC tasks carry them in `data`. Only the fields we read are checked.
 */
export const sunoClipSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  title: z.string().nullish(),
  audio_url: z.string().nullish(),
  video_url: z.string().nullish(),
  image_url: z.string().nullish(),
  image_large_url: z.string().nullish(),
  model_name: z.string().nullish(),
  metadata: z
    .looseObject({
      tags: z.string().nullish(),
      prompt: z.string().nullish(),
      duration: z.number().nullish(),
      error_type: z.string().nullish(),
      error_message: z.string().nullish(),
    })
    .nullish(),
});
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

export function sunoClipSnapshot(
  clip: SunoClip,
  ctx: { dialect: string; warn?: Warn; table?: Record<string, ClipStatus>; status?: ClipStatus },
): ClipSnapshot {
  const meta = clip.metadata ?? {};
  const status =
    ctx.status ??
    mapClipStatus(ctx.table ?? SUNO_CLIP_STATUS, clip.status, {
      dialect: ctx.dialect,
      clipId: clip.id,
      audioUrl: clip.audio_url,
      warn: ctx.warn,
    });
  return {
    id: clip.id,
    status,
    rawStatus: clip.status,
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
