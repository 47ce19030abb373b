import { QUEUES } from '@refrain/contracts';
import { isCluster } from '@refrain/queue';
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
 * Notices when Redis may have lost writes, and then rebuilds from Postgres: the Job
 * Schedulers (they live in Redis too), jobs this process finished whose finish the new
 * master never got, delayed steps whose promotion was lost, and every missing step job.
 *
 * Two signals. A sentinel key tells a wiped Redis (a restart without persistence, a
 * FLUSHALL) from a healthy one. A closed connection means a reconnect follows: to the same
 * server, to the replica the sentinels promoted, or to a Cluster's new slot master. A
 * promoted replica has the old sentinel key (it replicated long ago) but may miss the
 * last writes, since replication is asynchronous; so any reconnect rebuilds.
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
    const orphans = await deps.kit.requeueOrphans();
    const r = await reconcile(deps, { wakeSettled: true });
    deps.logger.warn({ reason, orphans, ...r }, 'rebuilt queues from Postgres');
  };
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const created = await redis.set(sentinel, String(Date.now()), 'NX');
      const reconnected = wasDown;
      wasDown = false;
      if (created === 'OK') await rebuild('redis has no sentinel: it restarted empty or was wiped');
      else if (reconnected) await rebuild('redis reconnected: a restart, a failover or a cut; the master may lack the last writes');
    } catch {
      wasDown = true;
    } finally {
      busy = false;
    }
  };
  const down = () => {
    wasDown = true;
  };
  const ready = () => void tick();
  redis.on('close', down);
  // A Cluster keeps its own connection up while a slot's master changes: a node leaving says so.
  if (isCluster(redis)) redis.on('-node', down);
  redis.on('ready', ready);
  const timer = setInterval(() => void tick(), opts.everyMs ?? 5000);
  timer.unref();
  // The first start sets the sentinel; startEngine itself scheduled and reconciled already.
  void redis.set(sentinel, String(Date.now()), 'NX').catch(() => {});
  return () => {
    clearInterval(timer);
    redis.off('close', down);
    redis.off('-node', down);
    redis.off('ready', ready);
  };
}
