import { JOBS, QUEUES, stepJobId, type Op } from '@refrain/contracts';
import { activeGenerationIds, activeSteps, pendingDeliveryIds } from '@refrain/db';
import { enqueueGeneration } from '@refrain/queue';
import type { EngineDeps } from './deps';
import { enqueueDelivery } from './webhooks';

/**
 * Postgres is the truth; the queue only holds work in progress. For every non-final
 * generation, make sure the job of its first unfinished step exists, and re-create the
 * rest of its flow when it does not (deterministic ids make a double add harmless).
 * A re-created step with a recorded upstream task just goes back to waiting on it.
 */
export async function reconcile(deps: EngineDeps, opts: { olderThanMs?: number } = {}): Promise<{ checked: number; recreated: number }> {
  const olderThan = opts.olderThanMs ? new Date((deps.now ?? Date.now)() - opts.olderThanMs) : undefined;
  const ids = await activeGenerationIds(deps.database.db, 5000, olderThan);
  const steps = await activeSteps(deps.database.db, ids);
  const queue = deps.kit.queue(QUEUES.steps);
  let recreated = 0;
  for (const id of ids) {
    const mine = steps.filter((s) => s.generationId === id);
    const first = mine.find((s) => s.status !== 'succeeded' && s.status !== 'failed' && s.status !== 'canceled');
    if (!first) continue;
    const existing = await queue.getJob(stepJobId(id, first.index));
    const state = existing ? await existing.getState() : 'missing';
    if (state !== 'missing' && state !== 'unknown' && state !== 'completed' && state !== 'failed') continue;
    if (existing) await existing.remove({ removeChildren: false }).catch(() => {});
    await removeLaterJobs(deps, id, mine.map((s) => s.index).filter((i) => i > first.index));
    await enqueueGeneration(deps.kit, id, mine.map((s) => ({ index: s.index, op: s.op as Op })), first.index);
    recreated++;
    deps.logger.warn({ generationId: id, step: first.index, was: state }, 'reconciler re-created a missing step job');
  }
  recreated += await reconcileDeliveries(deps);
  return { checked: ids.length, recreated };
}

/** A pending webhook whose job is gone (Redis lost it) gets its job back. */
async function reconcileDeliveries(deps: EngineDeps): Promise<number> {
  const queue = deps.kit.queue(QUEUES.deliveries);
  let recreated = 0;
  for (const id of await pendingDeliveryIds(deps.database.db)) {
    if (await queue.getJob(id)) continue;
    await enqueueDelivery(deps, id);
    recreated++;
  }
  return recreated;
}

async function removeLaterJobs(deps: EngineDeps, generationId: string, indexes: number[]) {
  const queue = deps.kit.queue(QUEUES.steps);
  for (const i of indexes) {
    const j = await queue.getJob(stepJobId(generationId, i));
    if (j) await j.remove({ removeChildren: false }).catch(() => {});
  }
}

export function createReconcileProcessor(deps: EngineDeps) {
  return async (job: { data: unknown }) => {
    JOBS.reconcile.schema.parse(job.data);
    return reconcile(deps, { olderThanMs: 30_000 });
  };
}
