import { Router } from 'express';
import { waitQuery } from '@refrain/contracts';
import { loadGeneration } from '@refrain/db';
import { tenantOf } from '../http/auth';
import type { ConnectionCaps } from '../http/connection-caps';
import { problem, validationProblem } from '../http/problem';
import type { ApiDeps } from '../deps';
import { requestedWait, waitForFinal } from '../wait';

/** GET /v1/generations/{id} — `?wait=N` or `Prefer: wait=N` holds until final (max 60 s). */
export function getGenerationRoute(deps: ApiDeps, caps: ConnectionCaps): Router {
  const router = Router();
  router.get('/v1/generations/:id', async (req, res) => {
    const q = waitQuery.safeParse(req.query);
    if (!q.success) throw validationProblem(q.error, 'query');
    const wait = requestedWait(q.data.wait, req.get('prefer'));
    const id = String(req.params.id);
    // A long-poll holds a connection: it counts against the key's cap.
    if (wait > 0) await caps.hold(res);
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const view = wait > 0
      ? await waitForFinal(deps, tenantOf(res), id, wait, abort.signal)
      : await loadGeneration(deps.database.db, id, tenantOf(res));
    if (!view) throw problem(404, `no generation "${id}"`);
    if (wait > 0) res.setHeader('Preference-Applied', `wait=${wait}`);
    res.json(view);
  });
  return router;
}
