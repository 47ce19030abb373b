import { Router } from 'express';
import { buildOpenApiDocument } from '../openapi/document';

/** GET /openapi.json — public: the contract is no secret, and tools fetch it without a key. */
export function openApiRoute(): Router {
  // Built once: the contracts do not change while the process runs.
  const body = JSON.stringify(buildOpenApiDocument());
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.type('application/json').send(body);
  });
  return router;
}
