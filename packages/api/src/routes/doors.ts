import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { DOORS } from '../doors';

/** GET /v1/doors — the front doors this Refrain serves, as GET /v1/providers lists its providers (docs/doors.md). */
export function doorsRoute(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/doors', (_req, res) => {
    res.json({
      data: DOORS.map((d) => ({
        name: d.name,
        source: d.source,
        auth: d.auth === 'api-key' ? { header: 'api-key', value: '<api key>' } : { header: 'Authorization', value: 'Bearer <api key>' },
        provider: deps.defaultProvider,
        routes: d.routes.map((r) => ({ method: r.method, path: r.path, summary: r.summary, ...(r.op ? { op: r.op } : {}), ...(r.holdsS ? { holds_s: r.holdsS } : {}) })),
        docs: `docs/doors.md#${d.name}`,
      })),
    });
  });
  return router;
}
