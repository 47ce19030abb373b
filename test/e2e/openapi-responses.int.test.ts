import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiKey, GenerationView } from '@refrain/contracts';
import { ADMIN_TOKEN, KEYS, startHarness, type Harness } from '../support/harness';
import { openApiValidator, type OpenApiDoc } from '../support/openapi-validator';

// Real answers of the all-in-one process, each checked against the document it serves.
let h: Harness;
let validator: ReturnType<typeof openApiValidator>;
const problems: string[] = [];
let checked = 0;
const webhooks: { event: string; body: unknown }[] = [];
let receiver: http.Server;
let receiverUrl: string;

async function call<T = unknown>(path: string, init: { method?: string; body?: unknown; key?: string | null; headers?: Record<string, string> } = {}) {
  const r = await h.api<T>(path, init);
  problems.push(...validator.response(init.method ?? (init.body !== undefined ? 'POST' : 'GET'), path, r.status, r.headers.get('content-type'), r.body));
  checked++;
  return r;
}
const admin = <T>(path: string, init: { method?: string; body?: unknown } = {}) =>
  call<T>(path, { ...init, key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { type: string };
      webhooks.push({ event: parsed.type, body: parsed });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  h = await startHarness({ env: { ALLOW_LOOPBACK_URLS: 'true', URL_GUARD_DNS: 'false', WEBHOOK_RETRY_BASE_MS: '50' } });
  const doc = await h.api<OpenApiDoc>('/openapi.json', { key: null });
  validator = openApiValidator(doc.body);
});
afterAll(async () => {
  await h?.stop();
  await new Promise((r) => receiver?.close(r));
});

describe('real answers match the OpenAPI document', () => {
  it('for a whole generation: create, follow, list, deliveries, webhooks', async () => {
    const created = await call<GenerationView>('/v1/generations', {
      body: {
        scenario: 'extend_full',
        input: { gpt_description_prompt: 'a documented song', continue_at: 5 },
        callback_url: receiverUrl,
        webhook_events: ['generation.succeeded', 'step.succeeded', 'clip.streaming'],
        metadata: { order: 7 },
      },
      headers: { 'idempotency-key': 'doc-check-1' },
    });
    expect(created.status).toBe(202);
    await call(`/v1/generations/${created.body.id}`);
    const done = await call<GenerationView>(`/v1/generations/${created.body.id}?wait=30`);
    expect(done.body.status).toBe('succeeded');
    expect(done.body.clips.length).toBeGreaterThan(0);
    const replay = await call<GenerationView>('/v1/generations', {
      body: {
        scenario: 'extend_full',
        input: { gpt_description_prompt: 'a documented song', continue_at: 5 },
        callback_url: receiverUrl,
        webhook_events: ['generation.succeeded', 'step.succeeded', 'clip.streaming'],
        metadata: { order: 7 },
      },
      headers: { 'idempotency-key': 'doc-check-1' },
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await call('/v1/generations?limit=5');
    await call('/v1/generations?status=succeeded&limit=1');
    await call(`/v1/generations/${created.body.id}/cancel`, { method: 'POST' });
    for (let i = 0; i < 100 && webhooks.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    await call(`/v1/generations/${created.body.id}/deliveries`);
    expect(webhooks.length).toBeGreaterThanOrEqual(3);
    for (const w of webhooks) problems.push(...validator.webhook(w.event, w.body));
  });

  it('for every other route and the usual errors', async () => {
    await call('/v1/providers');
    await call('/v1/providers/sim/credits');
    await call('/v1/providers/nope/credits');
    await call('/v1/webhooks/secret');
    await call('/v1/webhooks/secret/rotate', { method: 'POST' });
    await call('/v1/models');
    await call('/healthz', { key: null });
    await call('/readyz', { key: null });
    const key = await admin<CreatedApiKey>('/admin/keys', { body: { tenant: 'docs', name: 'checked' } });
    await admin('/admin/keys?tenant=docs');
    await admin(`/admin/keys/${key.body.id}`, { method: 'DELETE' });
    await admin('/admin/keys', { body: { tenant: 'bad tenant' } });
    await call('/admin/keys', { key: KEYS.alpha });
    // Errors: each must be a documented status with a problem body of the documented shape.
    await call('/v1/generations', { key: null });
    await call('/v1/generations', { key: 'rk_wrong-key-00000000000000000' });
    await call('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: 'x', seed: 1 }] } });
    await call('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: 'x', mv: 'chirp-v99' }] } });
    await call('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: 'x'.repeat(80_000) }] } });
    await call('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: 'x' }] }, headers: { 'idempotency-key': 'doc-check-1' } });
    await call('/v1/generations/gen_missing');
    await call('/v1/generations/gen_missing/cancel', { method: 'POST' });
    await call('/v1/generations/gen_missing/deliveries');
    await call('/v1/generations?limit=1000');
    await call('/v1/generations', { body: { steps: [{ op: 'upload', audio_url: 'https://10.0.0.1/a.mp3' }] } });
    expect(checked).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  });

  it('for server-sent events: the documented content type', async () => {
    const g = await h.api<GenerationView>('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: 'sse doc' }] } });
    await h.waitFinal(g.body.id);
    const res = await fetch(`${h.url}/v1/generations/${g.body.id}/events`, { headers: { authorization: `Bearer ${KEYS.alpha}` } });
    expect(validator.response('GET', `/v1/generations/${g.body.id}/events`, res.status, res.headers.get('content-type'), null)).toEqual([]);
    expect(await res.text()).toContain('event: generation');
  });
});
