import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { authenticateKey, type Db } from '@refrain/db';
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

/** Bearer API key → tenant. 401 carries `WWW-Authenticate: Bearer`. */
export function requireApiKey(db: Db) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = bearer(req);
    const challenge = { 'WWW-Authenticate': 'Bearer realm="refrain"' };
    if (!key) return next(problem(401, 'Send an API key as "Authorization: Bearer <key>".', {}, challenge));
    const found = await authenticateKey(db, key);
    if (!found) return next(problem(401, 'The API key is not valid (unknown or revoked).', {}, challenge));
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

/** ADMIN_TOKEN as a Bearer token or as the password of HTTP basic auth. */
export function requireAdmin(adminToken: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const h = req.headers.authorization ?? '';
    let given: string | null = bearer(req);
    if (!given && /^Basic\s+/i.test(h)) {
      const decoded = Buffer.from(h.replace(/^Basic\s+/i, ''), 'base64').toString();
      given = decoded.slice(decoded.indexOf(':') + 1);
    }
    if (given && safeEqual(given, adminToken)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="refrain-admin"');
    next(problem(401, 'This needs the ADMIN_TOKEN (Bearer, or as the basic-auth password).'));
  };
}
