import * as wire from '@refrain/wire';
import type { WireClip, WireLyrics } from '@refrain/wire';
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

/** A simulator clip at a phase, in the shared wire model every dialect renders from. */
export function wireClip(base: string, clip: SimClip, phase: Phase): WireClip {
  const v = clipView(base, clip, phase);
  return {
    id: clip.id,
    status: phase,
    title: clip.title,
    tags: clip.tags,
    negativeTags: clip.negativeTags,
    lyrics: clip.lyrics,
    description: clip.description,
    model: baseModel(clip.model),
    createdAt: iso(clip.createdAt),
    audioUrl: v.audioUrl,
    videoUrl: v.videoUrl,
    imageUrl: v.imageUrl,
    duration: v.duration,
    errorMessage: v.errorMessage,
    errorType: phase === 'error' ? 'simulated' : null,
    type: clip.kind === 'stem' ? 'edit_stem' : clip.kind,
    task: clip.task,
    stemType: clip.stemType,
    history: history(clip),
    concatHistory: clip.kind === 'concat' && clip.sourceClipId ? [{ id: clip.sourceClipId, continue_at: null }] : null,
    hasVocal: clip.lyrics !== '' && clip.stemType !== 'instrumental',
    uploaded: clip.kind === 'upload',
    owner: SIM_OWNER,
  };
}

const SIM_OWNER = { userId: SIM_USER_ID, displayName: 'Refrain Simulator', handle: 'refrain-sim' };

function history(clip: SimClip): Record<string, unknown>[] | null {
  if (!clip.sourceClipId || clip.kind !== 'gen') return null;
  return [
    { id: clip.sourceClipId, continue_at: clip.continueAt, type: clip.sourceKind === 'upload' ? 'upload' : 'gen', source: 'web', infill: clip.task === 'infill' },
  ];
}

/** Suno's web clip object (seed 002), used by native and inside relay tasks. */
export const nativeClip = (base: string, clip: SimClip, phase: Phase): Record<string, unknown> => wire.nativeClip(wireClip(base, clip, phase));

/** Native generate / stems answer (seed 002); the batch `status` is "complete" while clips carry their own. */
export function nativeBatch(base: string, task: SimTask, phase: Phase): Record<string, unknown> {
  return wire.nativeBatch({ id: task.id, createdAt: iso(task.createdAt), clips: task.clips.map((c) => wireClip(base, c, phase)), model: 'chirp-v4' });
}

/** The gateway song object (seed 001). */
export const gatewaySong = (base: string, clip: SimClip, phase: Phase): Record<string, unknown> => wire.gatewaySong(wireClip(base, clip, phase));

/** A lyrics task at a phase, in the shared wire model. */
export function wireLyrics(task: SimTask, phase: Phase): WireLyrics {
  const status = phase === 'complete' ? 'complete' : phase === 'error' ? 'error' : 'running';
  return { id: task.id, status, title: task.lyrics?.title ?? '', text: task.lyrics?.text ?? '', errorMessage: phase === 'error' ? FAILURE_MESSAGE : null };
}

/** A lyrics task as native / gateway show it: text only once complete, error_message when failed. */
export const lyricsView = (task: SimTask, phase: Phase) => wire.lyricsView(wireLyrics(task, phase));

/** The gateway's live lyrics answer `{user_id, text, id, title, lyrics_id}` (no status; text present means done). */
export const gatewayLyricsBare = (task: SimTask, phase: Phase): Record<string, unknown> => wire.gatewayLyricsBare(wireLyrics(task, phase), SIM_USER_ID);

export { nativeFeedPage } from '@refrain/wire';

/** `GET /gateway/query`: Suno clips keyed `id`, with `meta_data` where the web API says `metadata`. */
export const gatewayQueryClip = (base: string, clip: SimClip, phase: Phase): Record<string, unknown> => wire.gatewayQueryClip(wireClip(base, clip, phase));

/** `[sim:odd]`: a clip no schema expects (its status is not a word), to test per-item validation. */
export const oddClip = (clip: SimClip): Record<string, unknown> => ({ id: clip.id, status: { unexpected: true }, title: 42 });

