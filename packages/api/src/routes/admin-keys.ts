import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { createApiKeyRequest, listApiKeysQuery, type CreatedApiKey } from '@refrain/contracts';
import { createApiKey, listApiKeys, revokeApiKey, type Db } from '@refrain/db';
import { requireAdmin } from '../http/auth';
import type { AuthFailureLimit } from '../http/auth-failures';
import { rejectUnstorableText } from '../http/nul-guard';
import { problem, validationProblem } from '../http/problem';

/** Admin answers are Bearer-challenged like the rest of the API (Bull Board keeps Basic for browsers). */
function adminOnly(adminToken: string, failures?: AuthFailureLimit) {
  const check = requireAdmin(adminToken, failures);
  return (req: Request, res: Response, next: NextFunction) =>
    check(req, res, (err?: unknown) => {
      if (err) res.setHeader('WWW-Authenticate', 'Bearer realm="refrain-admin"');
      next(err);
    });
}

/**
 * A request that carries a body, or says what its body is, must say JSON. A browser form
 * cannot send that without a CORS preflight, so a page elsewhere cannot make the browser
 * (holding the Bull Board basic-auth password) create or revoke keys.
 */
function jsonOnly(req: Request, _res: Response, next: NextFunction) {
  const type = req.headers['content-type'];
  const hasBody = type !== undefined || req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  // Judged on the header itself: `req.is` answers null for a bodiless DELETE that says JSON, which is fine.
  if (hasBody && !(type && JSON_TYPE.test(type))) return next(problem(415, 'Admin requests send their body as Content-Type: application/json.'));
  next();
}
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

async function revoke(db: Db, id: string): Promise<void> {
  if (await revokeApiKey(db, id)) return;
  // Not revoked now: unknown (404), or revoked before (fine: revoking is idempotent).
  const known = (await listApiKeys(db)).some((k) => k.id === id);
  if (!known) throw problem(404, `no API key "${id}"`);
}

/**
 * API keys per tenant, behind ADMIN_TOKEN: create (the key is in this answer only),
 * list (never the key, only its prefix and last use), revoke (refused from the next request on).
 */
export function adminKeysRoute(db: Db, adminToken: string, failures?: AuthFailureLimit): Router {
  const router = Router();
  router.use('/admin/keys', adminOnly(adminToken, failures), jsonOnly, express.json({ limit: '4kb', type: () => true }), rejectUnstorableText);

  router.post('/admin/keys', async (req, res) => {
    const parsed = createApiKeyRequest.safeParse(req.body ?? {});
    if (!parsed.success) throw validationProblem(parsed.error, 'request body');
    const created = await createApiKey(db, parsed.data.tenant, parsed.data.name);
    const body: CreatedApiKey = { ...created, name: parsed.data.name ?? null };
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).location(`/admin/keys/${created.id}`).json(body);
  });

  router.get('/admin/keys', async (req, res) => {
    const q = listApiKeysQuery.safeParse(req.query);
    if (!q.success) throw validationProblem(q.error, 'query');
    const keys = await listApiKeys(db, q.data.tenant);
    keys.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
    res.json({ data: keys });
  });

  router.delete('/admin/keys/:id', async (req, res) => {
    await revoke(db, String(req.params.id));
    res.status(204).end();
  });
  router.post('/admin/keys/:id/revoke', async (req, res) => {
    await revoke(db, String(req.params.id));
    res.status(204).end();
  });
  return router;
}
