import { FAILURE_MESSAGE, clipView, iso, lyricsView, nativeClip, oddClip } from './render';
import { baseModel } from './schemas';
import { isFinal } from './tasks';
import type { Phase, SimClip, SimShapes, SimTask } from './types';

/** How the relay and action dialects show a task. Pure functions of their inputs. */

const unixSeconds = (ms: number): number => Math.floor(ms / 1000);

/** AceData's clip states: pending (in queue), running, succeeded, error. */
const ACTION_STATE: Record<Phase, string> = {
  submitted: 'pending',
  queued: 'pending',
  streaming: 'running',
  complete: 'succeeded',
  error: 'error',
};

/** The action clip (seed 004, AceData); `duration` only once known, `error` only when failed. */
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

/** A trace id per task, stable (AceData answers one with every request). */
export const traceIdOf = (task: SimTask): string => `trace-${task.id}`;

/**
 * The answer AceData gives about a task: `{success, task_id, trace_id, data}`, or, once it
 * failed, `{success: false, error: {code, message}, task_id, trace_id}`.
 */
export function actionAnswer(base: string, task: SimTask, phase: Phase): Record<string, unknown> {
  const ids = { task_id: task.id, trace_id: traceIdOf(task) };
  if (phase === 'error') return { success: false, error: { code: 'api_error', message: FAILURE_MESSAGE }, ...ids };
  return { success: true, ...ids, data: task.clips.map((c) => actionClip(base, c, phase)) };
}

/** A record of `POST /suno/tasks`: `{id, request, response}`; `[sim:odd]` makes its response unreadable. */
export function actionRecord(base: string, task: SimTask, phase: Phase): Record<string, unknown> {
  const response = task.odd ? { success: true, task_id: task.id, data: 'not a list' } : actionAnswer(base, task, phase);
  return { id: task.id, created_at: task.createdAt / 1000, request: task.request, trace_id: traceIdOf(task), response };
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

/** A relay clip: Suno's object, or with `state` for `status` as some relays send it. */
function relayClip(base: string, clip: SimClip, phase: Phase, shape: SimShapes['relayClipStatus']): Record<string, unknown> {
  const c = nativeClip(base, clip, phase);
  if (shape === 'status') return c;
  const { status: _status, ...rest } = c;
  return { ...rest, state: ACTION_STATE[phase] };
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
  const pct = final ? 100 : Math.min(99, Math.max(0, Math.floor(((at - task.createdAt) / Math.max(d, 1)) * 100)));
  let data: unknown;
  if (task.kind === 'lyrics') {
    const lyrics = { id: task.id, ...lyricsView(task, phase) };
    data = shapes.relayLyricsData === 'array' ? [lyrics] : lyrics;
  } else {
    data = task.clips.map((c) => relayClip(base, c, phase, shapes.relayClipStatus));
  }
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

/** The clip of a status answer, or the odd shape of an `[sim:odd]` task's clip. */
export const clipOrOdd = (task: SimTask, clip: SimClip, render: () => Record<string, unknown>): Record<string, unknown> =>
  task.odd ? oddClip(clip) : render();
