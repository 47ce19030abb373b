import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { claimIdempotencyKey, generations } from '@refrain/db';
import { KEYS, SONG, startApi, type ApiFixture } from './support/api-fixture';

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi();
});
afterAll(async () => {
  await f?.stop();
});

const countGenerations = async () => (await f.deps.database.db.select({ id: generations.id }).from(generations)).length;
const create = (key: string, body: unknown = SONG, apiKey: string = KEYS.alpha) =>
  f.request<GenerationView>('/v1/generations', { body, key: apiKey, headers: { 'idempotency-key': key } });

describe('Idempotency-Key on POST /v1/generations', () => {
  it('replays the first answer byte for byte and makes no second generation', async () => {
    const before = await countGenerations();
    const first = await create('replay-1');
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const second = await create('replay-1');
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.text).toBe(first.text);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(second.headers.get('content-type')).toContain('application/json');
    expect(await countGenerations()).toBe(before + 1);
  });

  it('treats the same JSON with another key order or spacing as the same request', async () => {
    const body = { steps: [{ op: 'generate', gpt_description_prompt: 'order', make_instrumental: true }], metadata: { a: 1, b: 2 } };
    const first = await create('order-1', body);
    const reordered = `{ "metadata": {"b": 2, "a": 1},\n "steps": [{"make_instrumental": true, "gpt_description_prompt": "order", "op": "generate"}] }`;
    const second = await create('order-1', reordered);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
  });

  it('accepts the key as a structured-field string ("…") too', async () => {
    const bare = await create('quoted-1');
    const quoted = await create('"quoted-1"');
    expect(quoted.body.id).toBe(bare.body.id);
  });

  it('scopes keys per tenant: the same key from another tenant is a new request', async () => {
    const alpha = await create('shared-key');
    const beta = await create('shared-key', SONG, KEYS.beta);
    expect(beta.status).toBe(202);
    expect(beta.headers.get('idempotent-replayed')).toBeNull();
    expect(beta.body.id).not.toBe(alpha.body.id);
    expect((await f.request(`/v1/generations/${beta.body.id}`)).status).toBe(404);
  });

  it('keeps no failed answer: the same key may be retried after a 400', async () => {
    const bad = await create('fix-and-retry', { steps: [{ op: 'generate', gpt_description_prompt: '' }] });
    expect(bad.status).toBe(400);
    const fixed = await create('fix-and-retry', SONG);
    expect(fixed.status).toBe(202);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('forgets a key once it expires (IDEMPOTENCY_TTL_HOURS)', async () => {
    const db = f.deps.database.db;
    const longAgo = new Date(Date.now() - 48 * 3_600_000);
    const hash = 'h'.repeat(64);
    expect(await claimIdempotencyKey(db, { tenantId: 'alpha', key: 'old', requestHash: hash, ttlMs: 3_600_000, staleAfterMs: 60_000, now: longAgo })).toEqual({ kind: 'claimed' });
    // Expired: the next claim wins, even with another body.
    expect(await claimIdempotencyKey(db, { tenantId: 'alpha', key: 'old', requestHash: 'x'.repeat(64), ttlMs: 3_600_000, staleAfterMs: 60_000 })).toEqual({ kind: 'claimed' });
  });

  it('takes over a key whose request died while running', async () => {
    const db = f.deps.database.db;
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    const claim = { tenantId: 'alpha', key: 'crashed', requestHash: 'c'.repeat(64), ttlMs: 3_600_000, staleAfterMs: 60_000 };
    await claimIdempotencyKey(db, { ...claim, now: twoMinutesAgo });
    expect(await claimIdempotencyKey(db, claim)).toEqual({ kind: 'claimed' });
  });
});
