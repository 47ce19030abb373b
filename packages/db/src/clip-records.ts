import { CLIP_STATUS_RANK, type LyricsResult, type UpstreamState } from '@refrain/contracts';

/** A clip as an upstream reported it (same fields as providers' ClipSnapshot). */
export interface ClipUpdate {
  id: string;
  status: keyof typeof CLIP_STATUS_RANK;
  title?: string | null;
  tags?: string | null;
  lyrics?: string | null;
  audio_url?: string | null;
  video_url?: string | null;
  image_url?: string | null;
  duration?: number | null;
  model?: string | null;
  error_message?: string | null;
}
export interface TaskUpdate {
  taskId: string;
  state: UpstreamState;
  clips: ClipUpdate[];
  lyrics?: LyricsResult;
  error?: string;
}

function clipColumns(c: ClipUpdate) {
  return {
    id: c.id,
    status: c.status,
    statusRank: CLIP_STATUS_RANK[c.status],
    title: c.title ?? null,
    tags: c.tags ?? null,
    lyrics: c.lyrics ?? null,
    audioUrl: c.audio_url || null,
    videoUrl: c.video_url || null,
    imageUrl: c.image_url || null,
    duration: c.duration ?? null,
    model: c.model ?? null,
    errorMessage: c.error_message ?? null,
  };
}

/** The clip columns as the recordsets of the statements name them. */
export function clipRecord(c: ClipUpdate, position: number) {
  const v = clipColumns(c);
  return {
    id: v.id,
    position,
    status: v.status,
    status_rank: v.statusRank,
    title: v.title,
    tags: v.tags,
    lyrics: v.lyrics,
    audio_url: v.audioUrl,
    video_url: v.videoUrl,
    image_url: v.imageUrl,
    duration: v.duration,
    model: v.model,
    error_message: v.errorMessage,
  };
}
