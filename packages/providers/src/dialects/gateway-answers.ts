import type { ClipStatus } from '@refrain/contracts';
import { z } from 'zod';
import { codeEnvelope, type Envelope } from '../http';
import { mapClipStatus, mapLyricsStatus, type Warn } from '../status';
import type { ClipSnapshot, TaskSnapshot } from '../types';
import { SUNO_CLIP_STATUS, sunoClipSnapshot, urlOrNull, type SunoClip } from './suno-clip';

/** Song status words: Suno's own, as native. */
export const GATEWAY_STATUS: Record<string, ClipStatus> = { ...SUNO_CLIP_STATUS };

/** `{code: 0, msg, data}`; any other code is a refusal in `msg`'s words. */
export const gatewayEnvelope: Envelope = codeEnvelope({ ok: [0, '0'], words: ['msg', 'message'], label: 'gateway' });
export const envelope = <T extends z.ZodType>(data: T) =>
  z.looseObject({ code: z.union([z.literal(0), z.literal('0')]), msg: z.string().nullish(), data });

/** Seed 001's song object (submit answers and `/gateway/feed/{song_id}`). */
export const songSchema = z.looseObject({
  song_id: z.string().min(1),
  status: z.string(),
  title: z.string().nullish(),
  audio_url: z.string().nullish(),
  video_url: z.string().nullish(),
  image_url: z.string().nullish(),
  image_large_url: z.string().nullish(),
  model_name: z.string().nullish(),
  meta_tags: z.string().nullish(),
  meta_prompt: z.string().nullish(),
  meta_duration: z.number().nullish(),
  meta_error_msg: z.string().nullish(),
  meta_error_type: z.string().nullish(),
});
export type Song = z.infer<typeof songSchema>;

export const songsAnswer = envelope(z.array(songSchema).min(1));
/** Concat: documented as a path only; its answer is read like a submission's, one song or a list. */
export const concatAnswer = envelope(z.union([z.array(songSchema).min(1), songSchema]));
export const feedAnswer = envelope(songSchema);
/** `GET /gateway/query?ids=`: a bare array of Suno clips (`id`, `meta_data`, ...), validated one by one; the envelope is read too. */
export const queryAnswer = z.union([z.array(z.unknown()), envelope(z.array(z.unknown()))]);
export const lyricsSubmitAnswer = envelope(z.looseObject({ id: z.string().min(1) }));
/** Seed 001: `{text, title, status}`; live answers may lack `status` (`{user_id, text, id, title, lyrics_id}`). */
export const lyricsAnswer = envelope(
  z.looseObject({ text: z.string().nullish(), title: z.string().nullish(), status: z.string().nullish(), error_message: z.string().nullish() }),
);
export const limitAnswer = envelope(z.looseObject({ songs_left: z.number().nullish(), points: z.number().nullish() }));

export function gatewayReader(warn?: Warn) {
  const songSnapshot = (s: Song): ClipSnapshot => ({
    id: s.song_id,
    status: mapClipStatus(GATEWAY_STATUS, s.status, { dialect: 'gateway', clipId: s.song_id, audioUrl: s.audio_url, warn }),
    rawStatus: s.status,
    title: s.title ?? null,
    tags: s.meta_tags ?? null,
    lyrics: s.meta_prompt ?? null,
    audio_url: urlOrNull(s.audio_url),
    video_url: urlOrNull(s.video_url),
    image_url: urlOrNull(s.image_url) ?? urlOrNull(s.image_large_url),
    duration: s.meta_duration ?? null,
    model: s.model_name ?? null,
    error_message: s.meta_error_msg ?? s.meta_error_type ?? null,
  });
  const querySnapshot = (c: SunoClip): ClipSnapshot => sunoClipSnapshot(c, { dialect: 'gateway', warn, table: GATEWAY_STATUS });

  /** A lyrics answer: its status when it has one; without, text present means done. */
  function lyrics(taskId: string, d: z.infer<typeof lyricsAnswer>['data']): TaskSnapshot {
    const state = d.status ? mapLyricsStatus(d.status, { dialect: 'gateway', id: taskId, warn }) : d.text ? 'complete' : 'running';
    if (state === 'complete') return { taskId, state, clips: [], lyrics: { title: d.title ?? '', text: d.text ?? '' } };
    if (state === 'error') return { taskId, state, clips: [], error: d.error_message || 'lyrics generation failed upstream' };
    return { taskId, state, clips: [] };
  }

  return { songSnapshot, querySnapshot, lyrics };
}
