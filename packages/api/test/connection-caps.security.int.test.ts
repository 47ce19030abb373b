import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiKey, GenerationView } from '@refrain/contracts';
import { KEYS, SONG, startApi, type ApiFixture } from './support/api-fixture';

// Issue #17, finding 7: streams, long-polls and chat completions counted once against the
// per-minute limit, so one key held 300 connections at once. Now they are capped per key
// and per tenant. The fixture runs on Redis, so the counters are the shared ones.
let f: ApiFixture;
let alphaGeneration: string;
let betaGeneration: string;
const openStreams: AbortController[] = [];

beforeAll(async () => {
  f = await startApi({ deps: { connectionsPerKey: 3, connectionsPerTenant: 4, chatMaxWaitS: 30 } });
  alphaGeneration = (await f.request<GenerationView>('/v1/generations', { body: SONG })).body.id;
  betaGeneration = (await f.request<GenerationView>('/v1/generations', { body: SONG, key: KEYS.beta })).body.id;
});
afterAll(async () => {
  for (const a of openStreams) a.abort();
  await f?.stop();
});

/** Open a long-lived request and keep it open; its status and a way to hang up. */
async function hold(path: string, key: string, init: { method?: string; body?: unknown } = {}) {
  const abort = new AbortController();
  openStreams.push(abort);
  const res = await fetch(`${f.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${key}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    signal: abort.signal,
  });
  return { status: res.status, headers: res.headers, close: () => abort.abort(), json: () => res.json() as Promise<Record<string, unknown>> };
}
const events = (id: string) => `/v1/generations/${id}/events`;

describe('long-lived connections per key and per tenant', () => {
  it('refuses the connection above the cap with 429 problem+json, whatever its kind', async () => {
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await hold(events(alphaGeneration), KEYS.alpha));
    expect(held.map((h) => h.status)).toEqual([200, 200, 200]);

    const stream = await hold(events(alphaGeneration), KEYS.alpha);
    expect(stream.status).toBe(429);
    expect(stream.headers.get('content-type')).toContain('application/problem+json');
    expect(stream.headers.get('retry-after')).toBe('5');
    expect(String((await stream.json()).detail)).toMatch(/long-lived connections/);

    const longPoll = await hold(`/v1/generations/${alphaGeneration}?wait=30`, KEYS.alpha);
    expect(longPoll.status).toBe(429);
    // An answer that does not wait is no long-lived connection.
    expect((await f.request(`/v1/generations/${alphaGeneration}`)).status).toBe(200);

    const before = (await f.request<{ data: unknown[] }>('/v1/generations')).body.data.length;
    const chat = await hold('/v1/chat/completions', KEYS.alpha, { method: 'POST', body: { model: 'chirp-v4', messages: [{ role: 'user', content: 'a song' }] } });
    expect(chat.status).toBe(429);
    expect(await chat.json()).toMatchObject({ error: { type: 'rate_limit_error' } });
    expect((await f.request<{ data: unknown[] }>('/v1/generations')).body.data).toHaveLength(before);

    // Another tenant is not affected.
    expect((await hold(events(betaGeneration), KEYS.beta)).status).toBe(200);

    // Hanging up gives the slot back.
    held[0]!.close();
    const deadline = Date.now() + 5000;
    let again = await hold(events(alphaGeneration), KEYS.alpha);
    while (again.status === 429 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      again = await hold(events(alphaGeneration), KEYS.alpha);
    }
    expect(again.status).toBe(200);
  });

  it("caps the tenant's keys together", async () => {
    const second = (await f.admin<CreatedApiKey>('/admin/keys', { body: { tenant: 'alpha', name: 'second' } })).body.key;
    // alpha's first key holds 3 (the cap per key); the tenant's cap is 4.
    expect((await hold(events(alphaGeneration), second)).status).toBe(200);
    const over = await hold(events(alphaGeneration), second);
    expect(over.status).toBe(429);
    expect(String((await over.json()).detail)).toMatch(/tenant/);
  });
});
