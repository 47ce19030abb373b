import { createHash } from 'node:crypto';
import type { RedisClient } from '@refrain/queue';
import {
  CUT,
  CUT_COOLDOWN_MS,
  GROWTH_PER_S,
  GUARD_MS,
  MIN_FACTOR,
  WINDOW_MS,
  budgetFactor,
  freshBudget,
  reserve,
  throttle,
  type BudgetState,
  type Reservation,
} from './budget-schedule';

/** What a provider's budget looks like now (GET /v1/providers, metrics, provider pools). */
export interface BudgetSnapshot {
  /** Share of max_rps allowed now: 1, or less for a while after a 429. */
  factor: number;
  /** Requests are held until then (a 429's Retry-After), or null. */
  pausedUntil: number | null;
  /** How far ahead the slots are booked (ms): 0 means a request could go at once. */
  bookedAheadMs: number;
  /** Requests granted in the last whole second, by every worker. */
  usedLastSecond: number;
}

export interface ReserveRequest {
  now: number;
  maxRps: number;
  /** Slots wanted (the first is always granted unless paused or booked too far ahead). */
  n: number;
  maxAheadMs: number;
}

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
  /** Several values in one round trip. */
  getMany(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Set only when absent (a lock); true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Read `key` and delete `delKeys` in one round trip. */
  getAndDel(key: string, delKeys: string[]): Promise<string | null>;
  /** Book request slots of a provider's budget (budget-schedule.ts `reserve`), atomically, in one round trip. */
  reserveSlots(provider: string, req: ReserveRequest): Promise<Reservation>;
  /** The provider answered 429 (budget-schedule.ts `throttle`). */
  throttleBudget(provider: string, now: number, retryAfterMs: number): Promise<void>;
  budgetState(provider: string, now: number): Promise<BudgetSnapshot>;
}

/** Keys of one provider's budget (all under the store's prefix): its schedule, its pause, its per-second counts. */
const budgetKeys = (provider: string) => [`budget:${provider}`, `pause:${provider}`, `budget:${provider}:used`];

/** Shared head of the budget scripts: the clock (the caller's, or Redis's own when ARGV[1] is empty) and the factor. */
const HEAD = `local now = tonumber(ARGV[1])
if not now then local t = redis.call('TIME'); now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 end
local b = redis.call('HMGET', KEYS[1], 'tat', 'floor', 'cut')
local tat, floor, cut = tonumber(b[1]) or 0, tonumber(b[2]) or 1, tonumber(b[3]) or 0
local factor = 1
if cut > 0 then factor = math.min(1, floor + ${GROWTH_PER_S} * math.max(0, now - cut) / 1000) end
local paused = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
`;

/** budget-schedule.ts `reserve`, step for step. Returns {granted, retry µs, factor ×1e6, offsets µs…}. */
const RESERVE = `${HEAD}
local maxRps, n, ahead = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local f6 = math.floor(factor * 1000000)
if paused > now then return {0, math.ceil((paused - now) * 1000), f6} end
local step = (${WINDOW_MS + GUARD_MS}) / (maxRps * factor)
local start = math.max(tat, now)
if start - now > ahead then return {0, math.ceil((start - now - ahead) * 1000), f6} end
local out = {1, 0, f6}
local k, sec, count = 0, -1, 0
for i = 0, n - 1 do
  local at = start + i * step
  if i > 0 and at - now > ahead then break end
  out[#out + 1] = math.floor((at - now) * 1000)
  k = k + 1
  local s = math.floor(at / 1000)
  if s ~= sec then
    if count > 0 then redis.call('HINCRBY', KEYS[3], sec, count) end
    sec, count = s, 0
  end
  count = count + 1
end
redis.call('HINCRBY', KEYS[3], sec, count)
if redis.call('HLEN', KEYS[3]) > 8 then
  for _, f in ipairs(redis.call('HKEYS', KEYS[3])) do
    if tonumber(f) < sec - 4 then redis.call('HDEL', KEYS[3], f) end
  end
end
redis.call('PEXPIRE', KEYS[3], 10000)
redis.call('HSET', KEYS[1], 'tat', string.format('%.3f', start + k * step))
redis.call('PEXPIRE', KEYS[1], 3600000)
return out`;

/** budget-schedule.ts `throttle`, step for step. */
const THROTTLE = `${HEAD}
local retry = tonumber(ARGV[2])
if cut == 0 or now - cut >= ${CUT_COOLDOWN_MS} then
  floor = math.max(${MIN_FACTOR}, factor * ${CUT})
  cut = now
end
paused = math.max(paused, now + retry)
redis.call('SET', KEYS[2], string.format('%.3f', paused), 'PX', math.ceil(paused - now) + 1000)
redis.call('HSET', KEYS[1], 'tat', string.format('%.3f', math.max(tat, paused)), 'floor', string.format('%.6f', floor), 'cut', string.format('%.3f', cut))
redis.call('PEXPIRE', KEYS[1], 3600000)
return 1`;

