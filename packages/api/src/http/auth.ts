import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { authenticateKey, sha256, type Db } from '@refrain/db';
import type { AuthFailureLimit } from './auth-failures';
import { ExpiringSet } from './expiring-set';
import { problem } from './problem';

export interface AuthedLocals {
  tenantId: string;
  keyId: string;
}

const bearer = (req: Request): string | null => {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1]! : null;
};

/** How long a key Postgres did not know is answered 401 without asking again. */
export const UNKNOWN_KEY_CACHE_MS = 10_000;

export interface ApiKeyAuthOptions {
  failures?: AuthFailureLimit;
  now?: () => number;
}

/**
 * Bearer API key → tenant. 401 carries `WWW-Authenticate: Bearer`. Runs before any body is
 * read. A key Postgres does not know (or knows as revoked) is remembered as such for
 * 10 s, so a flood of one bad key costs no queries; known keys are checked against
 * Postgres on every request, so a revocation holds from the very next one. Failures count
 * against the client address (`failures`); an address over its limit gets 429 before any
 * lookup, except for keys that authenticated here lately (clients behind the same proxy keep working).
 */
export function requireApiKey(db: Db, opts: ApiKeyAuthOptions = {}) {
  const unknown = new ExpiringSet(UNKNOWN_KEY_CACHE_MS, 10_000, opts.now);
  const recentlyGood = new ExpiringSet(10 * 60_000, 10_000, opts.now);
  const challenge = { 'WWW-Authenticate': 'Bearer realm="refrain"' };
  const refuse = async (req: Request, next: NextFunction) => {
    await opts.failures?.failed(req);
    next(problem(401, 'The API key is not valid (unknown or revoked).', {}, challenge));
  };
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = bearer(req);
    if (!key) return next(problem(401, 'Send an API key as "Authorization: Bearer <key>".', {}, challenge));
    const hash = sha256(key);
    if (!recentlyGood.has(hash)) {
      const limited = await opts.failures?.refusal(req);
      if (limited) return next(limited);
    }
    if (unknown.has(hash)) return refuse(req, next);
    const found = await authenticateKey(db, key);
    if (!found) {
      unknown.add(hash);
      recentlyGood.delete(hash);
      return refuse(req, next);
    }
    recentlyGood.add(hash);
    res.locals.auth = found satisfies AuthedLocals;
    next();
  };
}

export const tenantOf = (res: Response): string => (res.locals.auth as AuthedLocals).tenantId;

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** ADMIN_TOKEN as a Bearer token or as the password of HTTP basic auth; failures count like bad API keys. */
export function requireAdmin(adminToken: string, failures?: AuthFailureLimit) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const h = req.headers.authorization ?? '';
    let given: string | null = bearer(req);
    if (!given && /^Basic\s+/i.test(h)) {
      const decoded = Buffer.from(h.replace(/^Basic\s+/i, ''), 'base64').toString();
      given = decoded.slice(decoded.indexOf(':') + 1);
    }
    if (given) {
      const limited = await failures?.refusal(req);
      if (limited) return next(limited);
      if (safeEqual(given, adminToken)) return next();
      await failures?.failed(req);
    }
    res.setHeader('WWW-Authenticate', 'Basic realm="refrain-admin"');
    next(problem(401, 'This needs the ADMIN_TOKEN (Bearer, or as the basic-auth password).'));
  };
}
