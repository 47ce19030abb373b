import { Router } from 'express';
import { QUEUES } from '@refrain/contracts';
import { QUEUE_STATES, metrics, setQueueDepth, type RefrainMetrics } from '@refrain/observability';
import type { QueueKit } from '@refrain/queue';

const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/**
 * Queue depth is read from the queues at scrape time, so it is right in every process
 * and costs nothing between scrapes. A queue that does not answer keeps its last values.
 */
export async function refreshQueueDepth(kit: QueueKit, m: RefrainMetrics = metrics): Promise<void> {
  await Promise.all(
    Object.values(QUEUES).map(async (name) => {
      try {
        setQueueDepth(name, await within(kit.queue(name).getJobCounts(...QUEUE_STATES), 2000), m);
      } catch {
        // the scrape still answers; /readyz is where an unreachable queue shows
      }
    }),
  );
}

/**
 * GET /metrics in the Prometheus text format. No API key: scrapers rarely carry one, and
 * it tells nothing about any tenant. Keep it off the public internet (docs/deploy.md).
 */
export function metricsRoute(kit: QueueKit, m: RefrainMetrics = metrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    await refreshQueueDepth(kit, m);
    res.setHeader('content-type', m.registry.contentType);
    res.setHeader('cache-control', 'no-store');
    res.send(await m.registry.metrics());
  });
  return router;
}
