import { QUEUES } from '@refrain/contracts';
import type { Worker } from 'bullmq';
import { backoffStrategy } from './backoff';
import type { EngineDeps } from './deps';
import { createDeliveryProcessor } from './deliveries';
import { createPollProcessor, schedulePollers } from './poller';
import { createReconcileProcessor, reconcile } from './reconciler';
import { clock } from './deps';
import { watchCredits } from './pools';
import { createStepProcessor } from './step-processor';
import { scheduleMaintenance, startWatchdog } from './watchdog';

export interface EngineOptions {
  /** Step jobs run at once in this process (they mostly wait on I/O). */
  concurrency?: number;
  /** Reconciler period. */
  reconcileEveryMs?: number;
  /** How often the credits of pool members are asked for, where their dialect can tell (POOL_CREDITS_REFRESH_S). */
  creditsRefreshMs?: number;
}

export interface RunningEngine {
  workers: Worker[];
  close(): Promise<void>;
}

/** Start the queue processors of one worker process: steps, pollers, reconciler. */
export async function startEngine(deps: EngineDeps, opts: EngineOptions = {}): Promise<RunningEngine> {
  const { kit, logger } = deps;
  const steps = kit.worker(QUEUES.steps, createStepProcessor(deps), {
    concurrency: opts.concurrency ?? 50,
    settings: { backoffStrategy: backoffStrategy(1000) },
  });
  const poll = kit.worker(QUEUES.poll, createPollProcessor(deps), { concurrency: Math.max(deps.providers.size, 1) });
  const maintenance = kit.worker(QUEUES.maintenance, createReconcileProcessor(deps), { concurrency: 1 });
  const deliveries = kit.worker(QUEUES.deliveries, createDeliveryProcessor(deps), {
    concurrency: 20,
    settings: { backoffStrategy: backoffStrategy(2000) },
  });
  const workers = [steps, poll, maintenance, deliveries];
  for (const w of workers) {
    w.on('error', (err) => logger.error({ err: err.message, queue: w.name }, 'worker error'));
    w.on('failed', (job, err) => {
      if (job && w.name === QUEUES.steps) logger.debug({ jobId: job.id, err: err.message }, 'step job failed');
    });
  }

  await schedulePollers(deps);
  await scheduleMaintenance(deps, opts.reconcileEveryMs);
  const stopWatchdog = startWatchdog(deps, { reconcileEveryMs: opts.reconcileEveryMs });
  const members = new Set([...(deps.pools?.values() ?? [])].flatMap((p) => p.members.map((m) => m.provider)));
  const runtimes = [...members].flatMap((name) => deps.providers.get(name) ?? []);
  const stopCredits = watchCredits(deps.guard, runtimes, opts.creditsRefreshMs ?? 300_000, () => clock(deps), logger);
  // On start: whatever a crash or a Redis loss left behind is rebuilt from Postgres.
  reconcile(deps)
    .then((r) => r.recreated && logger.warn(r, 'reconciled on start'))
    .catch((err) => logger.error({ err: (err as Error).message }, 'reconcile on start failed'));

  return {
    workers,
    async close() {
      // Stop taking work; active jobs finish (or park themselves as delayed) before close resolves.
      stopWatchdog();
      stopCredits();
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
