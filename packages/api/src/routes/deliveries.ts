import { Router } from 'express';
import { listDeliveries } from '@refrain/db';
import { tenantOf } from '../http/auth';
import { problem } from '../http/problem';
import type { ApiDeps } from '../deps';

/** GET /v1/generations/{id}/deliveries — every outbound webhook attempt for the generation. */
export function deliveriesRoute(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/generations/:id/deliveries', async (req, res) => {
    const id = String(req.params.id);
    const data = await listDeliveries(deps.database.db, tenantOf(res), id);
    if (!data) throw problem(404, `no generation "${id}"`);
    res.json({ data });
  });
  return router;
}
