import { Router } from 'express';
import { pollState } from '@refrain/engine';
import { describeProvider } from '@refrain/providers';
import { problem } from '../http/problem';
import type { ApiDeps } from '../deps';

/** GET /v1/providers and GET /v1/providers/{name}/credits. */
export function providersRoute(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/providers', async (_req, res) => {
    const data = await Promise.all(
      [...deps.providers.values()].map(async ({ config, adapter }) => ({
        ...describeProvider(config),
        default: config.name === deps.defaultProvider,
        limits: {
          max_rps: config.max_rps,
          max_in_flight: config.max_in_flight,
          poll_interval_ms: config.poll_interval_ms,
          deadline_s: config.deadline_s,
          query_batch_size: adapter.queryBatchSize,
        },
        circuit: await deps.guard.describe(config.name),
        budget: await deps.guard.budget(config).catch(() => null), // the shared store is away: say nothing rather than guess
        polling: pollingOf(await pollState(deps, config.name)),
      })),
    );
    res.json({ data });
  });
  router.get('/v1/providers/:name/credits', async (req, res) => {
    const p = deps.providers.get(String(req.params.name));
    if (!p) throw problem(404, `no provider "${String(req.params.name)}"`);
    if (!p.adapter.credits) throw problem(422, `the ${p.config.dialect} dialect of provider "${p.config.name}" cannot tell its credits`);
    const credits = await p.adapter.credits();
    res.json({ provider: p.config.name, songs_left: credits.songs_left });
  });
  return router;
}

function pollingOf(s: Awaited<ReturnType<typeof pollState>>) {
  if (!s) return null;
  return {
    at: s.at,
    waiting: s.waiting,
    due: s.due,
    asked: s.asked,
    requests: s.requests,
    overdue: s.overdue,
    callback_overdue: s.callbackOverdue,
    effective_interval_ms: Math.round(s.effectiveIntervalMs),
    durations: s.durations,
  };
}
