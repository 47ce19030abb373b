import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refrainEnv, startRefrain, type RunningRefrain } from '@refrain/bootstrap';
import type { CreatedApiKey, GenerationView } from '@refrain/contracts';
import { createTestDatabase } from '@refrain/db';
import { createLogger } from '@refrain/observability';
import { startSimulator } from '@refrain/simulator';
import { ADMIN_URL, dropRedisPrefix, REDIS_URL } from '../support/harness';
import { startCallbackTap, type CallbackTap } from '../support/callback-tap';

// Distinctive secrets, so finding any of them in the log is never a coincidence.
const API_KEY = `rk_live_${randomBytes(16).toString('hex')}`;
const ADMIN_TOKEN = `adm_${randomBytes(16).toString('hex')}`;
const PROVIDER_KEY = `prov_${randomBytes(16).toString('hex')}`;


const logLines: string[] = [];
let refrain: RunningRefrain;
let tap: CallbackTap;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const prefix = `t${randomBytes(5).toString('hex')}`;
const extraSecrets: string[] = [];

const api = async <T>(path: string, init: { method?: string; body?: unknown; key?: string; headers?: Record<string, string> } = {}) => {
  const res = await fetch(`${refrain.url}${path}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: { authorization: `Bearer ${init.key ?? API_KEY}`, 'content-type': 'application/json', ...init.headers },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T };
};

beforeAll(async () => {
  db = await createTestDatabase(ADMIN_URL);
  sim = await startSimulator({ port: 0, apiKey: PROVIDER_KEY, durationMs: 300 });
  tap = await startCallbackTap();
  const env = refrainEnv.parse({
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    PROVIDERS: JSON.stringify([
      // Callbacks on and polling slow: the steps finish through /hooks/<provider>/<token>.
      { name: 'relay', dialect: 'relay', base_url: sim.url, api_key: PROVIDER_KEY, callbacks: true, poll_interval_ms: 60_000 },
      { name: 'native', dialect: 'native', base_url: sim.url, api_key: PROVIDER_KEY, poll_interval_ms: 200 },
    ]),
    API_KEYS: `alpha:${API_KEY}`,
    ADMIN_TOKEN,
    PUBLIC_HOOKS_URL: tap.url,
    PORT: '0',
    LOG_LEVEL: 'debug',
    ALLOW_LOOPBACK_URLS: 'true',
    URL_GUARD_DNS: 'false',
  });
  const destination = new Writable({
    write(chunk, _enc, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  refrain = await startRefrain(env, ['api', 'worker', 'hooks'], { logger: createLogger({ level: 'debug', name: 'refrain', destination }) });
  tap.setTarget(refrain.url!);
});
afterAll(async () => {
  await refrain?.stop();
  await sim?.close();
  await tap?.close();
  await db?.drop().catch(() => {});
  await dropRedisPrefix(prefix);
});

describe('a full run with debug logging', () => {
  it('finishes generations through callbacks and polling, with keys, tokens and secrets in play', async () => {
    const minted = await api<CreatedApiKey>('/admin/keys', { key: ADMIN_TOKEN, body: { tenant: 'alpha', name: 'minted' } });
    expect(minted.status).toBe(201);
    extraSecrets.push(minted.body.key);
    const secret = await api<{ secret: string }>('/v1/webhooks/secret');
    extraSecrets.push(secret.body.secret);

    const viaCallback = await api<GenerationView>('/v1/generations', {
      key: minted.body.key,
      headers: { 'idempotency-key': 'log-test-1' },
      body: { provider: 'relay', steps: [{ op: 'generate', gpt_description_prompt: 'a song with secrets' }, { op: 'extend', continue_at: 5 }] },
    });
    expect(viaCallback.status).toBe(202);
    const viaPolling = await api<GenerationView>('/v1/generations', { body: { provider: 'native', steps: [{ op: 'generate', gpt_description_prompt: 'polled' }] } });
    await api('/v1/generations', { key: 'rk_wrong_but_logged_maybe_0000' });
    for (const id of [viaCallback.body.id, viaPolling.body.id]) {
      const done = await api<GenerationView>(`/v1/generations/${id}?wait=30`);
      expect(done.body.status).toBe('succeeded');
    }
    expect(tap.seen.length).toBeGreaterThanOrEqual(3);
  });

  it('never writes an API key, the admin token, a provider key, a callback token or the webhook secret to the log', () => {
    const log = logLines.join('\n');
    expect(logLines.some((l) => l.includes('"level":20'))).toBe(true);
    expect(log).toContain('/hooks/relay/[redacted]');
    const tokens = tap.seen.map((s) => s.path.split('/').pop()!.split('?')[0]!);
    expect(tokens.every((t) => t.length >= 16)).toBe(true);
    const secrets = { API_KEY, ADMIN_TOKEN, PROVIDER_KEY, minted: extraSecrets[0]!, webhookSecret: extraSecrets[1]!, ...Object.fromEntries(tokens.map((t, i) => [`callback token ${i}`, t])) };
    for (const [name, value] of Object.entries(secrets)) {
      expect(log.includes(value), `${name} is in the log`).toBe(false);
    }
  });
});
