import type { ClipStatus, Op } from '@refrain/contracts';
import { z } from 'zod';
import { lookup, summarizeClips, type Warn } from '../status';
import type { ClipSnapshot, TaskSnapshot } from '../types';
import { SUNO_CLIP_STATUS, sunoClipSchema, sunoClipSnapshot } from './suno-clip';

/** Relay task status words → Refrain's clip states. UNKNOWN is deliberately absent: it is logged and kept running. */
export const RELAY_STATUS: Record<string, ClipStatus> = {
  NOT_START: 'queued',
  SUBMITTED: 'queued',
  QUEUED: 'queued',
  IN_PROGRESS: 'streaming',
  SUCCESS: 'complete',
  FAILURE: 'error',
};

const lyricsData = z.looseObject({
  id: z.string().nullish(),
  text: z.string().nullish(),
  title: z.string().nullish(),
  status: z.string().nullish(),
});

/** The common open-source relays' task object (docs/providers.md, relay gap). */
export const relayTaskSchema = z.looseObject({
  task_id: z.string().min(1),
  action: z.string().nullish(),
  status: z.string(),
  fail_reason: z.string().nullish(),
  progress: z.union([z.string(), z.number()]).nullish(),
  data: z.union([z.array(sunoClipSchema), lyricsData]).nullish(),
});
export type RelayTask = z.infer<typeof relayTaskSchema>;

const isLyricsTask = (t: RelayTask, op?: Op): boolean =>
  op === 'lyrics' || t.action?.toUpperCase() === 'LYRICS' || (t.data != null && !Array.isArray(t.data));

/**
 * Maps a relay task. The task status rules its clips, except while IN_PROGRESS (or an
 * unknown status) when each clip keeps its own status if it has one.
 */
export function relayTaskSnapshot(t: RelayTask, ctx: { op?: Op; warn?: Warn }): TaskSnapshot {
  const taskStatus = lookup(RELAY_STATUS, t.status);
  if (taskStatus === undefined) {
    ctx.warn?.(`relay: unknown task status "${t.status}"; treating the task as still running`, {
      dialect: 'relay',
      taskId: t.task_id,
      status: t.status,
    });
  }
  const failReason = t.fail_reason || `task ${t.task_id} failed upstream`;

  if (isLyricsTask(t, ctx.op)) {
    const d = t.data != null && !Array.isArray(t.data) ? t.data : undefined;
    if (taskStatus === 'complete') {
      return { taskId: t.task_id, state: 'complete', clips: [], lyrics: { title: d?.title ?? '', text: d?.text ?? '' } };
    }
    if (taskStatus === 'error') return { taskId: t.task_id, state: 'error', clips: [], error: failReason };
    return { taskId: t.task_id, state: 'running', clips: [] };
  }

  const raw = Array.isArray(t.data) ? t.data : [];
  const ownStatusRules = taskStatus === undefined || taskStatus === 'streaming';
  const clips: ClipSnapshot[] = raw.map((c) => {
    const own = lookup(SUNO_CLIP_STATUS, c.status);
    if (ownStatusRules && own === undefined && c.status !== '') {
      ctx.warn?.(`relay: unknown clip status "${c.status}"; using the task's`, { dialect: 'relay', clipId: c.id, status: c.status });
    }
    const status: ClipStatus = ownStatusRules ? (own ?? taskStatus ?? (c.audio_url ? 'streaming' : 'queued')) : taskStatus;
    const snap = sunoClipSnapshot(c, { dialect: 'relay', status });
    return status === 'error' ? { ...snap, error_message: snap.error_message ?? failReason } : snap;
  });

  if (taskStatus === 'error') return { taskId: t.task_id, state: 'error', clips, error: failReason };
  if (taskStatus === 'complete') return { taskId: t.task_id, state: 'complete', clips };
  return { taskId: t.task_id, clips, ...summarizeClips(clips) };
}
