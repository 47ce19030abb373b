import { QUEUES } from '@refrain/contracts';
import type { EngineDeps } from './deps';
import { schedulePollers } from './poller';
import { reconcile } from './reconciler';

export const RECONCILE_EVERY_MS = 60_000;

export async function scheduleMaintenance(deps: EngineDeps, everyMs = RECONCILE_EVERY_MS): Promise<void> {
  await deps.kit
    .queue(QUEUES.maintenance)
    .upsertJobScheduler('reconcile', { every: everyMs }, { name: 'reconcile', data: { reason: 'schedule' }, opts: { removeOnComplete: true, removeOnFail: 20 } });
}

/**
 * Notices when Redis came back empty (a restart without persistence, a FLUSHALL) or after
 * a disconnect, and then rebuilds: the Job Schedulers (they live in Redis too) and every
 * missing step job, from Postgres. A sentinel key tells a wiped Redis from a healthy one.
 */
export function startWatchdog(deps: EngineDeps, opts: { everyMs?: number; reconcileEveryMs?: number } = {}): () => void {
  const redis = deps.kit.redis();
  if (!redis || deps.kit.config.kind !== 'redis') return () => {};
  const sentinel = `${deps.kit.config.prefix}:refrain:alive`;
  let busy = false;
  let wasDown = false;
  const rebuild = async (reason: string) => {
    deps.logger.warn({ reason }, 'rebuilding queues from Postgres');
    await schedulePollers(deps);
    await scheduleMaintenance(deps, opts.reconcileEveryMs);
    const r = await reconcile(deps);
    deps.logger.warn({ reason, ...r }, 'rebuilt queues from Postgres');
  };
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const created = await redis.set(sentinel, String(Date.now()), 'NX');
      if (created === 'OK') await rebuild('redis has no sentinel: it restarted empty or was wiped');
      else if (wasDown) await rebuild('redis reconnected');
      wasDown = false;
    } catch {
      wasDown = true;
    } finally {
      busy = false;
    }
  };
  redis.on('ready', () => void tick());
  const timer = setInterval(() => void tick(), opts.everyMs ?? 5000);
  timer.unref();
  // The first start sets the sentinel; startEngine itself scheduled and reconciled already.
  void redis.set(sentinel, String(Date.now()), 'NX').catch(() => {});
  return () => clearInterval(timer);
}
