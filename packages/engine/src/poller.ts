import { JOBS, QUEUES } from '@refrain/contracts';
import { countPollCandidates, countWaiting, learnedDurations, pollCandidates, unsettledSteps, type PollCandidate } from '@refrain/db';
import { observeTasksPerQuery, setBudgetGauges, setPollGauges, setTaskDurations } from '@refrain/observability';
import type { Job } from 'bullmq';
import { applyUpstreamNews } from './apply';
import { clock, providerOf, type EngineDeps } from './deps';
import { ProviderBusyError } from './limits';
import {
  dueCutoffs,
  dueRules,
  effectiveIntervalMs,
  estimateDurations,
  pickDue,
  pollAllowance,
  tickRoom,
  type DueRules,
  type DurationEstimate,
  type TickRoom,
} from './poll-plan';
import { promoteStep } from './promote';

/** Most candidates one tick reads from Postgres, page by page. */
const MAX_TASKS_PER_TICK = 5000;
const PAGE = 1000;
/** How long learned durations are reused before they are read again. */
const DURATIONS_TTL_MS = 10_000;
/** How long the count of waiting steps (metrics, GET /v1/providers) is reused: counting them costs as much as they are many. */
const WAITING_COUNT_TTL_MS = 30_000;
/** A finished task whose job has not settled it after this long lost its promote: promote it again. */
const UNSETTLED_AFTER_MS = 5000;

export interface PollTickResult {
  /** Waiting tasks, those an answer could have changed for, those asked about, and requests sent. */
  waiting: number;
  due: number;
  asked: number;
  requests: number;
  finished: number;
  /** Due, but left for a later tick: the budget could not cover them. */
  overdue: number;
  effectiveIntervalMs: number;
  skipped?: 'busy';
}

/** What GET /v1/providers shows of a provider's polling (the last tick, whichever worker ran it). */
export interface PollState extends PollTickResult {
  at: string;
  allowance: number;
  callbackOverdue: number;
  durations: Record<string, DurationEstimate>;
}

const pollStateKey = (provider: string) => `poll:${provider}:state`;

const durationsCache = new Map<string, { at: number; value: Record<string, DurationEstimate> }>();
const waitingCache = new Map<string, { at: number; value: number }>();

async function waitingOf(deps: EngineDeps, provider: string): Promise<number> {
  const hit = waitingCache.get(provider);
  const now = clock(deps);
  if (hit && now - hit.at < WAITING_COUNT_TTL_MS) return hit.value;
  const value = await countWaiting(deps.database.db, provider);
  waitingCache.set(provider, { at: now, value });
  return value;
}

async function durationsOf(deps: EngineDeps, provider: string): Promise<Record<string, DurationEstimate>> {
  const hit = durationsCache.get(provider);
  const now = clock(deps);
  if (hit && now - hit.at < DURATIONS_TTL_MS) return hit.value;
  const value = estimateDurations(await learnedDurations(deps.database.db, provider));
  durationsCache.set(provider, { at: now, value });
  return value;
}

/** The due tasks a tick has room for, oldest first (the most likely to be done), reading candidates page by page. */
async function dueTasks(deps: EngineDeps, provider: string, rules: DueRules, now: number, room: TickRoom) {
  const cutoffs = dueCutoffs(rules, now);
  const due: PollCandidate[] = [];
  let after: PollCandidate | null = null;
  let read = 0;
  for (;;) {
    const rows: PollCandidate[] = await pollCandidates(deps.database.db, provider, { cutoffs, after, limit: PAGE });
    read += rows.length;
    due.push(...pickDue(rows, rules, now, room, Math.floor(now / providerOf(deps, provider).config.poll_interval_ms)));
    after = rows.at(-1) ?? null;
    if (rows.length < PAGE) return { due, cutoffs, complete: room.tasks > 0 && room.skipped === 0 };
    if (room.tasks <= 0 || read >= MAX_TASKS_PER_TICK) return { due, cutoffs, complete: false };
  }
}

/**
 * One tick of a provider's poller: read the tasks an answer can have changed for (old
 * enough to be done, callbacks overdue), oldest first, as many as the poller's share of the
 * budget covers; ask upstream in batches (each request passes the shared gate in the poll
 * lane); apply each answer at once; promote what finished; and back up lost promotes.
 */
