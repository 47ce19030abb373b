import { JOBS, QUEUES, stepJobId, type Op } from '@refrain/contracts';
import { activeGenerationIds, activeSteps, pendingDeliveryIds, stepUpstreamState } from '@refrain/db';
import { enqueueGeneration } from '@refrain/queue';
import type { EngineDeps } from './deps';
import { promoteStep } from './promote';
import { enqueueDelivery } from './webhooks';

const unfinished = (s: { status: string }) => s.status !== 'succeeded' && s.status !== 'failed' && s.status !== 'canceled';

/**
 * Postgres is the truth; the queue only holds work in progress. For every non-final
 * generation, make sure the job of its first unfinished step exists, and re-create the
 * rest of its flow when it does not (deterministic ids make a double add harmless).
 * A re-created step with a recorded upstream task just goes back to waiting on it.
 *
 * `wakeSettled` (after a reconnect, when the master may have lost writes): step jobs that
 * only sleep because a promotion was lost are woken now instead of at the end of their
 * delay (see `wakeLostPromotion`).
 */
export async function reconcile(
  deps: EngineDeps,
  opts: { olderThanMs?: number; wakeSettled?: boolean } = {},
): Promise<{ checked: number; recreated: number; woken: number }> {
  const olderThan = opts.olderThanMs ? new Date((deps.now ?? Date.now)() - opts.olderThanMs) : undefined;
  const ids = await activeGenerationIds(deps.database.db, 5000, olderThan);
  const steps = await activeSteps(deps.database.db, ids);
  const queue = deps.kit.queue(QUEUES.steps);
  let recreated = 0;
  let woken = 0;
  for (const id of ids) {
    const mine = steps.filter((s) => s.generationId === id);
    const first = mine.find(unfinished);
    if (!first) continue;
    const existing = await queue.getJob(stepJobId(id, first.index));
    const state = existing ? await existing.getState() : 'missing';
    if (opts.wakeSettled && (state === 'delayed' || state === 'waiting-children')) {
      if (await wakeLostPromotion(deps, id, first.index, state)) woken++;
      continue;
    }
    if (state !== 'missing' && state !== 'unknown' && state !== 'completed' && state !== 'failed') continue;
    // The snapshot above may be older than what the queue just said: a step that finished
    // meanwhile has a completed (or already trimmed) job, and its flow is alive. Only a
    // step still unfinished in Postgres now, with no live job, gets its flow re-created.
    if (!(await stillFirstUnfinished(deps, id, first.index))) continue;
    if (existing) await existing.remove({ removeChildren: false }).catch(() => {});
    await removeLaterJobs(deps, id, mine.map((s) => s.index).filter((i) => i > first.index));
    await enqueueGeneration(deps.kit, id, mine.map((s) => ({ index: s.index, op: s.op as Op })), first.index);
    recreated++;
    deps.logger.warn({ generationId: id, step: first.index, was: state }, 'reconciler re-created a missing step job');
  }
  recreated += await reconcileDeliveries(deps);
  return { checked: ids.length, recreated, woken };
}

async function stillFirstUnfinished(deps: EngineDeps, generationId: string, index: number): Promise<boolean> {
  const now = await activeSteps(deps.database.db, [generationId]);
  return now.find(unfinished)?.index === index;
}

/**
 * A failover can lose a promotion (the poller's or a callback's) and what followed it:
 * - the first unfinished step sleeps although Postgres says its upstream task is over;
 * - it waits on its children although Postgres says the step before it succeeded: that
 *   child's job sleeps again where its finish was lost, and must run once more to hand
 *   its output up (it re-reads Postgres; nothing is submitted).
 * Wakes the one job that should be running; true when it did.
 */
async function wakeLostPromotion(deps: EngineDeps, generationId: string, first: number, state: 'delayed' | 'waiting-children'): Promise<boolean> {
  if (state === 'delayed') {
    const upstream = await stepUpstreamState(deps.database.db, generationId, first);
    return upstream !== null && upstream !== 'running' && (await promoteStep(deps.kit, generationId, first));
  }
  const queue = deps.kit.queue(QUEUES.steps);
  for (let child = first - 1; child >= 0; child--) {
    const job = await queue.getJob(stepJobId(generationId, child));
    const childState = job ? await job.getState() : 'missing';
    if (childState === 'delayed') return promoteStep(deps.kit, generationId, child);
    if (childState !== 'waiting-children') return false;
  }
  return false;
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
