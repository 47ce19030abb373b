import { Router } from 'express';
import { QUEUES } from '@refrain/contracts';
import type { EngineDeps } from '@refrain/engine';

const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);

/** /healthz: the process answers. /readyz: Postgres and the queue answer, quickly. */
export function healthRoutes(deps: EngineDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [db, queue] = await Promise.allSettled([
      within(deps.database.pool.query('select 1'), 2000),
      within(deps.kit.queue(QUEUES.steps).getJobCounts('waiting'), 2000),
    ]);
    const checks = { database: db.status === 'fulfilled' ? 'ok' : 'down', queue: queue.status === 'fulfilled' ? 'ok' : 'down' };
    const ok = checks.database === 'ok' && checks.queue === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
  });
  return router;
}
