import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { Logger } from '@refrain/observability';
import type { QueueKit } from '@refrain/queue';
import type { AuthedLocals } from './auth';
import { problem } from './problem';
import { untilConnected } from './redis-ready';

/** Long-lived connections (event streams, `?wait`, chat completions) one API key may hold at once (CONNECTIONS_PER_KEY). */
export const DEFAULT_CONNECTIONS_PER_KEY = 20;
/** The same, for all keys of one tenant together (CONNECTIONS_PER_TENANT). */
export const DEFAULT_CONNECTIONS_PER_TENANT = 50;
/** A slot in Redis lives this long unless its holder renews it: a process that dies frees its slots within a minute. */
const LEASE_MS = 60_000;

type Redis = NonNullable<ReturnType<QueueKit['redis']>>;

interface Holder {
  key: string;
  limit: number;
}

/** Counting slots by holder: `take` answers the index of the first holder at its limit, or -1 when taken. */
interface SlotStore {
  take(holders: Holder[], slot: string): Promise<number>;
  give(holders: Holder[], slot: string): Promise<void>;
  renew(holders: Holder[], slot: string): Promise<void>;
}

function memorySlots(): SlotStore {
  const held = new Map<string, Set<string>>();
  return {
    async take(holders, slot) {
      const full = holders.findIndex((h) => (held.get(h.key)?.size ?? 0) >= h.limit);
      if (full >= 0) return full;
      for (const h of holders) held.set(h.key, (held.get(h.key) ?? new Set()).add(slot));
      return -1;
    },
    async give(holders, slot) {
      for (const h of holders) {
        const s = held.get(h.key);
        s?.delete(slot);
        if (s?.size === 0) held.delete(h.key);
      }
    },
    async renew() {},
  };
}

/** Sorted sets of slot → lease expiry; expired leases (a crashed process's) are dropped before counting. */
const TAKE = `
for i, k in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', k, '-inf', ARGV[1])
  if redis.call('ZCARD', k) >= tonumber(ARGV[3 + i]) then return i - 1 end
end
for _, k in ipairs(KEYS) do
  redis.call('ZADD', k, ARGV[2], ARGV[3])
  redis.call('PEXPIRE', k, ARGV[4 + #KEYS])
end
return -1`;

function redisSlots(redis: Redis, prefix: string, now: () => number): SlotStore {
  const keys = (holders: Holder[]) => holders.map((h) => `${prefix}:conns:${h.key}`);
  return {
    async take(holders, slot) {
      await untilConnected(redis);
      const t = now();
      const limits = holders.map((h) => String(h.limit));
      return Number(await redis.eval(TAKE, holders.length, ...keys(holders), String(t), String(t + LEASE_MS), slot, ...limits, String(LEASE_MS)));
    },
    async give(holders, slot) {
      await Promise.all(keys(holders).map((k) => redis.zrem(k, slot)));
    },
    async renew(holders, slot) {
      await Promise.all(keys(holders).map((k) => redis.zadd(k, 'XX', now() + LEASE_MS, slot)));
    },
  };
}

export interface ConnectionCapsOptions {
  perKey: number;
  perTenant: number;
  /** Shared by every API process when the queues run on Redis (`<prefix>:conns:*`); else counted in this process. */
  redis: Redis | null;
  redisPrefix: string;
  logger: Logger;
  now?: () => number;
}

/**
 * A cap on the long-lived connections an API key (and its tenant) holds at once. Each
 * costs nothing per minute of the rate limit after its first request, so without a cap one
 * key could hold hundreds open. Above the cap: 429 problem+json with `Retry-After`. The
 * slot is given back when the connection closes. If the counter store fails, the request
 * passes (logged), as with the rate limit.
 */
export class ConnectionCaps {
  private readonly store: SlotStore;
  private readonly held = new Map<string, Holder[]>();
  private renewer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: ConnectionCapsOptions) {
    this.store = opts.redis ? redisSlots(opts.redis, opts.redisPrefix, opts.now ?? Date.now) : memorySlots();
  }

  /** Take a slot for this authenticated request until its response closes; throws 429 when the key or tenant is at its cap. */
  async hold(res: Response): Promise<void> {
    const auth = res.locals.auth as AuthedLocals;
    const holders = [
      { key: `key:${auth.keyId}`, limit: this.opts.perKey },
      { key: `tenant:${auth.tenantId}`, limit: this.opts.perTenant },
    ];
    const slot = randomUUID();
    // Listening before the slot is taken: a client that hangs up meanwhile still gives it back.
    let closed = false;
    let taken = false;
    const giveBack = () => {
      this.held.delete(slot);
      if (this.held.size === 0) this.stopRenewing();
      this.store.give(holders, slot).catch((err: Error) => this.opts.logger.warn({ err: err.message }, 'connection cap store unavailable'));
    };
    res.once('close', () => {
      closed = true;
      if (taken) giveBack();
    });
    let full: number;
    try {
      full = await this.store.take(holders, slot);
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'connection cap store unavailable');
      return;
    }
    if (full >= 0) {
      const who = full === 0 ? `This API key holds ${this.opts.perKey}` : `This tenant's keys hold ${this.opts.perTenant}`;
      throw problem(429, `${who} long-lived connections (event streams, waits, chat completions) already; close one first.`, {}, { 'Retry-After': '5' });
    }
    taken = true;
    this.held.set(slot, holders);
    this.startRenewing();
    if (closed) giveBack();
  }

  private startRenewing(): void {
    if (this.renewer) return;
    this.renewer = setInterval(() => {
      for (const [slot, holders] of this.held) void this.store.renew(holders, slot).catch(() => {});
    }, LEASE_MS / 3);
    this.renewer.unref();
  }

  private stopRenewing(): void {
    if (this.renewer) clearInterval(this.renewer);
    this.renewer = null;
  }
}