export async function pollProvider(deps: EngineDeps, name: string): Promise<PollTickResult> {
  const { adapter, config } = providerOf(deps, name);
  const store = deps.guard.store;
  const lock = `poll:${name}:tick`;
  // A tick that outlives its interval (waiting for the budget) is not doubled by the next one on another worker.
  if (!(await store.setIfAbsent(lock, '1', Math.max(config.poll_interval_ms * 3, 10_000)).catch(() => true))) {
    return { waiting: 0, due: 0, asked: 0, requests: 0, finished: 0, overdue: 0, effectiveIntervalMs: config.poll_interval_ms, skipped: 'busy' };
  }
  try {
    const now = clock(deps);
    const durations = await durationsOf(deps, name);
    const rules = dueRules(durations, config);
    const budget = await deps.guard.budget(config);
    const allowance = pollAllowance(budget.effective_rps, config);
    const perRequest = Math.max(1, adapter.queryBatchSize);
    const { due, cutoffs, complete } = await dueTasks(deps, name, rules, now, tickRoom(allowance * perRequest, perRequest));
    // When the budget (or the page limit) stopped the reading, the candidates not read count as due.
    const dueTotal = complete ? due.length : Math.max(due.length, await countPollCandidates(deps.database.db, name, cutoffs));

    let asked = 0;
    let requests = 0;
    let finished = 0;
    for (let i = 0; i < due.length && requests < allowance; i += perRequest) {
      const group = due.slice(i, i + perRequest);
      const refs = group.map((r) => ({ taskId: r.taskId!, clipIds: r.clipIds, op: r.op as never }));
      try {
        const { value, requests: sent } = await deps.guard.call(config, 'poll', () => adapter.query(refs));
        requests += sent;
        for (let k = 0; k < sent; k++) observeTasksPerQuery(name, group.length / sent);
        asked += group.length;
        const changes = await applyUpstreamNews(deps, name, value);
        finished += changes.filter((c) => c.finished).length;
      } catch (err) {
        // A failed request is not fatal: the next tick asks again, and every step has a deadline.
        if (!(err instanceof ProviderBusyError)) deps.logger.warn({ provider: name, err: (err as Error).message }, 'poll failed');
        break;
      }
    }
    const result: PollTickResult = {
      // (a cached count: at least what this tick saw due)
      waiting: Math.max(await waitingOf(deps, name), dueTotal),
      due: dueTotal,
      asked,
      requests,
      finished,
      overdue: Math.max(0, dueTotal - asked),
      effectiveIntervalMs: effectiveIntervalMs(config, dueTotal, allowance * perRequest),
    };
    await report(deps, name, result, {
      allowance,
      callbackOverdue: due.filter((d) => d.callback).length,
      durations,
      budget,
    });
    await promoteUnsettled(deps, name, now);
    return result;
  } finally {
    await store.del(lock).catch(() => {});
  }
}

async function report(
  deps: EngineDeps,
  name: string,
  r: PollTickResult,
  extra: { allowance: number; callbackOverdue: number; durations: Record<string, DurationEstimate>; budget: Awaited<ReturnType<EngineDeps['guard']['budget']>> },
): Promise<void> {
  setBudgetGauges(name, { limitRps: extra.budget.effective_rps, usedRps: extra.budget.used_last_second, factor: extra.budget.factor });
  setPollGauges(name, { ...r, callbackOverdue: extra.callbackOverdue, effectiveIntervalS: r.effectiveIntervalMs / 1000 });
  setTaskDurations(name, Object.fromEntries(Object.entries(extra.durations).map(([op, d]) => [op, { '0.05': d.p05, '0.5': d.p50, '0.95': d.p95 }])));
  const { config } = providerOf(deps, name);
  const state: PollState = { ...r, at: new Date(clock(deps)).toISOString(), allowance: extra.allowance, callbackOverdue: extra.callbackOverdue, durations: extra.durations };
  await deps.guard.store.set(pollStateKey(name), JSON.stringify(state), Math.max(config.poll_interval_ms * 5, 30_000)).catch(() => {});
}

/** The poll state the last tick left (any worker), or null. */
export async function pollState(deps: EngineDeps, provider: string): Promise<PollState | null> {
  const raw = await deps.guard.store.get(pollStateKey(provider)).catch(() => null);
  return raw ? (JSON.parse(raw) as PollState) : null;
}

/**
 * The safety net for a lost promote (the poller or a callback wrote the task's end, but the
 * promote never reached the job): such steps are promoted again. Its cost is the steps
 * between their task's end and their job's next look, not the steps that wait.
 */
async function promoteUnsettled(deps: EngineDeps, name: string, now: number): Promise<void> {
  try {
    const lost = await unsettledSteps(deps.database.db, name, new Date(now - UNSETTLED_AFTER_MS));
    for (const s of lost) await promoteStep(deps.kit, s.generationId, s.index);
    if (lost.length) deps.logger.warn({ provider: name, steps: lost.length }, 'promoted steps whose promote was lost');
  } catch (err) {
    deps.logger.warn({ provider: name, err: (err as Error).message }, 'could not look for unsettled steps');
  }
}

export function createPollProcessor(deps: EngineDeps) {
  return async (job: Job) => {
    const { provider } = JOBS.poll.schema.parse(job.data);
    return pollProvider(deps, provider);
  };
}

/** One Job Scheduler per provider, ticking every poll_interval_ms. Upsert is idempotent. */
export async function schedulePollers(deps: EngineDeps): Promise<void> {
  const queue = deps.kit.queue(QUEUES.poll);
  for (const { config } of deps.providers.values()) {
    await queue.upsertJobScheduler(
      `poll-${config.name}`,
      { every: config.poll_interval_ms },
      { name: `poll ${config.name}`, data: { provider: config.name }, opts: { removeOnComplete: true, removeOnFail: 50 } },
    );
  }
}
