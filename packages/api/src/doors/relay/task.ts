import { relayTask, type RelayStatus } from '@refrain/wire';
import type { DoorPhase, DoorTask } from '../core/task-view';

/** The relay's task status for each phase (docs/doors.md, relay). */
export const RELAY_STATUS: Record<DoorPhase, RelayStatus> = {
  pending: 'NOT_START',
  submitted: 'SUBMITTED',
  queued: 'QUEUED',
  streaming: 'IN_PROGRESS',
  succeeded: 'SUCCESS',
  failed: 'FAILURE',
};

/** `progress`: fixed steps until the audio streams, then by the share of clips complete. */
function progressOf(t: DoorTask): number {
  switch (t.phase) {
    case 'pending':
      return 0;
    case 'submitted':
      return 10;
    case 'queued':
      return 20;
    case 'streaming': {
      const done = t.clips.filter((c) => c.status === 'complete').length;
      return Math.min(99, 50 + Math.floor((49 * done) / Math.max(t.clips.length, 1)));
    }
    default:
      return 100;
  }
}

/** The task object as `GET /suno/fetch/{task_id}` answers it (and as a notify_hook receives it). */
export function relayTaskOf(t: DoorTask): Record<string, unknown> {
  return relayTask({
    id: t.record.taskId ?? t.record.id,
    action: t.op === 'lyrics' ? 'LYRICS' : 'MUSIC',
    status: RELAY_STATUS[t.phase],
    failReason: t.failure?.message ?? '',
    submitTime: t.submitTime,
    startTime: t.startTime,
    finishTime: t.finishTime,
    progress: progressOf(t),
    clips: t.clips,
    lyrics: t.lyrics,
  });
}
