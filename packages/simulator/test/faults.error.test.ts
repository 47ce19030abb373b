import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boot, call, dialectClient, FakeClock, type Sim } from './helpers';

const clock = new FakeClock();
let sim: Sim;
beforeAll(async () => {
  sim = await boot({ durationMs: 1000, now: clock.now });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const native = { prompt: 'x', mv: 'chirp-v4' };

describe('global faults', () => {
  it('5xx → 503 in each envelope, and a faulted submission creates nothing', async () => {
    sim.configure({ faults: { rate5xx: 1 } });
    const n = await dialectClient(sim, 'native').post('/v1/suno/generate', native);
    expect(n.status).toBe(503);
    expect(n.body.detail).toMatch(/Simulated upstream outage/);
    const g = await dialectClient(sim, 'gateway').post('/gateway/generate/music', { prompt: 'x' });
    expect(g.status).toBe(503);
    expect(g.body).toMatchObject({ code: 503, data: null });
    const r = await dialectClient(sim, 'relay').post('/suno/submit/music', { prompt: 'x' });
    expect(r.body).toMatchObject({ code: 'error', data: null });
    const a = await dialectClient(sim, 'action').post('/suno/audios', { action: 'generate', prompt: 'x' });
    expect(a.body.success).toBe(false);
    // the fault comes before auth: even a bad key sees the outage
    expect((await dialectClient(sim, 'native').get('/v1/suno/feed?ids=x', 'bad')).status).toBe(503);
    const stats = sim.stats();
    expect(stats).toMatchObject({ tasks: 0, submissions: 0 });
    expect(stats.requests).toEqual({ 'action.audios': 1, 'gateway.generate_custom': 1, 'native.feed': 1, 'native.generate': 1, 'relay.submit_music': 1 });
    // /_sim and media are never faulted
    expect((await call(sim.url, 'GET', '/_sim/stats')).status).toBe(200);
    expect((await fetch(`${sim.url}/audio/x.wav`)).status).toBe(200);
  });

  it('429 carries Retry-After', async () => {
    sim.configure({ faults: { rate429: 1, retryAfterS: 9 } });
    const r = await dialectClient(sim, 'relay').post('/suno/fetch', { ids: [] });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('9');
    expect(r.body.code).toBe('error');
  });

  it('garbage → 200 with a body that is not JSON', async () => {
    sim.configure({ faults: { rateGarbage: 1 } });
    const r = await dialectClient(sim, 'action').post('/suno/audios', { action: 'generate', prompt: 'x' });
    expect(r.status).toBe(200);
    expect(r.text).toBe('<html>oops</html>');
    expect(r.body).toBeUndefined();
    expect(sim.stats().tasks).toBe(0);
  });

  it('timeout → the connection is held, then dropped without an answer', async () => {
    sim.configure({ faults: { rateTimeout: 1, timeoutMs: 150 } });
    const started = Date.now();
    await expect(dialectClient(sim, 'gateway').get('/gateway/limit')).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);
    expect(sim.stats().requests['gateway.limit']).toBe(1);
  });

  it('reset drops held requests at once', async () => {
    sim.configure({ faults: { rateTimeout: 1, timeoutMs: 60_000 } });
    const pending = dialectClient(sim, 'native').post('/v1/suno/generate', native);
    await new Promise((r) => setTimeout(r, 50));
    sim.reset();
    await expect(pending).rejects.toThrow();
    expect(sim.stats().tasks).toBe(0);
  });

  it('rates in between hit roughly that share of requests', async () => {
    sim.configure({ faults: { rate5xx: 0.5 } });
    const api = dialectClient(sim, 'gateway');
    const codes = await Promise.all(Array.from({ length: 60 }, () => api.get('/gateway/limit').then((r) => r.status)));
    const failed = codes.filter((c) => c === 503).length;
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(50);
  });

  it('errorRate and neverFinishRate apply to new tasks', async () => {
    const api = dialectClient(sim, 'native');
    sim.configure({ faults: { errorRate: 1 } });
    const failing = await api.post('/v1/suno/generate', native);
    sim.configure({ faults: { errorRate: 0, neverFinishRate: 1 } });
    const stuck = await api.post('/v1/suno/generate', native);
    clock.advance(100_000);
    const [f, s] = (await api.get(`/v1/suno/feed?ids=${failing.body.clips[0].id},${stuck.body.clips[0].id}`)).body.clips;
    expect(f.status).toBe('error');
    expect(f.metadata.error_message).toBe('Simulated upstream failure');
    expect(s.status).toBe('streaming');
  });
});
