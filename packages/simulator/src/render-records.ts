import * as wire from '@refrain/wire';
import { FAILURE_MESSAGE, oddClip, wireClip, wireLyrics } from './render';
import { isFinal } from './tasks';
import type { Phase, SimClip, SimShapes, SimTask } from './types';

/** How the relay and action dialects show a simulator task: its state, rendered by @refrain/wire. */

const unixSeconds = (ms: number): number => Math.floor(ms / 1000);

/** The action clip (seed 004, AceData); `duration` only once known, `error` only when failed. */
export const actionClip = (base: string, clip: SimClip, phase: Phase): Record<string, unknown> => wire.actionClip(wireClip(base, clip, phase));

/** A trace id per task, stable (AceData answers one with every request). */
export const traceIdOf = (task: SimTask): string => `trace-${task.id}`;

function wireActionTask(base: string, task: SimTask, phase: Phase): wire.WireActionTask {
  return {
    taskId: task.id,
    traceId: traceIdOf(task),
    clips: task.clips.map((c) => wireClip(base, c, phase)),
    failure: phase === 'error' ? FAILURE_MESSAGE : null,
  };
}

/** What AceData answers about a task: `{success, task_id, trace_id, data}`, or its failure envelope. */
export const actionAnswer = (base: string, task: SimTask, phase: Phase): Record<string, unknown> => wire.actionAnswer(wireActionTask(base, task, phase));

/** A record of `POST /suno/tasks`: `{id, request, response}`; `[sim:odd]` makes its response unreadable. */
export function actionRecord(base: string, task: SimTask, phase: Phase): Record<string, unknown> {
  const record = wire.actionRecord(wireActionTask(base, task, phase), { createdAt: task.createdAt / 1000, request: task.request });
  return task.odd ? { ...record, response: { success: true, task_id: task.id, data: 'not a list' } } : record;
}

function relayStatus(task: SimTask, phase: Phase, at: number): wire.RelayStatus {
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

/** The relay task object (the common open-source relays' shape, docs/providers.md), in the chosen shapes. */
export function relayTask(
  base: string,
  task: SimTask,
  phase: Phase,
  at: number,
  shapes: Pick<SimShapes, 'relayClipStatus' | 'relayLyricsData'> = { relayClipStatus: 'status', relayLyricsData: 'object' },
): Record<string, unknown> {
  if (task.odd) return { task_id: task.id, action: 'MUSIC', status: 12345, data: 'garbage' };
  const d = task.durationMs;
  const final = isFinal(phase);
  return wire.relayTask(
    {
      id: task.id,
      action: task.kind === 'lyrics' ? 'LYRICS' : 'MUSIC',
      status: relayStatus(task, phase, at),
      failReason: phase === 'error' ? FAILURE_MESSAGE : '',
      submitTime: unixSeconds(task.createdAt),
      startTime: phase === 'streaming' || final ? unixSeconds(task.createdAt + d * 0.5) : 0,
      finishTime: final ? unixSeconds(task.createdAt + d) : 0,
      progress: final ? 100 : Math.min(99, Math.max(0, Math.floor(((at - task.createdAt) / Math.max(d, 1)) * 100))),
      clips: task.clips.map((c) => wireClip(base, c, phase)),
      lyrics: task.kind === 'lyrics' ? wireLyrics(task, phase) : null,
    },
    { clipStatus: shapes.relayClipStatus, lyricsData: shapes.relayLyricsData },
  );
}

/** The clip of a status answer, or the odd shape of an `[sim:odd]` task's clip. */
export const clipOrOdd = (task: SimTask, clip: SimClip, render: () => Record<string, unknown>): Record<string, unknown> =>
  task.odd ? oddClip(clip) : render();

