import { Router } from 'express';
import type { ApiDeps } from '../deps';
import type { AuthedLocals } from './auth';
import { outboundUrlGuard, type OutboundUrlGuardOptions } from './outbound-url-guard';
import { systemResolver } from './dns-resolver';
import { idempotency } from './idempotency';
import { limitJsonDepth } from './json-depth';
import { rejectNul } from './nul-guard';
import { perKeyRateLimit } from './rate-limit';

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
export const DEFAULT_IDEMPOTENCY_TTL_HOURS = 24;

/** How the outbound URL guard judges a URL in this deployment (ALLOW_LOOPBACK_URLS, URL_GUARD_DNS). */
export function outboundUrlOptions(deps: ApiDeps): OutboundUrlGuardOptions {
  const resolve = deps.resolveHost === null ? undefined : (deps.resolveHost ?? systemResolver());
  return { allowLoopback: deps.allowLoopbackUrls ?? false, ...(resolve ? { resolve } : {}) };
}

/**
 * What every authenticated /v1 request passes after its key is known, in this order:
 * the per-key rate limit, the JSON depth limit, no NUL characters, and for POST /v1/generations the
 * Idempotency-Key and the outbound URL guard (audio_url, callback_url). Mounted right after `requireApiKey`,
 * on `/v1` and on the front doors' prefixes (`paths`), so every key-authenticated route passes the same guards.
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
  router.use(paths, limitJsonDepth(), rejectNul);
  router.post(
    '/v1/generations',
    idempotency(deps.database.db, deps.logger, { ttlHours: deps.idempotencyTtlHours ?? DEFAULT_IDEMPOTENCY_TTL_HOURS }),
    outboundUrlGuard(outboundUrlOptions(deps)),
  );
  return router;
}
