import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_EVENTS } from '@refrain/contracts';
import { startApi, type ApiFixture } from './support/api-fixture';
import { servedRoutes } from './support/served-routes';

interface Operation {
  operationId?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, { post: { requestBody: { content: Record<string, { schema: unknown }> } } }>;
}

let f: ApiFixture;
let doc: Doc;
beforeAll(async () => {
  f = await startApi();
  const r = await f.request<Doc>('/openapi.json', { key: null });
  expect(r.status).toBe(200);
  doc = r.body;
});
afterAll(async () => {
  await f?.stop();
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

describe('GET /openapi.json', () => {
  it('is public, cacheable, and a valid OpenAPI 3.1 document', async () => {
    const r = await f.request('/openapi.json', { key: null });
    expect(r.headers.get('content-type')).toContain('application/json');
    expect(r.headers.get('cache-control')).toContain('max-age');
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every route the app serves', () => {
    const served = servedRoutes(f.app);
    expect(served.length).toBeGreaterThan(15);
    const missing = served.filter((r) => !doc.paths[r.path]?.[r.method.toLowerCase()]).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('gives every operation a unique id, and every /v1 operation its key and its 401', () => {
    const ids = operations().map((o) => o.op.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, op } of operations().filter((o) => o.path.startsWith('/v1/'))) {
      expect(op.security, path).toEqual([{ apiKey: [] }]);
      expect(op.responses['401'], path).toBeDefined();
    }
  });

  it('describes problem answers as application/problem+json', () => {
    const create = doc.paths['/v1/generations']!.post!;
    for (const status of ['400', '401', '409', '413', '422', '429']) {
      expect(Object.keys(create.responses[status]!.content!)).toEqual(['application/problem+json']);
    }
  });

  it('documents each outbound webhook event with its payload', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENTS].sort());
    for (const e of WEBHOOK_EVENTS) expect(doc.webhooks[e]!.post.requestBody.content['application/json']!.schema).toBeTruthy();
  });
});

describe('GET /docs', () => {
  it('serves a page to read and try the API, from our own origin, under a strict CSP', async () => {
    const page = await f.request('/docs', { key: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.text).not.toMatch(/<script>(?!<)/);
    for (const src of page.text.match(/(?:src|href)="([^"]+)"/g)!.map((m) => m.split('"')[1]!)) {
      const asset = await f.request(src, { key: null });
      expect(asset.status, src).toBe(200);
    }
    const init = await f.request('/docs/init.js', { key: null });
    expect(init.text).toContain("url: '/openapi.json'");
    expect(init.text).toContain('tryItOutEnabled: true');
  });

  it('serves only the assets the page needs', async () => {
    for (const path of ['/docs/assets/index.html', '/docs/assets/swagger-initializer.js', '/docs/assets/..%2Fpackage.json', '/docs/assets/package.json']) {
      const r = await f.request(path, { key: null });
      expect(r.status, path).toBe(404);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
