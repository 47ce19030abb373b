import { Router } from 'express';
import { tenantOf } from '../http/auth';
import type { ApiDeps } from '../deps';
import { submitGeneration } from '../create-generation';

/** POST /v1/generations — validate, write to Postgres, then add one flow (SPEC section 2). */
export function createGenerationRoute(deps: ApiDeps): Router {
  const router = Router();
  router.post('/v1/generations', async (req, res) => {
    const view = await submitGeneration(deps, tenantOf(res), req.body, req.log ?? deps.logger);
    res.status(202).location(`/v1/generations/${view.id}`).json(view);
  });
  return router;
}
