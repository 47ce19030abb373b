import { baseModel } from './schemas';
import { isFinal } from './tasks';
import type { Phase, SimClip, SimTask } from './types';

/** How each dialect shows a clip or task at a given phase. Pure functions of their inputs. */

export const FAILURE_MESSAGE = 'Simulated upstream failure';
const SIM_USER_ID = '00000000-0000-4000-8000-00000000517a';

const iso = (ms: number): string => new Date(ms).toISOString();
const unixSeconds = (ms: number): number => Math.floor(ms / 1000);

export interface ClipView {
  audioUrl: string;
  videoUrl: string;
  imageUrl: string | null;
  duration: number | null;
  errorMessage: string | null;
}

/** URLs appear as Suno shows them: a stream URL while streaming, files once complete. */
export function clipView(base: string, clip: SimClip, phase: Phase): ClipView {
  const image = `${base}/image/${clip.id}.svg`;
  switch (phase) {
    case 'streaming':
      return { audioUrl: `${base}/stream/${clip.id}.wav`, videoUrl: '', imageUrl: image, duration: null, errorMessage: null };
    case 'complete':
      return {
        audioUrl: `${base}/audio/${clip.id}.wav`,
        videoUrl: `${base}/video/${clip.id}.mp4`,
        imageUrl: image,
        duration: clip.seconds,
        errorMessage: null,
      };
    case 'error':
      return { audioUrl: '', videoUrl: '', imageUrl: null, duration: null, errorMessage: FAILURE_MESSAGE };
    default:
      return { audioUrl: '', videoUrl: '', imageUrl: null, duration: null, errorMessage: null };
  }
}

const MAJOR: Record<string, string> = {
  'chirp-v3-0': 'v3',
  'chirp-v3-5': 'v3.5',
  'chirp-v4': 'v4',
  'chirp-v4-5': 'v4.5',
  'chirp-auk': 'v4.5',
};
export const majorVersion = (model: string): string => MAJOR[baseModel(model)] ?? 'v4';

function history(clip: SimClip): object[] | null {
  if (!clip.sourceClipId || clip.kind !== 'gen') return null;
  return [
    { id: clip.sourceClipId, continue_at: clip.continueAt, type: clip.sourceKind === 'upload' ? 'upload' : 'gen', source: 'web', infill: clip.task === 'infill' },
  ];
}

/** Suno's web clip object (seed 002), used by native and inside relay tasks. */
export function nativeClip(base: string, clip: SimClip, phase: Phase): Record<string, unknown> {
  const v = clipView(base, clip, phase);
  return {
    id: clip.id,
    video_url: v.videoUrl,
    audio_url: v.audioUrl,
    image_url: v.imageUrl,
    image_large_url: v.imageUrl,
    is_video_pending: phase === 'streaming',
    major_model_version: majorVersion(clip.model),
    model_name: baseModel(clip.model),
    metadata: {
      tags: clip.tags,
      negative_tags: clip.negativeTags,
      prompt: clip.lyrics,
      gpt_description_prompt: clip.description,
      audio_prompt_id: null,
      history: history(clip),
      concat_history: clip.kind === 'concat' && clip.sourceClipId ? [{ id: clip.sourceClipId, continue_at: null }] : null,
      type: clip.kind === 'stem' ? 'edit_stem' : clip.kind,
      task: clip.task,
      stem_type: clip.stemType,
      duration: v.duration,
      refund_credits: null,
      stream: true,
      infill: clip.task === 'infill',
      has_vocal: clip.lyrics !== '' && clip.stemType !== 'instrumental',
      is_audio_upload_tos_accepted: clip.kind === 'upload',
      error_type: phase === 'error' ? 'simulated' : null,
      error_message: v.errorMessage,
    },
    is_liked: false,
    user_id: SIM_USER_ID,
    display_name: 'Refrain Simulator',
    handle: 'refrain-sim',
    is_handle_updated: false,
    avatar_image_url: null,
    is_trashed: false,
    reaction: null,
    created_at: iso(clip.createdAt),
    status: phase,
    title: clip.title,
    play_count: 0,
    upvote_count: 0,
    is_public: false,
  };
}

/**
 * Native generate / stems answer (seed 002). The top-level `status` is the batch's,
 * which Suno reports as "complete" as soon as it accepted it; clips carry their own.
 */
