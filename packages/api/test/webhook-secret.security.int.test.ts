import { expect } from 'vitest';
import { KEYS } from './support/api-fixture';
import { describeRouteSecurity, type SecurityContext } from './support/route-security';

const secretOf = async ({ f }: SecurityContext, key: string) => (await f.request<{ secret: string }>('/v1/webhooks/secret', { key })).body.secret;

describeRouteSecurity('GET /v1/webhooks/secret', {
  method: 'GET',
  path: () => '/v1/webhooks/secret',
  ownerStatus: 200,
  async otherTenant(ctx) {
    const alpha = await secretOf(ctx, KEYS.alpha);
    const beta = await secretOf(ctx, KEYS.beta);
    expect(alpha).toMatch(/^whsec_/);
    expect(beta).toMatch(/^whsec_/);
    expect(beta).not.toBe(alpha);
  },
});

describeRouteSecurity('POST /v1/webhooks/secret/rotate', {
  method: 'POST',
  path: () => '/v1/webhooks/secret/rotate',
  ownerStatus: 200,
  async otherTenant(ctx) {
    const alphaBefore = await secretOf(ctx, KEYS.alpha);
    const rotated = await ctx.f.request<{ secret: string }>('/v1/webhooks/secret/rotate', { method: 'POST', key: KEYS.beta });
    expect(rotated.status).toBe(200);
    expect(await secretOf(ctx, KEYS.beta)).toBe(rotated.body.secret);
    expect(await secretOf(ctx, KEYS.alpha)).toBe(alphaBefore);
  },
});
