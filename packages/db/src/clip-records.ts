import { CLIP_STATUS_RANK, type UpstreamClip, type UpstreamTask } from '@refrain/contracts';

/** A clip and a task as an upstream reported them (the providers' snapshots fit). */
export type ClipUpdate = UpstreamClip;
export type TaskUpdate = UpstreamTask;

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
