import { Router } from 'express';
import { memberCondition } from '@refrain/core';
import { memberStates, pollState, readCredits } from '@refrain/engine';
import { describeProvider } from '@refrain/providers';
import { problem } from '../http/problem';
import type { PoolConfig } from '@refrain/contracts';
import type { ApiDeps } from '../deps';

/** GET /v1/providers and GET /v1/providers/{name}/credits. */
export function providersRoute(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/providers', async (_req, res) => {
    const pools = [...(deps.pools?.values() ?? [])];
    const credits = await readCredits(deps.guard, [...deps.providers.keys()]).catch(() => new Map());
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
        credits: credits.get(config.name) ?? null,
        pools: pools.filter((p) => p.members.some((m) => m.provider === config.name)).map((p) => p.name),
      })),
    );
    res.json({ data, pools: await Promise.all(pools.map(async (pool) => describePool(pool, await memberStates(deps, pool)))) });
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

/** A pool as GET /v1/providers shows it: each member's settings and the condition the choice policy sees it in. */
function describePool(pool: PoolConfig, states: Awaited<ReturnType<typeof memberStates>>) {
  const now = Date.now();
  return {
    name: pool.name,
    members: pool.members.map((m) => {
      const s = states.find((x) => x.name === m.provider);
      const seen = s ? memberCondition(s, now) : { condition: 'unknown' as const, why: 'not configured' };
      return { provider: m.provider, priority: m.priority, weight: m.weight, condition: seen.condition, why: seen.why, credits: s?.credits ?? null };
    }),
  };
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
