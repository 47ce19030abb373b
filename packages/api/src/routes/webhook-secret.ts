import { Router } from 'express';
import { getWebhookSecret, rotateWebhookSecret } from '@refrain/db';
import { tenantOf } from '../http/auth';
import type { ApiDeps } from '../deps';

/** The tenant's Standard Webhooks signing secret, and its rotation. */
export function webhookSecretRoute(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/webhooks/secret', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ secret: await getWebhookSecret(deps.database.db, tenantOf(res)) });
  });
  router.post('/v1/webhooks/secret/rotate', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ secret: await rotateWebhookSecret(deps.database.db, tenantOf(res)) });
  });
  return router;
}
