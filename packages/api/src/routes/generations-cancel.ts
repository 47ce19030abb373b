import { Router } from 'express';
import { cancelGeneration, loadGeneration } from '@refrain/db';
import { emitWebhookSafely } from '@refrain/engine';
import { tenantOf } from '../http/auth';
import { problem } from '../http/problem';
import type { ApiDeps } from '../deps';

/** POST /v1/generations/{id}/cancel — stops what has not started; a final generation is left as it is. */
export function cancelGenerationRoute(deps: ApiDeps): Router {
  const router = Router();
  router.post('/v1/generations/:id/cancel', async (req, res) => {
    const id = String(req.params.id);
    const result = await cancelGeneration(deps.database.db, tenantOf(res), id);
    if (result === 'missing') throw problem(404, `no generation "${id}"`);
    if (result === 'canceled') {
      await deps.notifier.publish(id);
      await emitWebhookSafely(deps, id, 'generation.canceled');
    }
    res.json(await loadGeneration(deps.database.db, id, tenantOf(res)));
  });
  return router;
}
