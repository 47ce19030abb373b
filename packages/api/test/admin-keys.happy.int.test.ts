import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyList, createdApiKey, type ApiKeyView, type CreatedApiKey } from '@refrain/contracts';
import { apiKeys, sha256 } from '@refrain/db';
import { startApi, type ApiFixture } from './support/api-fixture';

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi();
});
afterAll(async () => {
  await f?.stop();
});

describe('API keys through the admin endpoints', () => {
  it('creates a key for a new tenant, shows it once and stores only its hash', async () => {
    const r = await f.admin<CreatedApiKey>('/admin/keys', { body: { tenant: 'gamma', name: 'ci bot' } });
    expect(r.status).toBe(201);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('location')).toBe(`/admin/keys/${r.body.id}`);
    createdApiKey.parse(r.body);
    expect(r.body).toMatchObject({ tenant: 'gamma', name: 'ci bot', prefix: r.body.key.slice(0, 7) });
    expect(r.body.key).toMatch(/^rk_[\w-]{32}$/);

    const rows = await f.deps.database.db.select().from(apiKeys);
    const row = rows.find((k) => k.id === r.body.id)!;
    expect(row.hash).toBe(sha256(r.body.key));
    expect(JSON.stringify(rows)).not.toContain(r.body.key);

    const list = await f.admin<{ data: ApiKeyView[] }>('/admin/keys?tenant=gamma');
    apiKeyList.parse(list.body);
    expect(list.body.data).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(r.body.key);
  });

  it('lets the new key in, on its own tenant, and records its last use', async () => {
    const { body: key } = await f.admin<CreatedApiKey>('/admin/keys', { body: { tenant: 'delta' } });
    const before = (await f.admin<{ data: ApiKeyView[] }>('/admin/keys?tenant=delta')).body.data[0]!;
    expect(before.last_used_at).toBeNull();
    const g = await f.request<{ id: string }>('/v1/generations', { key: key.key, body: { steps: [{ op: 'generate', gpt_description_prompt: 'delta' }] } });
    expect(g.status).toBe(202);
    const list = await f.request<{ data: { id: string }[] }>('/v1/generations', { key: key.key });
    expect(list.body.data.map((x) => x.id)).toEqual([g.body.id]);
    const after = (await f.admin<{ data: ApiKeyView[] }>('/admin/keys?tenant=delta')).body.data[0]!;
    expect(after.last_used_at).not.toBeNull();
    expect(after.revoked_at).toBeNull();
  });

  it('lists every tenant newest first, or one tenant', async () => {
    await f.admin('/admin/keys', { body: { tenant: 'epsilon', name: 'one' } });
    await f.admin('/admin/keys', { body: { tenant: 'epsilon', name: 'two' } });
    const eps = await f.admin<{ data: ApiKeyView[] }>('/admin/keys?tenant=epsilon');
    expect(eps.body.data.map((k) => k.name)).toEqual(['two', 'one']);
    const all = await f.admin<{ data: ApiKeyView[] }>('/admin/keys');
    expect(new Set(all.body.data.map((k) => k.tenant))).toEqual(new Set(['alpha', 'beta', 'gamma', 'delta', 'epsilon']));
  });

  it('revokes by DELETE or POST …/revoke; the key is refused at once; revoking again is fine', async () => {
    for (const how of ['DELETE', 'POST'] as const) {
      const { body: key } = await f.admin<CreatedApiKey>('/admin/keys', { body: { tenant: 'zeta' } });
      expect((await f.request('/v1/generations', { key: key.key })).status).toBe(200);
      const path = how === 'DELETE' ? `/admin/keys/${key.id}` : `/admin/keys/${key.id}/revoke`;
      expect((await f.admin(path, { method: how })).status).toBe(204);
      const refused = await f.request('/v1/generations', { key: key.key });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await f.admin(path, { method: how })).status).toBe(204);
      const listed = (await f.admin<{ data: ApiKeyView[] }>('/admin/keys?tenant=zeta')).body.data.find((k) => k.id === key.id)!;
      expect(listed.revoked_at).not.toBeNull();
    }
  });
});
