import type { Request, Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { Logger } from '@refrain/observability';
import { sendRawCommand, type RedisClient } from '@refrain/queue';
import type { AuthedLocals } from './auth';
import { problem } from './problem';
import { untilConnected } from './redis-ready';

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * rate-limit-redis loads its Lua script once, at start. If Redis was not reachable then
 * (the shared producer connection fails fast), that failure would stick forever and the
 * limit would silently stop counting: load the script again after any failure.
 */
class ReloadingRedisStore extends RedisStore {
  override async increment(key: string) {
    try {
      return await super.increment(key);
    } catch (err) {
      this.incrementScriptSha = this.loadIncrementScript();
      this.incrementScriptSha.catch(() => {});
      throw err;
    }
  }
}


export interface RateLimitOptions {
  /** Requests per minute per API key (RATE_LIMIT_PER_MINUTE). */
  perMinute: number;
  /** Shared counters on Redis when the queues run there; else counted in this process. */
  redis: RedisClient | null;
  redisPrefix: string;
  logger: Logger;
}

/**
 * Per API key, a fixed one-minute window: `RateLimit` and `RateLimit-Policy` headers
 * (draft-ietf-httpapi-ratelimit-headers-08) on every answer; over the limit, 429
 * problem+json with `Retry-After`. If the store fails, requests pass (logged): an outage
 * of the counter must not become an outage of the API.
 */
export function perKeyRateLimit(opts: RateLimitOptions) {
  const redis = opts.redis;
  const store: Store | undefined = redis
    ? new ReloadingRedisStore({
        prefix: `${opts.redisPrefix}:ratelimit:`,
        sendCommand: async (command: string, ...args: string[]) => {
          await untilConnected(redis);
          return sendRawCommand(redis, command, args) as never;
        },
      })
    : undefined;
  return rateLimit({
    windowMs: 60_000,
    limit: opts.perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'per-key',
    keyGenerator: (_req: Request, res: Response) => (res.locals.auth as AuthedLocals).keyId,
    passOnStoreError: true,
    ...(store ? { store } : {}),
    logger: {
      error: (err: unknown, msg?: string) => opts.logger.warn({ err: errorText(err) }, msg ?? 'rate limiter error'),
      warn: (err: unknown, msg?: string) => opts.logger.warn({ err: errorText(err) }, msg ?? 'rate limiter warning'),
    },
    handler: (_req, res, next) => {
      const retryAfter = String(res.getHeader('retry-after') ?? 60);
      next(
        problem(429, `This API key sent more than ${opts.perMinute} requests in a minute; retry after ${retryAfter} s.`, {}, {
          'Retry-After': retryAfter,
        }),
      );
    },
  });
}
