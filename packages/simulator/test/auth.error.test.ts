import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimDialect } from '../src/index';
import { boot, call, type Sim, type J } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await boot({ apiKey: 'right-key', durationMs: 0 });
});
afterAll(() => sim.close());

/** One representative route per dialect, and how its error envelope reads. */
const cases: { dialect: SimDialect; method: string; path: string; body?: object; message: (b: J) => string; shape: (b: J) => void }[] = [
  {
    dialect: 'native', method: 'POST', path: '/v1/suno/generate', body: { prompt: '', mv: 'chirp-v4' },
    message: (b) => b.detail, shape: (b) => expect(Object.keys(b)).toEqual(['detail']),
  },
  {
    dialect: 'gateway', method: 'GET', path: '/gateway/limit',
    message: (b) => b.msg, shape: (b) => expect(b).toMatchObject({ code: 401, data: null }),
  },
  {
    dialect: 'relay', method: 'POST', path: '/suno/submit/music', body: { prompt: 'x' },
    message: (b) => b.message, shape: (b) => expect(b).toMatchObject({ code: 'error', data: null }),
  },
  {
    dialect: 'action', method: 'POST', path: '/suno/audios', body: { action: 'generate', prompt: 'x' },
    message: (b) => b.error.message, shape: (b) => expect(b.success).toBe(false),
  },
];

describe.each(cases)('$dialect auth', (c) => {
  it('missing key → 401 in the dialect envelope', async () => {
    const r = await call(sim.url, c.method, c.path, { dialect: c.dialect, key: null, body: c.body });
    expect(r.status).toBe(401);
    c.shape(r.body);
    expect(c.message(r.body)).toMatch(/Missing API key/);
  });

  it('wrong key → 401 in the dialect envelope, and nothing is created', async () => {
    const r = await call(sim.url, c.method, c.path, { dialect: c.dialect, key: 'sim-key', body: c.body });
    expect(r.status).toBe(401);
    c.shape(r.body);
    expect(c.message(r.body)).toBe('Invalid API key');
    expect(sim.stats().tasks).toBe(0);
  });
});

describe('auth headers are per dialect', () => {
  it('gateway does not take a Bearer token; the others do not take api-key', async () => {
    const g = await call(sim.url, 'GET', '/gateway/limit', { headers: { authorization: 'Bearer right-key' } });
    expect(g.status).toBe(401);
    const n = await call(sim.url, 'GET', '/v1/suno/feed?ids=x', { headers: { 'api-key': 'right-key' } });
    expect(n.status).toBe(401);
    const ok = await call(sim.url, 'GET', '/v1/suno/feed?ids=x', { dialect: 'native', key: 'right-key' });
    expect(ok.status).toBe(200);
  });

  it('401s are still counted as requests', () => {
    expect(sim.stats().requests).toMatchObject({ 'native.generate': 2, 'gateway.limit': 3, 'relay.submit_music': 2, 'action.audios': 2 });
  });
});
