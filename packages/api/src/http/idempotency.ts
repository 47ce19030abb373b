import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  deleteExpiredIdempotencyKeys,
  releaseIdempotencyKey,
  type Db,
} from '@refrain/db';
import type { Logger } from '@refrain/observability';
import { tenantOf } from './auth';
import { problem } from './problem';

export interface IdempotencyOptions {
  /** How long a key and its answer are kept (IDEMPOTENCY_TTL_HOURS). */
  ttlHours: number;
  /** A key still `processing` after this long belongs to a request that died; it may be taken over. */
  staleAfterMs?: number;
}

/** The draft sends the key as a structured-field string ("…"); bare tokens are accepted too. */
const KEY_SYNTAX = /^[\x21-\x7e]{1,255}$/;
/** Answer headers that are part of what a replay must repeat. */
const KEPT_HEADERS = ['location', 'content-type'];
const SWEEP_EVERY_MS = 10 * 60_000;

export function parseIdempotencyKey(raw: string): string | null {
  const trimmed = raw.trim();
  const key = /^".*"$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
  return KEY_SYNTAX.test(key) ? key : null;
}

/** Object keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export const requestFingerprint = (req: Request): string =>
  createHash('sha256').update(`${req.method} ${req.baseUrl}${req.path}\n${canonicalJson(req.body)}`).digest('hex');

/**
 * `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header), per tenant:
 * first use runs the request and keeps a successful answer; the same key and body again
 * replays it (`Idempotent-Replayed: true`); another body → 422; still running → 409.
 * An answer that is not a success is not kept, so the client may retry with the same key.
 * Runs after authentication and JSON parsing (and after the depth limit).
 */
export function idempotency(db: Db, logger: Logger, opts: IdempotencyOptions) {
  const ttlMs = opts.ttlHours * 3_600_000;
  // A create answers in well under a second; a claim still 'processing' after 20 s belongs
  // to a request that died (or could not release it while Postgres was away).
  const staleAfterMs = opts.staleAfterMs ?? 20_000;
  let lastSweep = 0;

  return async (req: Request, res: Response, next: NextFunction) => {
    const raw = req.get('idempotency-key');
    if (raw === undefined) return next();
    const key = parseIdempotencyKey(raw);
    if (!key) return next(problem(400, 'Idempotency-Key must be 1–255 visible ASCII characters.'));
    const tenantId = tenantOf(res);
    const log = req.log ?? logger;

    if (Date.now() - lastSweep > SWEEP_EVERY_MS) {
      lastSweep = Date.now();
      deleteExpiredIdempotencyKeys(db).catch((err) => log.warn({ err: (err as Error).message }, 'idempotency sweep failed'));
    }

    const claim = await claimIdempotencyKey(db, { tenantId, key, requestHash: requestFingerprint(req), ttlMs, staleAfterMs });
    log.debug({ tenant: tenantId, idempotencyKey: key, outcome: claim.kind }, 'idempotency key');
    if (claim.kind === 'mismatch') {
      return next(problem(422, 'This Idempotency-Key was already used with a different request body.'));
    }
    if (claim.kind === 'in_progress') {
      return next(problem(409, 'A request with this Idempotency-Key is still being processed; retry shortly.', {}, { 'Retry-After': '1' }));
    }
    if (claim.kind === 'replay') {
      const { status, body, headers } = claim.response;
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(status).send(typeof body === 'string' ? body : JSON.stringify(body));
      return;
    }

    // Claimed: keep the answer before it leaves, so a retry right after it sees `done`.
    const send = res.json.bind(res);
    let settled = false;
    res.json = (body: unknown) => {
      if (settled) return send(body);
      settled = true;
      const status = res.statusCode;
      const finish = () => send(body);
      if (status >= 200 && status < 300) {
        const text = JSON.stringify(body);
        const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
        for (const name of KEPT_HEADERS) {
          const v = res.getHeader(name);
          if (v !== undefined) headers[name] = String(v);
        }
        completeIdempotencyKey(db, tenantId, key, { status, body: text, headers })
          .catch((err) => log.error({ err: (err as Error).message }, 'could not keep the idempotent answer'))
          .finally(finish);
      } else {
        releaseIdempotencyKey(db, tenantId, key)
          .catch((err) => log.error({ err: (err as Error).message }, 'could not release the idempotency key'))
          .finally(finish);
      }
      return res;
    };
    // An answer sent some other way than res.json is not kept. A client that hangs up does
    // not release the key: the request runs on and its res.json still records the answer.
    res.on('finish', () => {
      if (!settled) void releaseIdempotencyKey(db, tenantId, key).catch(() => {});
    });
    next();
  };
}
