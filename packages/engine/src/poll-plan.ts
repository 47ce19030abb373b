import { OPS, type ProviderConfig } from '@refrain/contracts';

/**
 * What a poll tick asks, decided without I/O (the tick in poller.ts does the I/O):
 * - learn each operation's duration from the provider's finished tasks;
 * - ask about a task only once it is old enough to be done, and about a task submitted
 *   with a callback only once its callback is overdue;
 * - spend at most a share of the provider's budget on status queries, oldest tasks first.
 */

/** The poller's share of a provider's budget per tick; submissions always keep the rest. */
export const POLL_SHARE = 0.5;
/** Fewer finished tasks than this and an operation's duration is not trusted yet. */
export const MIN_SAMPLES = 5;

export interface DurationEstimate {
  samples: number;
  /** Seconds: the 5th percentile (how soon a task can be done), the median, the 95th. */
  p05: number;
  p50: number;
  p95: number;
}

/** Nearest-rank percentile of a sorted list. */
const rank = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;

/** Per operation, the quantiles of its recent durations; operations with too few samples are left out. */
export function estimateDurations(samples: Record<string, readonly number[]>): Record<string, DurationEstimate> {
  const out: Record<string, DurationEstimate> = {};
  for (const [op, list] of Object.entries(samples)) {
    const sorted = list.filter((x) => Number.isFinite(x) && x >= 0).sort((a, b) => a - b);
    if (sorted.length < MIN_SAMPLES) continue;
    out[op] = { samples: sorted.length, p05: rank(sorted, 0.05), p50: rank(sorted, 0.5), p95: rank(sorted, 0.95) };
  }
  return out;
}

export interface DueRule {
  /** A task without a callback is asked about once it is this old (ms since its submission). */
  firstAskMs: number;
  /** A task submitted with a callback is asked about once it is this old: its callback is overdue. */
  callbackOverdueMs: number;
}

/** How long a notify_hook gets before polling backs it up, beyond the learned duration: three intervals, at least 3 s. */
export const callbackGraceMs = (config: Pick<ProviderConfig, 'poll_interval_ms'>): number => Math.max(config.poll_interval_ms * 3, 3000);

/**
 * When a task of this operation becomes worth asking about. The samples are the times at
 * which Refrain noticed the end (up to one interval late when it was polled), so the first
 * ask comes one interval before the 5th percentile: a task that ends as early as most do is
 * still noticed within one interval. Unknown duration: from the first tick.
 */
export function dueRule(estimate: DurationEstimate | undefined, config: Pick<ProviderConfig, 'poll_interval_ms'>): DueRule {
  const interval = config.poll_interval_ms;
  return {
    firstAskMs: estimate ? Math.max(0, estimate.p05 * 1000 - interval) : 0,
    callbackOverdueMs: (estimate ? estimate.p95 * 1000 : 0) + callbackGraceMs(config),
  };
}

export interface DueRules {
  byOp: Record<string, DueRule>;
  fallback: DueRule;
}

export function dueRules(estimates: Record<string, DurationEstimate>, config: Pick<ProviderConfig, 'poll_interval_ms'>): DueRules {
  return { byOp: Object.fromEntries(Object.entries(estimates).map(([op, e]) => [op, dueRule(e, config)])), fallback: dueRule(undefined, config) };
}

/** For each operation, the submission times at or before which its steps are due: the ranges the database reads. */
export function dueCutoffs(rules: DueRules, now: number): { op: string; plainBefore: Date; callbackBefore: Date }[] {
  return OPS.map((op) => {
    const r = rules.byOp[op] ?? rules.fallback;
    return { op, plainBefore: new Date(now - r.firstAskMs), callbackBefore: new Date(now - r.callbackOverdueMs) };
  });
}

export interface WaitingTask {
  op: string;
  submittedAt: Date;
  callback: boolean;
}

/** Can an answer about this task have changed since it was submitted, as far as we can tell? */
export function isDue(task: WaitingTask, rules: DueRules, now: number): boolean {
  const rule = rules.byOp[task.op] ?? rules.fallback;
  const age = now - task.submittedAt.getTime();
  return age >= (task.callback ? rule.callbackOverdueMs : rule.firstAskMs);
}

/** What a tick may still ask: tasks in all, and tasks of operations whose duration is not learned yet. */
export interface TickRoom {
  tasks: number;
  unlearned: number;
  /** Due tasks left out because the room for unlearned operations was full. */
  skipped: number;
}

/**
 * The room of a tick: `capacity` tasks, of which one request's worth may be of operations
 * not learned yet. Those are all due from their submission; asking about the oldest ones
 * each tick is enough to learn from the first that finish.
 */
export const tickRoom = (capacity: number, perRequest: number): TickRoom => ({ tasks: capacity, unlearned: Math.min(capacity, perRequest), skipped: 0 });

/**
 * Which of these candidates (oldest first) a tick asks about: the due ones with a task id,
 * oldest first (the most likely to be done), as far as the room goes (taken from it).
 * Tasks of operations not learned yet share a small room; which of them get it rotates with
 * `turn` (the tick's number), so one task that never ends, or answers in a shape no schema
 * reads, cannot hold that room tick after tick while the others wait out their deadlines.
 */
export function pickDue<T extends WaitingTask & { taskId: string | null }>(candidates: readonly T[], rules: DueRules, now: number, room: TickRoom, turn = 0): T[] {
  const due = candidates.filter((c) => c.taskId && isDue(c, rules, now));
  const unlearned = due.filter((c) => !(c.op in rules.byOp));
  const take = Math.min(room.unlearned, unlearned.length);
  const start = unlearned.length > 0 ? (turn * Math.max(1, take)) % unlearned.length : 0;
  const chosen = new Set(Array.from({ length: take }, (_, i) => unlearned[(start + i) % unlearned.length]!));
  const out: T[] = [];
  for (const c of due) {
    if (room.tasks <= 0) break;
    const learned = c.op in rules.byOp;
    if (!learned && !chosen.has(c)) {
      room.skipped++;
      continue;
    }
    if (!learned) room.unlearned--;
    room.tasks--;
    out.push(c);
  }
  return out;
}

/** Status requests one tick may send: the poller's share of what the budget allows per interval (at least one). */
export function pollAllowance(effectiveRps: number, config: Pick<ProviderConfig, 'poll_interval_ms'>): number {
  return Math.max(1, Math.floor(effectiveRps * POLL_SHARE * (config.poll_interval_ms / 1000)));
}

/**
 * How often a due task is asked about when a tick can ask `capacity` of `due` tasks: the
 * interval, stretched by the ticks it takes to get round to all of them.
 */
export function effectiveIntervalMs(config: Pick<ProviderConfig, 'poll_interval_ms'>, due: number, capacity: number): number {
  return config.poll_interval_ms * Math.max(1, Math.ceil(due / Math.max(1, capacity)));
}
