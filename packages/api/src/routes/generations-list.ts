import { Router } from 'express';
import { listGenerationsQuery } from '@refrain/contracts';
import { decodeCursor, listGenerations } from '@refrain/db';
import { tenantOf } from '../http/auth';
import { problem, validationProblem } from '../http/problem';
import type { ApiDeps } from '../deps';

/** GET /v1/generations — newest first, `status` filter, `cursor` pagination. */
export function listGenerationsRoute(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/generations', async (req, res) => {
    const q = listGenerationsQuery.safeParse(req.query);
    if (!q.success) throw validationProblem(q.error, 'query');
    if (q.data.cursor && !decodeCursor(q.data.cursor)) throw problem(400, 'cursor is not one this API gave out');
    res.json(await listGenerations(deps.database.db, tenantOf(res), q.data));
  });
  return router;
}
