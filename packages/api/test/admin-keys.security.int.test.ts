import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiKey } from '@refrain/contracts';
import { ADMIN_TOKEN, KEYS, startApi, type ApiFixture } from './support/api-fixture';

let f: ApiFixture;
let someKeyId: string;
beforeAll(async () => {
  f = await startApi();
  someKeyId = (await f.admin<CreatedApiKey>('/admin/keys', { body: { tenant: 'alpha' } })).body.id;
});
afterAll(async () => {
  await f?.stop();
});

const routes = () => [
  { method: 'POST', path: '/admin/keys', body: { tenant: 'mallory' } },
  { method: 'GET', path: '/admin/keys' },
  { method: 'DELETE', path: `/admin/keys/${someKeyId}` },
  { method: 'POST', path: `/admin/keys/${someKeyId}/revoke` },
];

describe('admin key endpoints are for the ADMIN_TOKEN only', () => {
  it.each([
    ['no credentials', {}],
    ['a wrong token', { authorization: 'Bearer not-the-admin-token-000' }],
    ['a tenant API key', { authorization: `Bearer ${KEYS.alpha}` }],
    ['the token with one character more', { authorization: `Bearer ${ADMIN_TOKEN}x` }],
    ['basic auth with a wrong password', { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` }],
  ])('refuses %s: 401, Bearer challenge, problem+json, nothing changed', async (_name, headers) => {
    for (const r of routes()) {
      const res = await f.request(r.path, { method: r.method, key: null, headers, ...(r.body ? { body: r.body } : {}) });
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const keys = await f.admin<{ data: { tenant: string; id: string; revoked_at: string | null }[] }>('/admin/keys');
    expect(keys.body.data.some((k) => k.tenant === 'mallory')).toBe(false);
    expect(keys.body.data.find((k) => k.id === someKeyId)!.revoked_at).toBeNull();
  });

  it('accepts the token as Bearer or as the basic-auth password', async () => {
    expect((await f.admin('/admin/keys')).status).toBe(200);
    const basic = `Basic ${Buffer.from(`ops:${ADMIN_TOKEN}`).toString('base64')}`;
    expect((await f.request('/admin/keys', { key: null, headers: { authorization: basic } })).status).toBe(200);
  });
});

describe('admin requests say JSON (issue #17, finding 11)', () => {
  // What a form on another site could make a browser send, with the Bull Board basic-auth password it holds.
  const basic = `Basic ${Buffer.from(`ops:${ADMIN_TOKEN}`).toString('base64')}`;
  it.each([
    ['text/plain', '{"tenant":"mallory"}'],
    ['application/x-www-form-urlencoded', 'tenant=mallory'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="tenant"\r\n\r\nmallory\r\n--x--'],
  ])('refuses a %s body with 415, and makes no key', async (type, body) => {
    const r = await f.request('/admin/keys', { method: 'POST', key: null, body, headers: { authorization: basic, 'content-type': type } });
    expect(r.status).toBe(415);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    const keys = await f.admin<{ data: { tenant: string }[] }>('/admin/keys');
    expect(keys.body.data.some((k) => k.tenant === 'mallory')).toBe(false);
  });

  it('refuses a form post to revoke, and revokes nothing', async () => {
    const r = await f.request(`/admin/keys/${someKeyId}/revoke`, { method: 'POST', key: null, body: '', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(415);
    const keys = await f.admin<{ data: { id: string; revoked_at: string | null }[] }>('/admin/keys');
    expect(keys.body.data.find((k) => k.id === someKeyId)!.revoked_at).toBeNull();
  });

  it('takes JSON, and a bodiless POST or DELETE', async () => {
    expect((await f.admin('/admin/keys', { body: { tenant: 'json-ok' } })).status).toBe(201);
    const created = await f.admin<{ id: string }>('/admin/keys', { body: { tenant: 'json-ok' } });
    expect((await f.admin(`/admin/keys/${created.body.id}/revoke`, { method: 'POST' })).status).toBe(204);
  });
});