/** Returns {factor ×1e6, paused until (ms, 0 = none), booked ahead µs, used in the last whole second}. */
const STATE = `${HEAD}
local used = tonumber(redis.call('HGET', KEYS[3], tostring(math.floor(now / 1000) - 1)) or '0')
local p = 0
if paused > now then p = math.floor(paused) end
return {math.floor(factor * 1000000), p, math.floor(math.max(0, tat - now) * 1000), used}`;

/** A Lua script run by its sha, loaded again when the server lost it (a restart, SCRIPT FLUSH). */
function script(redis: RedisClient, lua: string) {
  const sha = createHash('sha1').update(lua).digest('hex');
  return (keys: string[], args: (string | number)[]) =>
    redis.evalsha(sha, keys.length, ...keys, ...args).catch((e: Error) =>
      /NOSCRIPT/.test(e.message) ? redis.eval(lua, keys.length, ...keys, ...args) : Promise.reject(e),
    ) as Promise<unknown>;
}

const reservationOf = (res: number[]): Reservation => ({
  offsets: res.slice(3).map((us) => us / 1000),
  retryInMs: res[0] ? null : res[1]! / 1000,
  factor: res[2]! / 1e6,
});

/**
 * `clock: 'server'` (the default) times the budget by Redis's own clock, so workers on
 * machines whose clocks disagree still share one schedule; 'caller' takes `now` from the
 * caller (tests that compare the script with budget-schedule.ts).
 */
export function redisStore(redis: RedisClient, prefix: string, opts: { clock?: 'server' | 'caller' } = {}): SharedStore {
  const k = (key: string) => `${prefix}:limits:${key}`;
  const keysOf = (provider: string) => budgetKeys(provider).map(k);
  const at = (now: number) => (opts.clock === 'caller' ? String(now) : '');
  const reserveScript = script(redis, RESERVE);
  const throttleScript = script(redis, THROTTLE);
  const stateScript = script(redis, STATE);
  return {
    async incr(key, ttlMs) {
      const [[, n]] = (await redis.multi().incr(k(key)).pexpire(k(key), ttlMs, 'NX').exec()) as [[null, number]];
      return n;
    },
    get: (key) => redis.get(k(key)),
    getMany: async (keys) => (keys.length ? redis.mget(...keys.map(k)) : []),
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
    async getAndDel(key, delKeys) {
      const res = (await redis.multi().get(k(key)).del(...delKeys.map(k)).exec()) as [[null, string | null]];
      return res[0][1];
    },
    async reserveSlots(provider, req) {
      return reservationOf((await reserveScript(keysOf(provider), [at(req.now), req.maxRps, req.n, req.maxAheadMs])) as number[]);
    },
    async throttleBudget(provider, now, retryAfterMs) {
      await throttleScript(keysOf(provider), [at(now), retryAfterMs]);
    },
    async budgetState(provider, now) {
      const [f, paused, booked, used] = (await stateScript(keysOf(provider), [at(now)])) as number[];
      return { factor: f! / 1e6, pausedUntil: paused ? paused : null, bookedAheadMs: booked! / 1000, usedLastSecond: used! };
    },
  };
}

export function memoryStore(now: () => number = Date.now): SharedStore {
  const m = new Map<string, { v: string; until: number }>();
  const budgets = new Map<string, BudgetState>();
  const used = new Map<string, Map<number, number>>();
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
  /** The provider's budget, with its pause read from the pause key (as the Redis script does). */
  const budget = (provider: string, t: number): BudgetState => {
    const s = budgets.get(provider) ?? freshBudget();
    budgets.set(provider, s);
    const p = m.get(`pause:${provider}`);
    s.pausedUntil = p && p.until > t ? Number(p.v) : 0;
    return s;
  };
  return {
    incr: async (key, ttlMs) => incr(key, ttlMs),
    get: async (key) => live(key)?.v ?? null,
    getMany: async (keys) => keys.map((key) => live(key)?.v ?? null),
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
    async getAndDel(key, delKeys) {
      const v = live(key)?.v ?? null;
      for (const d of delKeys) m.delete(d);
      return v;
    },
    async reserveSlots(provider, req) {
      const r = reserve(budget(provider, req.now), req.now, req.maxRps, req.n, req.maxAheadMs);
      const counts = used.get(provider) ?? new Map<number, number>();
      used.set(provider, counts);
      for (const o of r.offsets) {
        const sec = Math.floor((req.now + o) / 1000);
        counts.set(sec, (counts.get(sec) ?? 0) + 1);
      }
      for (const sec of counts.keys()) if (sec < Math.floor(req.now / 1000) - 4) counts.delete(sec);
      return r;
    },
    async throttleBudget(provider, t, retryAfterMs) {
      const s = budget(provider, t);
      throttle(s, t, retryAfterMs);
      m.set(`pause:${provider}`, { v: String(s.pausedUntil), until: s.pausedUntil + 1000 });
    },
    async budgetState(provider, t) {
      const s = budget(provider, t);
      return {
        factor: budgetFactor(s, t),
        pausedUntil: s.pausedUntil > t ? s.pausedUntil : null,
        bookedAheadMs: Math.max(0, s.tat - t),
        usedLastSecond: used.get(provider)?.get(Math.floor(t / 1000) - 1) ?? 0,
      };
    },
  };
}
