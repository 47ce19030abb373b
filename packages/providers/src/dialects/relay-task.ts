import type { ClipStatus, Op } from '@refrain/contracts';
import { z } from 'zod';
import { parseItems } from '../answer-items';
import { lookup, summarizeClips, type Warn } from '../status';
import type { ClipSnapshot, TaskSnapshot } from '../types';
import { SUNO_CLIP_STATE, SUNO_CLIP_STATUS, rawStatusOf, sunoClipSchema, sunoClipSnapshot, type SunoClip } from './suno-clip';

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
  /** The array form seen on some relays carries the text as `prompt`. */
  prompt: z.string().nullish(),
  title: z.string().nullish(),
  status: z.string().nullish(),
});

type LyricsData = z.infer<typeof lyricsData>;

/**
 * The common open-source relays' task object (docs/providers.md, relay gap). `data` is
 * the clips of a MUSIC task, or a LYRICS task's `{id, text, title, status}` (some relays
 * send that as a one-item array).
 */
export const relayTaskSchema = z.looseObject({
  task_id: z.string().min(1),
  action: z.string().nullish(),
  status: z.string(),
  fail_reason: z.string().nullish(),
  progress: z.union([z.string(), z.number()]).nullish(),
  data: z.union([z.array(z.unknown()), lyricsData]).nullish(),
});
export type RelayTask = z.infer<typeof relayTaskSchema>;

const isLyricsTask = (t: RelayTask, op?: Op): boolean =>
  op === 'lyrics' || t.action?.toUpperCase() === 'LYRICS' || (t.data != null && !Array.isArray(t.data));

/** The lyrics of a LYRICS task, whether `data` is the object or an array holding it. */
function lyricsOf(t: RelayTask): LyricsData | undefined {
  const d = t.data;
  if (d == null) return undefined;
  if (!Array.isArray(d)) return d;
  const first = lyricsData.safeParse(d[0]);
  return first.success ? first.data : undefined;
}

/** A MUSIC task's clips, each validated on its own (an odd one is reported and left out). */
const clipsOf = (t: RelayTask, warn?: Warn): SunoClip[] =>
  Array.isArray(t.data) ? parseItems(t.data, sunoClipSchema, { dialect: 'relay', what: 'clip', warn }) : [];

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
    const d = lyricsOf(t);
    if (taskStatus === 'complete') {
      return { taskId: t.task_id, state: 'complete', clips: [], lyrics: { title: d?.title ?? '', text: d?.text ?? d?.prompt ?? '' } };
    }
    if (taskStatus === 'error') return { taskId: t.task_id, state: 'error', clips: [], error: failReason };
    return { taskId: t.task_id, state: 'running', clips: [] };
  }

  const raw = clipsOf(t, ctx.warn);
  const ownStatusRules = taskStatus === undefined || taskStatus === 'streaming';
  const clips: ClipSnapshot[] = raw.map((c) => {
    const word = rawStatusOf(c);
    const own = lookup(c.status !== undefined ? SUNO_CLIP_STATUS : SUNO_CLIP_STATE, word);
    if (ownStatusRules && own === undefined && word !== '') {
      ctx.warn?.(`relay: unknown clip status "${word}"; using the task's`, { dialect: 'relay', clipId: c.id, status: word });
    }
    const status: ClipStatus = ownStatusRules ? (own ?? taskStatus ?? (c.audio_url ? 'streaming' : 'queued')) : taskStatus;
    const snap = sunoClipSnapshot(c, { dialect: 'relay', status });
    return status === 'error' ? { ...snap, error_message: snap.error_message ?? failReason } : snap;
  });

  if (taskStatus === 'error') return { taskId: t.task_id, state: 'error', clips, error: failReason };
  if (taskStatus === 'complete') return { taskId: t.task_id, state: 'complete', clips };
  return { taskId: t.task_id, clips, ...summarizeClips(clips) };
}
