import type { ClipStatus } from '@refrain/contracts';
import { z } from 'zod';
import { parseItems } from '../answer-items';
import type { Envelope } from '../http';
import { lookup, mapClipStatus, summarizeClips, type Warn } from '../status';
import type { ClipSnapshot, TaskSnapshot } from '../types';
import { urlOrNull } from './suno-clip';

/** Action clip `state` words → Refrain's clip states (AceData: pending, running, succeeded, error). */
export const ACTION_STATUS: Record<string, ClipStatus> = {
  pending: 'queued',
  queued: 'queued',
  running: 'streaming',
  processing: 'streaming',
  streaming: 'streaming',
  succeeded: 'complete',
  complete: 'complete',
  failed: 'error',
  error: 'error',
};

export const readWords = (body: unknown): string | undefined => {
  if (body === null || typeof body !== 'object') return typeof body === 'string' && body.trim() ? body : undefined;
  const { error, message } = body as { error?: unknown; message?: unknown };
  const nested = error !== null && typeof error === 'object' ? (error as { message?: unknown }).message : undefined;
  for (const w of [nested, message, error]) if (typeof w === 'string' && w.trim() !== '') return w;
  return undefined;
};

/**
 * `{success, task_id, data}`; `success: false` carries the upstream's words in
 * error.message / message / error, and AceData's errors name the task (`task_id`).
 */
export const actionEnvelope: Envelope = {
  errorWords: readWords,
  failure: (body) => {
    if (body === null || typeof body !== 'object' || (body as { success?: unknown }).success !== false) return undefined;
    return readWords(body) ?? 'the provider answered success: false';
  },
  taskIdOf: (body) => {
    const id = body !== null && typeof body === 'object' ? (body as { task_id?: unknown }).task_id : undefined;
    return typeof id === 'string' && id !== '' ? id : undefined;
  },
};

export const actionClipSchema = z.looseObject({
  id: z.string().min(1),
  /** AceData's older examples (task records, callbacks) leave it out: see `stateOf`. */
  state: z.string().optional(),
  title: z.string().nullish(),
  image_url: z.string().nullish(),
  lyric: z.string().nullish(),
  audio_url: z.string().nullish(),
  video_url: z.string().nullish(),
  model: z.string().nullish(),
  style: z.string().nullish(),
  duration: z.number().nullish(),
  error: z.union([z.string(), z.looseObject({ message: z.string() })]).nullish(),
});
export type ActionClip = z.infer<typeof actionClipSchema>;

/** A submit answer: at once `{task_id}` (async or callback_url), or blocking `{success, task_id?, data}`. */
export const submitAnswer = z
  .looseObject({ success: z.boolean().optional(), task_id: z.string().min(1).optional(), data: z.array(z.unknown()).nullish() })
  .refine((a) => a.task_id !== undefined || (a.data?.length ?? 0) > 0, 'expected task_id or data: [clips]');

/** `POST /suno/upload` (AceData): the uploaded clip, ready at once. */
export const uploadAnswer = z.looseObject({
  task_id: z.string().nullish(),
  data: z.looseObject({
    audio_id: z.string().min(1),
    title: z.string().nullish(),
    audio_url: z.string().nullish(),
    image_url: z.string().nullish(),
    lyric: z.string().nullish(),
    style: z.string().nullish(),
    duration: z.number().nullish(),
  }),
});

/** A task record of `POST /suno/tasks`: `{id, request, response: {success, task_id, data}}`. */
export const taskRecordSchema = z.looseObject({
  id: z.string().min(1),
  state: z.string().nullish(),
  response: z
    .looseObject({
      success: z.boolean().nullish(),
      task_id: z.string().nullish(),
      data: z.array(z.unknown()).nullish(),
      error: z.unknown().optional(),
    })
    .nullish(),
});
export type TaskRecord = z.infer<typeof taskRecordSchema>;
/** retrieve answers one record; retrieve_batch `{items, count}`. Items are validated one by one. */
export const batchAnswer = z.looseObject({ items: z.array(z.unknown()), count: z.number().nullish() });

/** A callback: the submit answer's shape, `{success, task_id, data}`. */
export const callbackSchema = z.looseObject({
  success: z.boolean(),
  task_id: z.string().min(1).optional(),
  data: z.array(z.unknown()).nullish(),
});

/**
 * A clip's state word. Without one (AceData's task-record and callback examples), a clip
 * with its audio file is done: those bodies are "the response returned after the task
 * completed"; a streaming preview always says `running`.
 */
const stateOf = (c: ActionClip): string => c.state ?? (c.audio_url ? 'succeeded' : 'pending');

export function actionReader(warn?: Warn) {
  const clipSnapshot = (c: ActionClip): ClipSnapshot => ({
    id: c.id,
    status: mapClipStatus(ACTION_STATUS, stateOf(c), { dialect: 'action', clipId: c.id, audioUrl: c.audio_url, warn }),
    rawStatus: stateOf(c),
    title: c.title ?? null,
    tags: c.style ?? null,
    lyrics: c.lyric ?? null,
    audio_url: urlOrNull(c.audio_url),
    video_url: urlOrNull(c.video_url),
    image_url: urlOrNull(c.image_url),
    duration: c.duration ?? null,
    model: c.model ?? null,
    error_message: typeof c.error === 'string' ? c.error : (c.error?.message ?? null),
  });

  const clipsOf = (data: readonly unknown[] | null | undefined): ActionClip[] =>
    parseItems(data ?? [], actionClipSchema, { dialect: 'action', what: 'clip', warn });

  /** A task from its clips; all succeeded = final, so a blocking answer needs no query. */
  function task(taskId: string, clips: readonly ActionClip[]): TaskSnapshot {
    const snaps = clips.map(clipSnapshot);
    return { taskId, clips: snaps, ...summarizeClips(snaps) };
  }

  /** A task record: the response's clips, or its failure in the upstream's words. */
  function record(r: TaskRecord): TaskSnapshot {
    const failed = r.response?.success === false || lookup(ACTION_STATUS, r.state ?? '') === 'error';
    const clips = clipsOf(r.response?.data);
    if (failed) {
      const words = readWords(r.response) ?? 'the task failed upstream';
      return { taskId: r.id, state: 'error', clips: clips.map(clipSnapshot), error: words };
    }
    return task(r.id, clips);
  }

  return { clipSnapshot, clipsOf, task, record };
}
