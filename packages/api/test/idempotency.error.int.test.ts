import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimIdempotencyKey, generations } from '@refrain/db';
import { SONG, startApi, type ApiFixture } from './support/api-fixture';
import { requestFingerprint } from '../src/http/idempotency';

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi({ deps: { rateLimitPerMinute: 10_000 } });
});
afterAll(async () => {
  await f?.stop();
});

const countGenerations = async () => (await f.deps.database.db.select({ id: generations.id }).from(generations)).length;
const create = (key: string, body: unknown = SONG) =>
  f.request<{ id: string; detail: string }>('/v1/generations', { body, headers: { 'idempotency-key': key } });

describe('Idempotency-Key misuse', () => {
  it('422 for the same key with another body, and the first answer stays', async () => {
    const first = await create('mismatch-1');
    const other = await create('mismatch-1', { steps: [{ op: 'generate', gpt_description_prompt: 'something else' }] });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(other.body.detail).toMatch(/different request body/);
    const again = await create('mismatch-1');
    expect(again.body.id).toBe(first.body.id);
  });

  it('409 with Retry-After while the first request with the key is still running', async () => {
    // The first request is mid-flight: its claim is in Postgres, its answer not yet.
    const fingerprint = requestFingerprint({ method: 'POST', baseUrl: '', path: '/v1/generations', body: SONG } as never);
    await claimIdempotencyKey(f.deps.database.db, { tenantId: 'alpha', key: 'running-1', requestHash: fingerprint, ttlMs: 3_600_000, staleAfterMs: 60_000 });
    const before = await countGenerations();
    const second = await create('running-1');
    expect(second.status).toBe(409);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(await countGenerations()).toBe(before);
  });

  it('makes exactly one generation when the same request races itself', async () => {
    const before = await countGenerations();
    const answers = await Promise.all(Array.from({ length: 12 }, () => create('race-1')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 202 || s === 409)).toBe(true);
    const ids = new Set(answers.filter((a) => a.status === 202).map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.status === 202 && !a.headers.get('idempotent-replayed'))).toHaveLength(1);
    expect(await countGenerations()).toBe(before + 1);
  });

  it('400 for a key that is empty, too long or not visible ASCII', async () => {
    for (const key of ['""', 'k'.repeat(256), 'has space', 'tab\there']) {
      const r = await create(key);
      expect(r.status, key).toBe(400);
    }
  });
});
