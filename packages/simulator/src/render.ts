import { baseModel } from './schemas';
import type { Phase, SimClip, SimTask } from './types';

/** How each dialect shows a clip or task at a given phase. Pure functions of their inputs. */

export const FAILURE_MESSAGE = 'Simulated upstream failure';
export const SIM_USER_ID = '00000000-0000-4000-8000-00000000517a';

export const iso = (ms: number): string => new Date(ms).toISOString();

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

/** A lyrics task as native / gateway show it: text only once complete, error_message when failed. */
export function lyricsView(task: SimTask, phase: Phase): { status: string; title: string; text: string; error_message?: string } {
  if (phase === 'complete') return { status: 'complete', title: task.lyrics?.title ?? '', text: task.lyrics?.text ?? '' };
  if (phase === 'error') return { status: 'error', title: '', text: '', error_message: FAILURE_MESSAGE };
  return { status: 'running', title: '', text: '' };
}

/**
 * The gateway's live lyrics answer, `{user_id, text, id, title, lyrics_id}`: no status,
 * text present means done (a failure still says `status: "error"`). Seed 001's shape is `lyricsView`.
 */
export function gatewayLyricsBare(task: SimTask, phase: Phase): Record<string, unknown> {
  if (phase === 'error') return { user_id: SIM_USER_ID, id: task.id, lyrics_id: task.id, status: 'error', error_message: FAILURE_MESSAGE };
  const done = phase === 'complete';
  return { user_id: SIM_USER_ID, text: done ? (task.lyrics?.text ?? '') : '', id: task.id, title: done ? (task.lyrics?.title ?? '') : '', lyrics_id: task.id };
}

/** tu-zi's feed page: `{clips, num_total_results, current_page}` (sibling proxies answer the bare array). */
export function nativeFeedPage(clips: readonly unknown[]): Record<string, unknown> {
  return { clips, num_total_results: clips.length, current_page: 0 };
}

/** `GET /gateway/query`: Suno clips keyed `id`, with `meta_data` where the web API says `metadata`. */
export function gatewayQueryClip(base: string, clip: SimClip, phase: Phase): Record<string, unknown> {
  const { metadata, ...rest } = nativeClip(base, clip, phase);
  return { ...rest, meta_data: metadata };
}

/** `[sim:odd]`: a clip no schema expects (its status is not a word), to test per-item validation. */
export const oddClip = (clip: SimClip): Record<string, unknown> => ({ id: clip.id, status: { unexpected: true }, title: 42 });

