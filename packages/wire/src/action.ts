import type { WireClip } from './clip';
import { ACTION_STATE } from './relay';

/** The action dialect (seed 004, as AceData serves it). */

/** The action clip (seed 004, AceData); `duration` only once known, `error` only when failed. */
export function actionClip(c: WireClip): Record<string, unknown> {
  return {
    state: ACTION_STATE[c.status],
    id: c.id,
    title: c.title,
    image_url: c.imageUrl ?? '',
    lyric: c.lyrics,
    audio_url: c.audioUrl,
    video_url: c.videoUrl,
    created_at: c.createdAt,
    model: c.model,
    prompt: c.description ?? c.lyrics,
    style: c.tags,
    ...(c.duration !== null ? { duration: c.duration } : {}),
    ...(c.status === 'error' && c.errorMessage !== null ? { error: c.errorMessage } : {}),
  };
}

export interface WireActionTask {
  taskId: string;
  traceId: string;
  clips: readonly WireClip[];
  /** Set when the task failed: the upstream's words. */
  failure: string | null;
}

/**
 * What AceData answers about a task: `{success, task_id, trace_id, data}`, or, once it
 * failed, `{success: false, error: {code, message}, task_id, trace_id}`.
 */
export function actionAnswer(t: WireActionTask): Record<string, unknown> {
  const ids = { task_id: t.taskId, trace_id: t.traceId };
  if (t.failure !== null) return { success: false, error: { code: 'api_error', message: t.failure }, ...ids };
  return { success: true, ...ids, data: t.clips.map(actionClip) };
}

/** A record of `POST /suno/tasks`: `{id, created_at, request, trace_id, response}`. */
export function actionRecord(t: WireActionTask, extra: { createdAt: number; request: unknown }): Record<string, unknown> {
  return { id: t.taskId, created_at: extra.createdAt, request: extra.request, trace_id: t.traceId, response: actionAnswer(t) };
}

/** AceData's error envelope: `{success: false, error: {code, message}}`, with the task and trace ids when known. */
export function actionError(status: number, message: string, ids: { taskId?: string; traceId?: string } = {}): Record<string, unknown> {
  return {
    success: false,
    error: { code: ACTION_ERROR_CODES[status] ?? (status >= 500 ? 'api_error' : 'bad_request'), message },
    ...(ids.traceId ? { trace_id: ids.traceId } : {}),
    ...(ids.taskId ? { task_id: ids.taskId } : {}),
  };
}

/** AceData's `error.code` words by status. */
export const ACTION_ERROR_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  429: 'too_many_requests',
  504: 'timeout',
};
