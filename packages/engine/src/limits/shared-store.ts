import { createHash } from 'node:crypto';
import type { RedisClient } from '@refrain/queue';

/**
 * Small shared counters and values for provider limits, visible to every worker process:
 * Redis when the queues are on Redis, process memory on the embedded default (one process).
 * Keys carry the queue prefix, so on a Cluster they share the queues' slot (MULTI and the
 * multi-key script below need one slot).
 */
export interface SharedStore {
  /** Increment a counter that expires after ttlMs; returns the new value. */
  incr(key: string, ttlMs: number): Promise<number>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Set only when absent (a lock); true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** The hot path of every upstream call, in one round trip: read `readKeys`, then increment `incrKey` (expiring after ttlMs). */
  readAndIncr(readKeys: string[], incrKey: string, ttlMs: number): Promise<{ values: (string | null)[]; count: number }>;
  /** Read `key` and delete `delKeys` in one round trip. */
  getAndDel(key: string, delKeys: string[]): Promise<string | null>;
}

/** Reads KEYS[1..n-1], increments KEYS[n] (expiring after ARGV[1] ms unless it has a TTL); returns the values and the count. */
const READ_AND_INCR = `local out = {}
for i = 1, #KEYS - 1 do out[i] = redis.call('GET', KEYS[i]) end
out[#KEYS] = redis.call('INCR', KEYS[#KEYS])
redis.call('PEXPIRE', KEYS[#KEYS], ARGV[1], 'NX')
return out`;
const READ_AND_INCR_SHA = createHash('sha1').update(READ_AND_INCR).digest('hex');

export function redisStore(redis: RedisClient, prefix: string): SharedStore {
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
    async readAndIncr(readKeys, incrKey, ttlMs) {
      // One small script: one command on the wire instead of a MULTI of four.
      const res = (await redis.evalsha(READ_AND_INCR_SHA, readKeys.length + 1, ...readKeys.map(k), k(incrKey), ttlMs).catch((e: Error) =>
        /NOSCRIPT/.test(e.message) ? redis.eval(READ_AND_INCR, readKeys.length + 1, ...readKeys.map(k), k(incrKey), ttlMs) : Promise.reject(e),
      )) as (string | number | null)[];
      return { values: res.slice(0, readKeys.length) as (string | null)[], count: Number(res[readKeys.length]) };
    },
    async getAndDel(key, delKeys) {
      const res = (await redis.multi().get(k(key)).del(...delKeys.map(k)).exec()) as [[null, string | null]];
      return res[0][1];
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
  const incr = (key: string, ttlMs: number) => {
    const e = live(key);
    const n = (e ? Number(e.v) : 0) + 1;
    m.set(key, { v: String(n), until: e?.until ?? now() + ttlMs });
    return n;
  };
  return {
    incr: async (key, ttlMs) => incr(key, ttlMs),
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
    async readAndIncr(readKeys, incrKey, ttlMs) {
      const values = readKeys.map((key) => live(key)?.v ?? null);
      return { values, count: incr(incrKey, ttlMs) };
    },
    async getAndDel(key, delKeys) {
      const v = live(key)?.v ?? null;
      for (const d of delKeys) m.delete(d);
      return v;
    },
  };
}
