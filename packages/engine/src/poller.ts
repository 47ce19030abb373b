import { JOBS, QUEUES } from '@refrain/contracts';
import { waitingTasks } from '@refrain/db';
import type { Job } from 'bullmq';
import { applyUpstreamNews } from './apply';
import { callbackGraceMs, clock, providerOf, type EngineDeps } from './deps';
import { ProviderBusyError } from './limits';

/** Most tasks one tick asks about; the rest wait for the next tick (oldest first). */
const MAX_TASKS_PER_TICK = 5000;

/**
 * One tick of a provider's batch feed poller: load its waiting steps from Postgres, ask
 * upstream about many tasks per request, apply the answers, promote finished steps.
 */
export async function pollProvider(deps: EngineDeps, name: string): Promise<{ tasks: number; finished: number }> {
  const { adapter, config } = providerOf(deps, name);
  const rows = await waitingTasks(deps.database.db, name, MAX_TASKS_PER_TICK, {
    callbacksDueBefore: new Date(clock(deps) - callbackGraceMs(config)),
  });
  const refs = rows
    .filter((r) => r.taskId)
    .map((r) => ({ taskId: r.taskId!, clipIds: r.clipIds, op: r.op as never }));
  if (refs.length === 0) return { tasks: 0, finished: 0 };
  let snapshots;
  try {
    snapshots = await deps.guard.call(config, () => adapter.query(refs));
  } catch (err) {
    if (err instanceof ProviderBusyError) return { tasks: refs.length, finished: 0 };
    // A failed tick is not fatal: the next tick asks again, and every step has a deadline.
    deps.logger.warn({ provider: name, err: (err as Error).message }, 'poll failed');
    return { tasks: refs.length, finished: 0 };
  }
  const changes = await applyUpstreamNews(deps, name, snapshots);
  return { tasks: refs.length, finished: changes.filter((c) => c.finished).length };
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
