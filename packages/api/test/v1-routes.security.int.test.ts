import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiKey, GenerationView } from '@refrain/contracts';
import { KEYS, SONG, startApi, type ApiFixture } from './support/api-fixture';
import { servedRoutes, type ServedRoute } from './support/served-routes';

// A sweep over every /v1 route the app serves, found by walking its routers: a route
// added later without the key check or the tenant scope fails here, even before it has
// its own *.security test.
let f: ApiFixture;
let routes: ServedRoute[];
let alphaGeneration: string;
let revokedKey: string;
let doc: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };

beforeAll(async () => {
  f = await startApi({ deps: { rateLimitPerMinute: 10_000 } });
  routes = servedRoutes(f.app).filter((r) => r.path.startsWith('/v1/'));
  alphaGeneration = (await f.request<GenerationView>('/v1/generations', { body: SONG })).body.id;
  const created = await f.admin<CreatedApiKey>('/admin/keys', { body: { tenant: 'alpha' } });
  revokedKey = created.body.key;
  await f.admin(`/admin/keys/${created.body.id}/revoke`, { method: 'POST' });
  doc = (await f.request<typeof doc>('/openapi.json', { key: null })).body;
});
afterAll(async () => {
  await f?.stop();
});

const concrete = (path: string) => path.replace('{id}', alphaGeneration).replace('{name}', 'sim');

describe('every served /v1 route', () => {
  it('is there to check', () => {
    expect(routes.length).toBeGreaterThanOrEqual(12);
  });

  it.each([
    ['no key', null],
    ['a wrong key', 'rk_wrong-key-000000000000000000'],
    ['a revoked key', 'revoked'],
  ])('answers 401 with a Bearer challenge to %s', async (_name, key) => {
    for (const r of routes) {
      const res = await f.head(concrete(r.path), { method: r.method, key: key === 'revoked' ? revokedKey : key, ...(r.method === 'POST' ? { body: {} } : {}) });
      const where = `${r.method} ${r.path}`;
      expect(res.status, where).toBe(401);
      expect(res.headers.get('www-authenticate'), where).toMatch(/^Bearer\b/);
      // In the format the document promises for this route's 401.
      const promised = Object.keys(doc.paths[r.path]![r.method.toLowerCase()]!.responses['401']!.content ?? {});
      expect(promised.some((t) => res.headers.get('content-type')!.startsWith(t)), where).toBe(true);
    }
  });

  it("answers 404 to another tenant on every route about one generation", async () => {
    const perGeneration = routes.filter((r) => r.path.startsWith('/v1/generations/{id}'));
    expect(perGeneration.length).toBeGreaterThanOrEqual(4);
    for (const r of perGeneration) {
      const res = await f.head(concrete(r.path), { method: r.method, key: KEYS.beta });
      expect(res.status, `${r.method} ${r.path}`).toBe(404);
    }
    const still = await f.request<GenerationView>(`/v1/generations/${alphaGeneration}`);
    expect(still.body.status).toBe('queued');
  });
});
