import { timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { errorEnvelope, okEnvelope } from '@refrain/wire';
import type { SimContext } from './context';
import { SimError } from './errors';
import type { SimDialect } from './types';

/** Each dialect's own success envelope (@refrain/wire). */
export function sendOk(res: Response, dialect: SimDialect, data: unknown): void {
  res.json(okEnvelope(dialect, data));
}

/** Each dialect's own error envelope, with the HTTP status set too. */
export function sendError(res: Response, dialect: SimDialect, status: number, message: string): void {
  res.status(status).json(errorEnvelope(dialect, status, message));
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The key a request carries: header `api-key` for gateway, Bearer for the others. */
function presentedKey(req: Request, dialect: SimDialect): string | undefined {
  if (dialect === 'gateway') return req.get('api-key') ?? undefined;
  const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
  return m?.[1]?.trim();
}

const jsonBody = express.json({ limit: '1mb', type: () => true });

/**
 * The middleware every dialect route runs first, in this order: count the request (and
 * refuse it with 429 above the configured rate limit), maybe inject a fault (before
 * anything is created), check the key, parse JSON.
 */
export function guard(ctx: SimContext, dialect: SimDialect, operation: string): RequestHandler[] {
  const countAndFault: RequestHandler = (req, res, next) => {
    ctx.stats.request(dialect, operation);
    const limit = ctx.config.rateLimit;
    if (ctx.stats.rate.record(dialect, ctx.now(), limit) && limit) {
      res.setHeader('Retry-After', String(limit.retryAfterS));
      return sendError(res, dialect, 429, `Rate limit exceeded: at most ${limit.perSecond} requests per second`);
    }
    const fault = ctx.faults.pick();
    if (!fault) return next();
    ctx.faults.apply(fault, req, res, (status, message) => sendError(res, dialect, status, message));
  };
  const auth: RequestHandler = (req, res, next) => {
    const key = presentedKey(req, dialect);
    if (!key) {
      const how = dialect === 'gateway' ? 'header api-key' : 'Authorization: Bearer <key>';
      return sendError(res, dialect, 401, `Missing API key (${how})`);
    }
    if (!sameSecret(key, ctx.apiKey)) return sendError(res, dialect, 401, 'Invalid API key');
    next();
  };
  return [countAndFault, auth, jsonBody];
}

/** Last handler of a dialect router: every thrown error in that dialect's envelope. */
export function dialectErrors(ctx: SimContext, dialect: SimDialect): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof SimError) return sendError(res, dialect, err.status, err.message);
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') return sendError(res, dialect, 400, 'Invalid body: malformed JSON');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return sendError(res, dialect, e.status, e.message ?? 'Bad request');
    }
    ctx.logger.warn({ path: req.path, err: e.message }, 'simulator error');
    sendError(res, dialect, 500, 'Internal simulator error');
  };
}

/** Which dialect an unknown path most likely meant, so even a 404 has the right envelope. */
export function dialectOfPath(path: string): SimDialect {
  if (path.startsWith('/gateway')) return 'gateway';
  if (/^\/suno\/(audios|tasks|upload)/.test(path)) return 'action';
  if (path.startsWith('/suno/')) return 'relay';
  return 'native';
}

/** A path parameter as one string (express 5 types allow arrays for wildcards). */
export function param(req: Request, name: string): string {
  const v = req.params[name];
  return Array.isArray(v) ? v.join('/') : (v ?? '');
}
