import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, phaseAt } from '../src/index';
import { boot, call, dialectClient, FakeClock, type Sim, type J } from './helpers';

const clock = new FakeClock();
let sim: Sim;

beforeAll(async () => {
  sim = await boot({ durationMs: 1000, now: clock.now });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const body = { prompt: 'la', tags: 'pop', title: 'T', mv: 'chirp-v4' };

describe('/_sim control', () => {
  it('counts requests per dialect operation, submissions and duplicates (callback URLs ignored)', async () => {
    const relay = dialectClient(sim, 'relay');
    await relay.post('/suno/submit/music', { ...body, notify_hook: 'http://127.0.0.1:1/a' });
    await relay.post('/suno/submit/music', { tags: 'pop', notify_hook: 'http://127.0.0.1:1/b', title: 'T', mv: 'chirp-v4', prompt: 'la' });
    await relay.post('/suno/submit/music', { ...body, title: 'Other' });
    await dialectClient(sim, 'native').post('/v1/suno/generate', body);
    await dialectClient(sim, 'gateway').get('/gateway/limit');
    await dialectClient(sim, 'gateway').get('/gateway/limit', 'wrong');
    const stats = (await call(sim.url, 'GET', '/_sim/stats')).body;
    expect(stats).toEqual({
      requests: { 'gateway.limit': 2, 'native.generate': 1, 'relay.submit_music': 3 },
      submissions: 4,
      duplicates: 1,
      statusQueries: 0,
      callbacks: { sent: 0, failed: 0, dropped: 0 },
      tasks: 4,
      rate: {
        gateway: { requests: 2, busiestSecond: { at: Math.floor(clock.t / 1000), requests: 2 }, busiestWindow: 2, limited: 0 },
        native: { requests: 1, busiestSecond: { at: Math.floor(clock.t / 1000), requests: 1 }, busiestWindow: 1, limited: 0 },
        relay: { requests: 3, busiestSecond: { at: Math.floor(clock.t / 1000), requests: 3 }, busiestWindow: 3, limited: 0 },
      },
    });
    expect(sim.stats()).toEqual(stats);
  });

  it('config: GET, merged POST (faults key by key), validation, reset back to the options', async () => {
    const initial = (await call(sim.url, 'GET', '/_sim/config')).body;
    expect(initial).toMatchObject({ durationMs: 1000, dropCallbacks: false, callbackEnvelope: false, faults: { rate5xx: 0, timeoutMs: 30000, retryAfterS: 1 } });
    const merged = await call(sim.url, 'POST', '/_sim/config', { body: { faults: { rate429: 0.5 }, dropCallbacks: true } });
    expect(merged.body).toMatchObject({ dropCallbacks: true, faults: { rate429: 0.5, timeoutMs: 30000 } });
    sim.configure({ faults: { retryAfterS: 7 } });
    expect(sim.config().faults).toMatchObject({ rate429: 0.5, retryAfterS: 7 });
    const bad = await call(sim.url, 'POST', '/_sim/config', { body: { faults: { rate5xx: 2 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/faults\.rate5xx/);
    const typo = await call(sim.url, 'POST', '/_sim/config', { body: { duration: 5 } });
    expect(typo.status).toBe(400);
    expect(() => sim.configure({ durationMs: -1 })).toThrow(/durationMs/);

    await dialectClient(sim, 'native').post('/v1/suno/generate', body);
    const reset = await call(sim.url, 'POST', '/_sim/reset');
    expect(reset.body).toEqual({ ok: true });
    expect((await call(sim.url, 'GET', '/_sim/config')).body).toEqual(initial);
    expect(sim.stats()).toMatchObject({ tasks: 0, submissions: 0, requests: {} });
  });

  it('tasks: by task id or clip id, with state, duration, statusQueries; 404 when unknown', async () => {
    const r = await dialectClient(sim, 'native').post('/v1/suno/generate', { ...body, title: '[sim:duration=500] T' });
    expect(r.body.clips[0].title).toBe('T');
    const byClip = (await call(sim.url, 'GET', `/_sim/tasks/${r.body.clips[1].id}`)).body;
    expect(byClip).toEqual({
      taskId: r.body.id,
      dialect: 'native',
      operation: 'generate',
      clipIds: r.body.clips.map((c: J) => c.id),
      statusQueries: 0,
      callbacksSent: 0,
      finalCallbackAt: null,
      createdAt: clock.t,
      durationMs: 500,
      state: 'submitted',
      request: { ...body, title: '[sim:duration=500] T' },
    });
    clock.advance(500);
    expect((await call(sim.url, 'GET', `/_sim/tasks/${r.body.id}`)).body.state).toBe('complete');
    expect((await call(sim.url, 'GET', '/_sim/tasks')).body).toHaveLength(1);
    expect((await call(sim.url, 'GET', '/_sim/tasks/nope')).status).toBe(404);
  });

  it('createSimulator gives a mountable app whose URLs follow the request host', async () => {
    const mounted = createSimulator({ durationMs: 0 });
    const { createServer } = await import('node:http');
    const server = createServer(mounted.app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const r = await call(url, 'POST', '/suno/audios', { dialect: 'action', body: { action: 'generate', prompt: 'x' } });
      expect(r.body.data[0].audio_url).toBe(`${url}/audio/${r.body.data[0].id}.wav`);
      expect(mounted.stats().submissions).toBe(1);
    } finally {
      mounted.reset();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('phaseAt', () => {
  const t = (over: object = {}) => ({ createdAt: 0, durationMs: 100, never: false, fails: false, ...over });
  it('moves submitted → queued → streaming → complete at 25/50/100%', () => {
    expect([0, 24, 25, 49, 50, 99, 100, 5000].map((at) => phaseAt(t(), at))).toEqual([
      'submitted', 'submitted', 'queued', 'queued', 'streaming', 'streaming', 'complete', 'complete',
    ]);
  });
  it('handles D = 0, never and error', () => {
    expect(phaseAt(t({ durationMs: 0 }), 0)).toBe('complete');
    expect(phaseAt(t({ never: true }), 1e9)).toBe('streaming');
    expect(phaseAt(t({ never: true, durationMs: 0 }), 0)).toBe('streaming');
    expect(phaseAt(t({ fails: true }), 100)).toBe('error');
  });
});
