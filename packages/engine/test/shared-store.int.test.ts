import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RateGate, memoryStore, redisStore } from '../src/limits';
import { busiestWindow, prng } from './support/virtual-time';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL);
const prefix = `t${randomBytes(5).toString('hex')}`;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('the budget scripts on Redis', () => {
  it('book, cut and report exactly as budget-schedule.ts does in memory', async () => {
    const random = prng(7);
    let now = 1_700_000_000_000;
    const mem = memoryStore(() => now);
    const red = redisStore(redis, prefix, { clock: 'caller' });
    for (let i = 0; i < 400; i++) {
      now += Math.floor(random() * 300);
      const roll = random();
      if (roll < 0.05) {
        const ms = Math.floor(random() * 3000);
        await Promise.all([mem.throttleBudget('p', now, ms), red.throttleBudget('p', now, ms)]);
      } else if (roll < 0.15) {
        const [a, b] = await Promise.all([mem.budgetState('p', now), red.budgetState('p', now)]);
        expect(b.factor).toBeCloseTo(a.factor, 5);
        expect(b.pausedUntil === null).toBe(a.pausedUntil === null);
        expect(b.bookedAheadMs).toBeCloseTo(a.bookedAheadMs, 0);
        expect(b.usedLastSecond).toBe(a.usedLastSecond);
      } else {
        const req = { now, maxRps: [3, 10, 50][i % 3]!, n: 1 + Math.floor(random() * 20), maxAheadMs: 250 };
        const [a, b] = await Promise.all([mem.reserveSlots('p', req), red.reserveSlots('p', req)]);
        expect(b.offsets.length, `step ${i}`).toBe(a.offsets.length);
        b.offsets.forEach((o, k) => expect(o).toBeCloseTo(a.offsets[k]!, 1));
        expect(b.retryInMs === null).toBe(a.retryInMs === null);
        if (a.retryInMs !== null) expect(b.retryInMs!).toBeCloseTo(a.retryInMs, 0);
        expect(b.factor).toBeCloseTo(a.factor, 5);
      }
    }
  });

  it('keeps two processes on one schedule by Redis\'s own clock', async () => {
    const store = redisStore(redis, prefix);
    const gates = [new RateGate(store), new RateGate(store)];
    const grants: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        // a slot comes a little ahead of its time; the request goes at the time (as ProviderGuard sends)
        const at = await gates[i % 2]!.acquire('shared', 20, i % 3 ? 'submit' : 'poll');
        if (at > Date.now()) await new Promise((r) => setTimeout(r, at - Date.now()));
        grants.push(Date.now());
      }),
    );
    expect(grants).toHaveLength(30);
    // 30 requests at 20/s: about 1.5 s; never more than 20 in any second (a few ms of timer slack allowed for).
    expect(Date.now() - started).toBeGreaterThan(1400);
    expect(busiestWindow(grants, 980)).toBeLessThanOrEqual(20);
  });
});
