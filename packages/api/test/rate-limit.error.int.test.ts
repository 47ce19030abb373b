import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, SONG, startApi, type ApiFixture } from './support/api-fixture';

const LIMIT = 5;
let f: ApiFixture;
beforeAll(async () => {
  f = await startApi({ deps: { rateLimitPerMinute: LIMIT } });
});
afterAll(async () => {
  await f?.stop();
});

describe('rate limit per API key (Redis store)', () => {
  it('announces the quota on every answer, then answers 429 problem+json with Retry-After', async () => {
    for (let i = 1; i <= LIMIT; i++) {
      const r = await f.request('/v1/providers');
      expect(r.status).toBe(200);
      expect(r.headers.get('ratelimit-policy')).toMatch(new RegExp(`^"per-key"; q=${LIMIT}; w=60; pk=:[^:]+:$`));
      expect(r.headers.get('ratelimit')).toMatch(new RegExp(`^"per-key"; r=${LIMIT - i}; t=\\d+$`));
    }
    const over = await f.request<{ status: number; detail: string }>('/v1/generations', { body: SONG });
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(over.body.status).toBe(429);
    expect(over.headers.get('ratelimit')).toMatch(/r=0/);
  });

  it('counts each key on its own', async () => {
    const beta = await f.request('/v1/providers', { key: KEYS.beta });
    expect(beta.status).toBe(200);
    expect(beta.headers.get('ratelimit')).toMatch(new RegExp(`r=${LIMIT - 1};`));
  });

  it('keeps the counters in Redis, shared by every API process', async () => {
    const redis = f.deps.kit.redis()!;
    const { prefix } = f.deps.kit.config as { prefix: string };
    const counters = await redis.keys(`${prefix}:ratelimit:*`);
    expect(counters.length).toBe(2);
    const values = await Promise.all(counters.map((k) => redis.get(k)));
    expect(values.map(Number).sort()).toEqual([1, LIMIT + 1]);
  });

  it('does not count unauthenticated requests against a key', async () => {
    const r = await f.request('/v1/providers', { key: null });
    expect(r.status).toBe(401);
    expect(r.headers.get('ratelimit')).toBeNull();
  });
});
