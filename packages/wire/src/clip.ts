/**
 * One clip, whoever holds it: the simulator's task store or Refrain's Postgres behind a
 * front door. Every dialect's clip object is rendered from this, so the simulator (an
 * upstream) and the doors (Refrain serving the same shapes) cannot drift apart.
 */

/** A clip's status in Suno's own words; the dialects' vocabularies are mapped from these. */
export const WIRE_CLIP_STATUSES = ['submitted', 'queued', 'streaming', 'complete', 'error'] as const;
export type WireClipStatus = (typeof WIRE_CLIP_STATUSES)[number];

export const isFinalClipStatus = (s: WireClipStatus): boolean => s === 'complete' || s === 'error';

export interface WireOwner {
  userId: string;
  displayName: string;
  handle: string;
}

export interface WireClip {
  id: string;
  status: WireClipStatus;
  title: string;
  tags: string;
  negativeTags: string;
  /** Lyrics sung by the clip ('' = instrumental). */
  lyrics: string;
  /** The description in description mode, else null. */
  description: string | null;
  /** The model as Suno names it (`model_name`), without an `-upload` suffix. */
  model: string;
  /** ISO 8601. */
  createdAt: string;
  audioUrl: string;
  videoUrl: string;
  imageUrl: string | null;
  /** Seconds, once known. */
  duration: number | null;
  errorMessage: string | null;
  errorType: string | null;
  /** Suno's `metadata.type`: gen, upload, concat, edit_stem. */
  type: string;
  /** Suno's `metadata.task` (cover, infill, artist_consistency, gen_stem…), null for a plain song. */
  task: string | null;
  stemType: string | null;
  /** What it continues (`metadata.history`), null when nothing. */
  history: Record<string, unknown>[] | null;
  concatHistory: Record<string, unknown>[] | null;
  hasVocal: boolean;
  uploaded: boolean;
  owner: WireOwner;
}

const MAJOR: Record<string, string> = {
  'chirp-v3-0': 'v3',
  'chirp-v3-5': 'v3.5',
  'chirp-v3-5-tau': 'v3.5',
  'chirp-v4': 'v4',
  'chirp-v4-tau': 'v4',
  'chirp-v4-5': 'v4.5',
  'chirp-auk': 'v4.5',
  'chirp-v4-5-plus': 'v4.5+',
  'chirp-bluejay': 'v4.5+',
  'chirp-v5': 'v5',
  'chirp-crow': 'v5',
  'chirp-v5-5': 'v5.5',
  'chirp-fenix': 'v5.5',
};
/** Suno's `major_model_version` of a model (`chirp-auk` → `v4.5`); v4 for a name it does not know. */
export const majorVersion = (model: string): string => MAJOR[model.replace(/-upload$/, '')] ?? 'v4';

/** Suno's web clip object (seeds 002 and 000), used by native, inside relay tasks, and by gcui's `/api/clip`. */
export function nativeClip(c: WireClip): Record<string, unknown> {
  return {
    id: c.id,
    video_url: c.videoUrl,
    audio_url: c.audioUrl,
    image_url: c.imageUrl,
    image_large_url: c.imageUrl,
    is_video_pending: c.status === 'streaming',
    major_model_version: majorVersion(c.model),
    model_name: c.model,
    metadata: {
      tags: c.tags,
      negative_tags: c.negativeTags,
      prompt: c.lyrics,
      gpt_description_prompt: c.description,
      audio_prompt_id: null,
      history: c.history,
      concat_history: c.concatHistory,
      type: c.type,
      task: c.task,
      stem_type: c.stemType,
      duration: c.duration,
      refund_credits: null,
      stream: true,
      infill: c.task === 'infill',
      has_vocal: c.hasVocal,
      is_audio_upload_tos_accepted: c.uploaded,
      error_type: c.status === 'error' ? (c.errorType ?? 'error') : null,
      error_message: c.status === 'error' ? c.errorMessage : null,
    },
    is_liked: false,
    user_id: c.owner.userId,
    display_name: c.owner.displayName,
    handle: c.owner.handle,
    is_handle_updated: false,
    avatar_image_url: null,
    is_trashed: false,
    reaction: null,
    created_at: c.createdAt,
    status: c.status,
    title: c.title,
    play_count: 0,
    upvote_count: 0,
    is_public: false,
  };
}

/**
 * The native generate / stems answer (seed 002). The top-level `status` is the batch's,
 * which Suno reports as "complete" as soon as it accepted it; clips carry their own.
 */
export function nativeBatch(b: { id: string; createdAt: string; clips: readonly WireClip[]; model: string }): Record<string, unknown> {
  const clips = b.clips.map(nativeClip);
  return {
    id: b.id,
    clips,
    metadata: (clips[0]?.metadata as object | undefined) ?? {},
    major_model_version: majorVersion(b.clips[0]?.model ?? b.model),
    status: 'complete',
    created_at: b.createdAt,
    batch_size: 1,
  };
}

/** tu-zi's feed page: `{clips, num_total_results, current_page}` (sibling proxies answer the bare array). */
export function nativeFeedPage(clips: readonly unknown[]): Record<string, unknown> {
  return { clips, num_total_results: clips.length, current_page: 0 };
}

/** The gateway song object (seed 001). */
export function gatewaySong(c: WireClip): Record<string, unknown> {
  return {
    user_id: c.owner.userId,
    song_id: c.id,
    status: c.status,
    title: c.title,
    image_large_url: c.imageUrl,
    image_url: c.imageUrl,
    model_name: c.model,
    video_url: c.videoUrl,
    audio_url: c.audioUrl,
    meta_tags: c.tags,
    meta_prompt: c.lyrics,
    meta_duration: c.duration,
    meta_error_msg: c.status === 'error' ? c.errorMessage : null,
    meta_error_type: c.status === 'error' ? (c.errorType ?? 'error') : null,
    created_at: c.createdAt,
  };
}

/** sunoaiapi's `GET /gateway/query`: Suno clips keyed `id`, with `meta_data` where the web API says `metadata`. */
export function gatewayQueryClip(c: WireClip): Record<string, unknown> {
  const { metadata, ...rest } = nativeClip(c);
  return { ...rest, meta_data: metadata };
}
