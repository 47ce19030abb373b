import type { Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { Logger } from '@refrain/observability';
import type { QueueKit } from '@refrain/queue';
import { problem, type HttpProblem } from './problem';
import { untilConnected } from './redis-ready';

/** Failed authentications per client address and minute (AUTH_FAILURES_PER_MINUTE). */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 60;
const WINDOW_MS = 60_000;

type Redis = NonNullable<ReturnType<QueueKit['redis']>>;

/** Failed authentications per client address in a fixed one-minute window. */
interface FailureCounter {
  count(address: string): Promise<{ hits: number; resetMs: number }>;
  hit(address: string): Promise<void>;
}

function memoryCounter(now: () => number): FailureCounter {
  const windows = new Map<string, { hits: number; resetAt: number }>();
  const current = (address: string) => {
    const w = windows.get(address);
    return w && w.resetAt > now() ? w : null;
  };
  return {
    async count(address) {
      const w = current(address);
      return { hits: w?.hits ?? 0, resetMs: w ? w.resetAt - now() : WINDOW_MS };
    },
    async hit(address) {
      const w = current(address);
      if (w) w.hits++;
      else {
        if (windows.size > 10_000) for (const [k, v] of windows) if (v.resetAt <= now()) windows.delete(k);
        windows.set(address, { hits: 1, resetAt: now() + WINDOW_MS });
      }
    },
  };
}

function redisCounter(redis: Redis, prefix: string): FailureCounter {
  const key = (address: string) => `${prefix}:authfail:${address}`;
  return {
    async count(address) {
      await untilConnected(redis);
      const [hits, ttl] = await Promise.all([redis.get(key(address)), redis.pttl(key(address))]);
      return { hits: Number(hits ?? 0), resetMs: ttl > 0 ? ttl : WINDOW_MS };
    },
    async hit(address) {
      const k = key(address);
      await redis.multi().incr(k).pexpire(k, WINDOW_MS, 'NX').exec();
    },
  };
}

export interface AuthFailureOptions {
  perMinute: number;
  /** Shared counters when the API runs on Redis (`<prefix>:authfail:*`); else counted in this process. */
  redis: Redis | null;
  redisPrefix: string;
  logger: Logger;
  now?: () => number;
}

/**
 * A limit on failed authentication (unknown, revoked or wrong credentials) per client
 * address: the socket's, as `trust proxy` is off; IPv6 by /56. Over the limit, the address
 * gets 429 for the rest of the minute before any key is looked up. If the counter store
 * fails, requests pass (logged): an outage of the counter is not an outage of the API.
 */
export class AuthFailureLimit {
  private readonly counter: FailureCounter;

  constructor(private readonly opts: AuthFailureOptions) {
    this.counter = opts.redis ? redisCounter(opts.redis, opts.redisPrefix) : memoryCounter(opts.now ?? Date.now);
  }

  private address(req: Request): string {
    return ipKeyGenerator(req.socket.remoteAddress ?? 'unknown', 56);
  }

  /** A 429 problem when this address failed too often this minute, else null. */
  async refusal(req: Request): Promise<HttpProblem | null> {
    try {
      const { hits, resetMs } = await this.counter.count(this.address(req));
      if (hits < this.opts.perMinute) return null;
      const retryAfter = String(Math.max(1, Math.ceil(resetMs / 1000)));
      return problem(429, `Too many failed authentications from this address; retry after ${retryAfter} s.`, {}, { 'Retry-After': retryAfter });
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'auth failure counter unavailable');
      return null;
    }
  }

  async failed(req: Request): Promise<void> {
    await this.counter.hit(this.address(req)).catch((err: Error) => this.opts.logger.warn({ err: err.message }, 'auth failure counter unavailable'));
  }
}
