import type { Response } from 'express';
import { actionAnswer, actionRecord, type WireActionTask } from '@refrain/wire';
import type { DoorTask } from '../core/task-view';

/** AceData answers a trace id with every request: Refrain's request id. */
export const traceIdOf = (res: Response): string => String(res.getHeader('x-request-id') ?? '');

export function wireTask(t: DoorTask, traceId: string): WireActionTask {
  return { taskId: t.record.taskId ?? t.record.id, traceId, clips: t.clips, failure: t.phase === 'failed' ? (t.failure?.message ?? 'failed') : null };
}

/** `{success, task_id, trace_id, data: [clips]}`, or the failure envelope once the task failed. */
export const answerOf = (t: DoorTask, traceId: string) => actionAnswer(wireTask(t, traceId));

/** A `POST /suno/tasks` record: `{id, created_at, request, trace_id, response}`. */
export const recordOf = (t: DoorTask, traceId: string) =>
  actionRecord(wireTask(t, traceId), { createdAt: t.record.generation.createdAt.getTime() / 1000, request: t.record.request });
