import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiKey, GenerationView } from '@refrain/contracts';
import { KEYS, SONG, startApi, type ApiFixture, type RequestInit } from './api-fixture';

export interface SecurityContext {
  f: ApiFixture;
  /** A generation of tenant alpha, made before the tests. */
  alphaGeneration: string;
}

export interface RouteSecuritySpec {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path as tenant alpha calls it. */
  path(ctx: SecurityContext): string;
  body?: unknown;
  /** Streams: only the status is read, then the connection is dropped. */
  stream?: boolean;
  /** What alpha's own key gets: proves the refusals below are about the key, not the route. */
  ownerStatus: number;
  /** Tenant beta's key on the same route: alpha's data stays invisible and untouched. */
  otherTenant(ctx: SecurityContext): Promise<void>;
}

async function call(ctx: SecurityContext, spec: RouteSecuritySpec, init: RequestInit) {
  const req = { method: spec.method, ...(spec.body !== undefined ? { body: spec.body } : {}), ...init };
  return spec.stream ? ctx.f.head(spec.path(ctx), req) : ctx.f.request(spec.path(ctx), req);
}

async function expectUnauthorized(res: { status: number; headers: Headers }) {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
}

/**
 * The four refusals every /v1 route owes (no key, wrong key, revoked key, other tenant),
 * with the owner's success as the control.
 */
export function describeRouteSecurity(name: string, spec: RouteSecuritySpec): void {
  describe(`${name} — security`, () => {
    const ctx = {} as SecurityContext;
    beforeAll(async () => {
      ctx.f = await startApi();
      ctx.alphaGeneration = (await ctx.f.request<GenerationView>('/v1/generations', { body: SONG })).body.id;
    });
    afterAll(async () => {
      await ctx.f?.stop();
    });

    it('refuses a request without a key: 401, Bearer challenge, problem+json', async () => {
      await expectUnauthorized(await call(ctx, spec, { key: null }));
    });

    it('refuses malformed credentials', async () => {
      for (const authorization of ['Basic YWxwaGE6a2V5', 'Bearer', `Token ${KEYS.alpha}`, `Bearer ${KEYS.alpha} extra`]) {
        await expectUnauthorized(await call(ctx, spec, { key: null, headers: { authorization } }));
      }
    });

    it('refuses a wrong key', async () => {
      await expectUnauthorized(await call(ctx, spec, { key: 'rk_not-a-key-that-exists-000000000' }));
      await expectUnauthorized(await call(ctx, spec, { key: `${KEYS.alpha}x` }));
    });

    it("keeps another tenant's key away from alpha's data", async () => {
      await spec.otherTenant(ctx);
    });

    it('refuses a revoked key from the very next request', async () => {
      const created = await ctx.f.admin<CreatedApiKey>('/admin/keys', { body: { tenant: 'alpha', name: 'soon revoked' } });
      expect(created.status).toBe(201);
      expect((await call(ctx, spec, { key: created.body.key })).status).toBe(spec.ownerStatus);
      expect((await ctx.f.admin(`/admin/keys/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
      await expectUnauthorized(await call(ctx, spec, { key: created.body.key }));
    });

    it('serves the owner', async () => {
      expect((await call(ctx, spec, {})).status).toBe(spec.ownerStatus);
    });
  });
}

/** For routes on one generation: beta gets 404, the same as for an id that does not exist. */
export const notFoundForOthers = (spec: Pick<RouteSecuritySpec, 'method' | 'path' | 'stream' | 'body'>) => async (ctx: SecurityContext) => {
  const init = { method: spec.method, key: KEYS.beta, ...(spec.body !== undefined ? { body: spec.body } : {}) };
  const res = spec.stream ? await ctx.f.head(spec.path(ctx), init) : await ctx.f.request(spec.path(ctx), init);
  expect(res.status).toBe(404);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const missing = await ctx.f.request(spec.path(ctx).replace(ctx.alphaGeneration, 'gen_doesnotexist'), { ...init, key: KEYS.alpha });
  expect(missing.status).toBe(404);
  const still = await ctx.f.request<GenerationView>(`/v1/generations/${ctx.alphaGeneration}`);
  expect(still.body.status).toBe('queued');
};
