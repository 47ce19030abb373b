import type { Redis } from 'ioredis';

/**
 * Small shared counters and values for provider limits, visible to every worker process:
 * Redis when the queues are on Redis, process memory on the embedded default (one process).
 */
export interface SharedStore {
  /** Increment a counter that expires after ttlMs; returns the new value. */
  incr(key: string, ttlMs: number): Promise<number>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Set only when absent (a lock); true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
}

export function redisStore(redis: Redis, prefix: string): SharedStore {
  const k = (key: string) => `${prefix}:limits:${key}`;
  return {
    async incr(key, ttlMs) {
      const [[, n]] = (await redis.multi().incr(k(key)).pexpire(k(key), ttlMs, 'NX').exec()) as [[null, number]];
      return n;
    },
    get: (key) => redis.get(k(key)),
    async set(key, value, ttlMs) {
      if (ttlMs) await redis.set(k(key), value, 'PX', ttlMs);
      else await redis.set(k(key), value);
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await redis.set(k(key), value, 'PX', ttlMs, 'NX')) === 'OK';
    },
    async del(key) {
      await redis.del(k(key));
    },
  };
}

export function memoryStore(now: () => number = Date.now): SharedStore {
  const m = new Map<string, { v: string; until: number }>();
  const live = (key: string) => {
    const e = m.get(key);
    if (e && e.until <= now()) m.delete(key);
    return m.get(key);
  };
  return {
    async incr(key, ttlMs) {
      const e = live(key);
      const n = (e ? Number(e.v) : 0) + 1;
      m.set(key, { v: String(n), until: e?.until ?? now() + ttlMs });
      return n;
    },
    get: async (key) => live(key)?.v ?? null,
    async set(key, v, ttlMs) {
      m.set(key, { v, until: ttlMs ? now() + ttlMs : Number.POSITIVE_INFINITY });
    },
    async setIfAbsent(key, v, ttlMs) {
      if (live(key)) return false;
      m.set(key, { v, until: now() + ttlMs });
      return true;
    },
    async del(key) {
      m.delete(key);
    },
  };
}