export function nativeBatch(base: string, task: SimTask, phase: Phase): Record<string, unknown> {
  const clips = task.clips.map((c) => nativeClip(base, c, phase));
  const first = task.clips[0];
  return {
    id: task.id,
    clips,
    metadata: (clips[0]?.metadata as object | undefined) ?? {},
    major_model_version: first ? majorVersion(first.model) : 'v4',
    status: 'complete',
    created_at: iso(task.createdAt),
    batch_size: 1,
  };
}

/** The gateway song object (seed 001). */
export function gatewaySong(base: string, clip: SimClip, phase: Phase): Record<string, unknown> {
  const v = clipView(base, clip, phase);
  return {
    user_id: SIM_USER_ID,
    song_id: clip.id,
    status: phase,
    title: clip.title,
    image_large_url: v.imageUrl,
    image_url: v.imageUrl,
    model_name: baseModel(clip.model),
    video_url: v.videoUrl,
    audio_url: v.audioUrl,
    meta_tags: clip.tags,
    meta_prompt: clip.lyrics,
    meta_duration: v.duration,
    meta_error_msg: v.errorMessage,
    meta_error_type: phase === 'error' ? 'simulated' : null,
    created_at: iso(clip.createdAt),
  };
}

const ACTION_STATE: Record<Phase, string> = {
  submitted: 'pending',
  queued: 'queued',
  streaming: 'running',
  complete: 'succeeded',
  error: 'failed',
};

/** The action clip (seed 004); `duration` only once known, `error` only when failed. */
export function actionClip(base: string, clip: SimClip, phase: Phase): Record<string, unknown> {
  const v = clipView(base, clip, phase);
  return {
    state: ACTION_STATE[phase],
    id: clip.id,
    title: clip.title,
    image_url: v.imageUrl ?? '',
    lyric: clip.lyrics,
    audio_url: v.audioUrl,
    video_url: v.videoUrl,
    created_at: iso(clip.createdAt),
    model: baseModel(clip.model),
    prompt: clip.description ?? clip.lyrics,
    style: clip.tags,
    ...(v.duration !== null ? { duration: v.duration } : {}),
    ...(v.errorMessage !== null ? { error: v.errorMessage } : {}),
  };
}

/** A lyrics task as native / gateway show it: text only once complete, error_message when failed. */
export function lyricsView(task: SimTask, phase: Phase): { status: string; title: string; text: string; error_message?: string } {
  if (phase === 'complete') return { status: 'complete', title: task.lyrics?.title ?? '', text: task.lyrics?.text ?? '' };
  if (phase === 'error') return { status: 'error', title: '', text: '', error_message: FAILURE_MESSAGE };
  return { status: 'running', title: '', text: '' };
}

function relayStatus(task: SimTask, phase: Phase, at: number): string {
  switch (phase) {
    case 'submitted':
      return at - task.createdAt < task.durationMs * 0.1 ? 'NOT_START' : 'SUBMITTED';
    case 'queued':
      return 'QUEUED';
    case 'streaming':
      return 'IN_PROGRESS';
    case 'complete':
      return 'SUCCESS';
    case 'error':
      return 'FAILURE';
  }
}

/** The relay task object (the common open-source relays' shape, docs/providers.md). */
export function relayTask(base: string, task: SimTask, phase: Phase, at: number): Record<string, unknown> {
  const d = task.durationMs;
  const final = isFinal(phase);
  const pct = final ? 100 : Math.min(99, Math.max(0, Math.floor(((at - task.createdAt) / Math.max(d, 1)) * 100)));
  const data =
    task.kind === 'lyrics'
      ? { id: task.id, ...lyricsView(task, phase) }
      : task.clips.map((c) => nativeClip(base, c, phase));
  return {
    task_id: task.id,
    action: task.kind === 'lyrics' ? 'LYRICS' : 'MUSIC',
    status: relayStatus(task, phase, at),
    fail_reason: phase === 'error' ? FAILURE_MESSAGE : '',
    submit_time: unixSeconds(task.createdAt),
    start_time: phase === 'streaming' || final ? unixSeconds(task.createdAt + d * 0.5) : 0,
    finish_time: final ? unixSeconds(task.createdAt + d) : 0,
    progress: `${pct}%`,
    data,
  };
}
