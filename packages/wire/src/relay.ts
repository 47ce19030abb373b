import { nativeClip, type WireClip, type WireClipStatus } from './clip';
import { lyricsView, type WireLyrics } from './lyrics';

/** The relay task (seed 003, the common open-source relays: new-api, one-hub). */

export const RELAY_STATUSES = ['NOT_START', 'SUBMITTED', 'QUEUED', 'IN_PROGRESS', 'SUCCESS', 'FAILURE'] as const;
export type RelayStatus = (typeof RELAY_STATUSES)[number];
export type RelayAction = 'MUSIC' | 'LYRICS';

export interface WireRelayTask {
  id: string;
  action: RelayAction;
  status: RelayStatus;
  /** '' unless it failed. */
  failReason: string;
  /** Unix seconds; 0 when it has not happened yet. */
  submitTime: number;
  startTime: number;
  finishTime: number;
  /** 0–100. */
  progress: number;
  clips: readonly WireClip[];
  lyrics: WireLyrics | null;
}

/** Where relays differ (docs/providers.md): clip `status` or `state`, lyrics `data` as an object or a one-item array. */
export interface RelayShapes {
  clipStatus: 'status' | 'state';
  lyricsData: 'object' | 'array';
}
export const DEFAULT_RELAY_SHAPES: RelayShapes = { clipStatus: 'status', lyricsData: 'object' };

/** AceData's clip states (pending, running, succeeded, error), which some relays copy. */
export const ACTION_STATE: Record<WireClipStatus, string> = {
  submitted: 'pending',
  queued: 'pending',
  streaming: 'running',
  complete: 'succeeded',
  error: 'error',
};

/** A relay clip: Suno's object, or with `state` for `status` as some relays send it. */
export function relayClip(c: WireClip, shape: RelayShapes['clipStatus'] = 'status'): Record<string, unknown> {
  const clip = nativeClip(c);
  if (shape === 'status') return clip;
  const { status: _status, ...rest } = clip;
  return { ...rest, state: ACTION_STATE[c.status] };
}

export function relayTask(t: WireRelayTask, shapes: RelayShapes = DEFAULT_RELAY_SHAPES): Record<string, unknown> {
  let data: unknown;
  if (t.action === 'LYRICS') {
    const lyrics = t.lyrics ? { id: t.lyrics.id, ...lyricsView(t.lyrics) } : null;
    data = shapes.lyricsData === 'array' ? (lyrics ? [lyrics] : []) : lyrics;
  } else {
    data = t.clips.map((c) => relayClip(c, shapes.clipStatus));
  }
  return {
    task_id: t.id,
    action: t.action,
    status: t.status,
    fail_reason: t.failReason,
    submit_time: t.submitTime,
    start_time: t.startTime,
    finish_time: t.finishTime,
    progress: `${Math.round(Math.min(100, Math.max(0, t.progress)))}%`,
    data,
  };
}
