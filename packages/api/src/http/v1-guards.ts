import { Router } from 'express';
import type { ApiDeps } from '../deps';
import type { AuthedLocals } from './auth';
import { idempotency } from './idempotency';
import { limitJsonDepth } from './json-depth';
import { rejectUnstorableText } from './nul-guard';
import { perKeyRateLimit } from './rate-limit';

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
export const DEFAULT_IDEMPOTENCY_TTL_HOURS = 24;

/**
 * What every authenticated request (on /v1 and the front doors' prefixes, `paths`) passes after its key is known and its body is
 * parsed, in this order: the per-key rate limit, the JSON depth limit, no text Postgres
 * cannot store (NUL, lone surrogates), and for POST /v1/generations the Idempotency-Key.
 * (The outbound URL guard runs in `submitGeneration`, on every path that makes a generation.)
 */
export function v1Guards(deps: ApiDeps, paths: string[] = ['/v1']): Router {
  const router = Router();
  const { config } = deps.kit;
  // At debug, who called with what headers: pino's redact paths blank Authorization and
  // api-key; cookies (this API sets none) are left out altogether.
  router.use(paths, (req, res, next) => {
    const auth = res.locals.auth as AuthedLocals;
    const { cookie: _cookie, 'proxy-authorization': _proxy, ...headers } = req.headers;
    (req.log ?? deps.logger).debug({ tenant: auth.tenantId, keyId: auth.keyId, headers }, 'authenticated request');
    next();
  });
  router.use(
    paths,
    perKeyRateLimit({
      perMinute: deps.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
      redis: deps.kit.redis(),
      redisPrefix: config.kind === 'redis' ? config.prefix : 'refrain',
      logger: deps.logger,
    }),
  );
  router.use(paths, limitJsonDepth(), rejectUnstorableText);
  router.post('/v1/generations', idempotency(deps.database.db, deps.logger, { ttlHours: deps.idempotencyTtlHours ?? DEFAULT_IDEMPOTENCY_TTL_HOURS }));
  return router;
}
