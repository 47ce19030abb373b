import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiKey } from '@refrain/contracts';
import { ADMIN_TOKEN, KEYS, startApi, type ApiFixture } from './support/api-fixture';

// Issue #17, finding 8: bodies were parsed before the key was checked, every 401 cost a
// Postgres query, and failed authentication was not limited per client address.
let f: ApiFixture;
let keyLookups = 0;
beforeAll(async () => {
  f = await startApi({ deps: { authFailuresPerMinute: 1000 } });
  const pool = f.deps.database.pool;
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) => {
    if ((args[0] as { name?: string } | undefined)?.name === 'refrain_key_by_hash') keyLookups++;
    return query(...args);
  }) as typeof pool.query;
});
afterAll(async () => {
  await f?.stop();
});

/** A request from another loopback address (the server listens on 127.0.0.1; Linux routes all of 127/8 there). */
function fromAddress(base: string, localAddress: string, path: string, key: string): Promise<number> {
  const url = new URL(`${base}${path}`);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, localAddress, headers: { authorization: `Bearer ${key}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('authentication comes first', () => {
  it('answers 401 before reading a body: malformed, too large or too deep', async () => {
    const bad = `{"steps": [`;
    for (const [path, body] of [
      ['/v1/generations', bad],
      ['/v1/generations', JSON.stringify({ pad: 'x'.repeat(200 * 1024) })],
      ['/v1/chat/completions', `${'['.repeat(50_000)}${']'.repeat(50_000)}`],
    ] as const) {
      const r = await f.request(path, { key: null, body });
      expect(r.status, path).toBe(401);
    }
  });
});

describe('unknown keys are remembered briefly', () => {
  it('asks Postgres about an unknown key once, not on every request', async () => {
    const before = keyLookups;
    for (let i = 0; i < 3; i++) expect((await f.request('/v1/providers', { key: 'rk_unknown-key-remembered-000000' })).status).toBe(401);
    expect(keyLookups - before).toBe(1);
  });

  it('still asks about a known key on every request (a revocation holds from the next one)', async () => {
    const before = keyLookups;
    for (let i = 0; i < 3; i++) expect((await f.request('/v1/providers', { key: KEYS.beta })).status).toBe(200);
    expect(keyLookups - before).toBe(3);
  });
});

describe('failed authentication per client address', () => {
  let g: ApiFixture;
  let lookups = 0;
  beforeAll(async () => {
    g = await startApi({ deps: { authFailuresPerMinute: 5 } });
    const pool = g.deps.database.pool;
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    pool.query = ((...args: unknown[]) => {
      if ((args[0] as { name?: string } | undefined)?.name === 'refrain_key_by_hash') lookups++;
      return query(...args);
    }) as typeof pool.query;
  });
  afterAll(async () => {
    await g?.stop();
  });

  it('answers 429 above the limit, before any lookup, and only to that address', async () => {
    // Known-good before the flood: alpha's key has authenticated from here.
    expect((await g.request('/v1/providers')).status).toBe(200);
    const fresh = (await g.admin<CreatedApiKey>('/admin/keys', { body: { tenant: 'alpha', name: 'fresh' } })).body.key;
    // No key at all costs no lookup and is not counted.
    for (let i = 0; i < 10; i++) expect((await g.request('/v1/providers', { key: null })).status).toBe(401);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await g.request('/v1/providers', { key: `rk_guess-${i}-0000000000000000000` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const before = lookups;
    const limited = await g.request<{ detail: string }>('/v1/providers', { key: 'rk_guess-again-00000000000000000' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.detail).toMatch(/failed authentications/);
    expect(lookups).toBe(before);
    // The admin token is guarded by the same count.
    expect((await g.request('/admin/keys', { key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}-guess` } })).status).toBe(429);
    // A key that worked here lately goes on working (clients behind the same proxy); a new one waits out the minute.
    expect((await g.request('/v1/providers')).status).toBe(200);
    expect((await g.request('/v1/providers', { key: fresh })).status).toBe(429);
    // Another address is not affected.
    expect(await fromAddress(g.url, '127.0.0.2', '/v1/providers', fresh)).toBe(200);
    expect(await fromAddress(g.url, '127.0.0.2', '/v1/providers', 'rk_guess-elsewhere-000000000000')).toBe(401);
  });
});
