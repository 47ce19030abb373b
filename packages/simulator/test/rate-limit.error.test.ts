import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boot, call, dialectClient, FakeClock, type Sim } from './helpers';

const clock = new FakeClock();
let sim: Sim;
beforeAll(async () => {
  sim = await boot({ durationMs: 1000, now: clock.now });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  clock.t = Date.parse('2025-01-01T00:00:00Z');
});

const fetchBatch = () => dialectClient(sim, 'relay').post('/suno/fetch', { ids: [] });

describe('rate limit', () => {
  it('answers 429 with Retry-After above perSecond in a calendar second, in the dialect\'s envelope, and counts every request', async () => {
    sim.configure({ rateLimit: { perSecond: 3, retryAfterS: 2 } });
    clock.advance(900);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetchBatch()).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await fetchBatch();
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.body).toMatchObject({ code: 'error', data: null, message: 'Rate limit exceeded: at most 3 requests per second' });
    // The next calendar second starts afresh (this limiter counts per second of the clock).
    clock.advance(100);
    expect((await fetchBatch()).status).toBe(200);
    // Another dialect has a bucket of its own.
    expect((await dialectClient(sim, 'native').get('/v1/suno/feed?ids=x')).status).toBe(200);
    const rate = sim.stats().rate;
    expect(rate.relay).toEqual({ requests: 7, busiestSecond: { at: Date.parse('2025-01-01T00:00:00Z') / 1000, requests: 6 }, busiestWindow: 7, limited: 3 });
    expect(rate.native).toMatchObject({ requests: 1, limited: 0 });
    const seconds = (await call(sim.url, 'GET', '/_sim/seconds')).body;
    expect(Object.values(seconds.relay)).toEqual([6, 1]);
  });

  it('with window "sliding" counts any 1000 ms, not calendar seconds', async () => {
    sim.configure({ rateLimit: { perSecond: 2, window: 'sliding' } });
    clock.advance(900);
    expect((await fetchBatch()).status).toBe(200);
    expect((await fetchBatch()).status).toBe(200);
    clock.advance(200); // a new calendar second, but the same sliding second
    expect((await fetchBatch()).status).toBe(429);
    clock.advance(801);
    expect((await fetchBatch()).status).toBe(200);
    expect(sim.stats().rate.relay).toMatchObject({ limited: 1, busiestWindow: 3 });
  });

  it('refuses a bad limit, and null removes it', async () => {
    const bad = await call(sim.url, 'POST', '/_sim/config', { body: { rateLimit: { perSecond: 0 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/rateLimit\.perSecond/);
    sim.configure({ rateLimit: { perSecond: 1 } });
    expect(sim.config().rateLimit).toEqual({ perSecond: 1, window: 'second', retryAfterS: 1 });
    sim.configure({ rateLimit: null });
    for (let i = 0; i < 5; i++) expect((await fetchBatch()).status).toBe(200);
  });
});
