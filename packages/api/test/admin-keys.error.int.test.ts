import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiFixture } from './support/api-fixture';

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi();
});
afterAll(async () => {
  await f?.stop();
});

describe('admin key endpoints refuse bad input', () => {
  it.each([
    [{}, 'tenant'],
    [{ tenant: '' }, 'tenant'],
    [{ tenant: 'has space' }, 'tenant'],
    [{ tenant: 'x'.repeat(65) }, 'tenant'],
    [{ tenant: 'ok', name: '' }, 'name'],
    [{ tenant: 'ok', name: 'n'.repeat(101) }, 'name'],
    [{ tenant: 'ok', role: 'admin' }, ''],
  ])('400 for %j', async (body, field) => {
    const r = await f.admin<{ issues: { path: string[]; message: string }[] }>('/admin/keys', { body });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.issues[0]!.path.join('.')).toBe(field);
    if (field === '') expect(r.body.issues[0]!.message).toContain('role');
  });

  it('400 for a body that is not JSON, 413 for a big one', async () => {
    expect((await f.admin('/admin/keys', { body: '{"tenant":' })).status).toBe(400);
    expect((await f.admin('/admin/keys', { body: { tenant: 'ok', name: 'x'.repeat(10_000) } })).status).toBe(413);
  });

  it('400 for an unknown or malformed query filter', async () => {
    expect((await f.admin('/admin/keys?tenant=a%20b')).status).toBe(400);
    expect((await f.admin('/admin/keys?owner=alpha')).status).toBe(400);
  });

  it('404 for revoking a key that does not exist', async () => {
    expect((await f.admin('/admin/keys/key_missing', { method: 'DELETE' })).status).toBe(404);
    expect((await f.admin('/admin/keys/key_missing/revoke', { method: 'POST' })).status).toBe(404);
  });
});
