import { gzipSync, deflateSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { sha256 } from '@refrain/db';
import { KEYS, startHarness, type Harness } from '../support/harness';
import { startCallbackTap, type CallbackTap } from '../support/callback-tap';


let h: Harness;
let tap: CallbackTap;
let db: pg.Client;
beforeAll(async () => {
  tap = await startCallbackTap();
  h = await startHarness({
    providers: (sim) => [
      { name: 'sim', dialect: 'native', base_url: sim, api_key: 'sim-key', poll_interval_ms: 200 },
      { name: 'relay', dialect: 'relay', base_url: sim, api_key: 'sim-key', callbacks: true, poll_interval_ms: 200 },
    ],
    env: { PUBLIC_HOOKS_URL: tap.url },
  });
  tap.setTarget(h.url);
  db = new pg.Client({ connectionString: h.workerEnv.DATABASE_URL });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await h?.stop();
  await tap?.close();
});

describe('hook tokens', () => {
  it('carry 192 random bits, are stored only as their hash, and every refusal is the same 404', async () => {
    const r = await h.api<GenerationView>('/v1/generations', { body: { provider: 'relay', steps: [{ op: 'generate', gpt_description_prompt: 'hooked [sim:duration=400]' }] } });
    const g = await h.waitFinal(r.body.id, 20);
    expect(g.status).toBe('succeeded');
    const path = tap.seen.map((s) => s.path).find((p) => p.startsWith('/hooks/relay/'))!;
    const token = path.split('/').pop()!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/); // 24 bytes, base64url
    const { rows } = await db.query('select callback_token_hash from steps where generation_id = $1', [g.id]);
    expect(rows[0].callback_token_hash).toBe(sha256(token));
    const all = JSON.stringify((await db.query('select * from steps')).rows);
    expect(all).not.toContain(token);

    const refusals = [
      `/hooks/relay/${token.slice(0, -1)}x`, // one character off
      `/hooks/relay/${'A'.repeat(32)}`,
      `/hooks/sim/${token}`, // another provider's path
      `/hooks/nope/${token}`,
      `/hooks/relay/${token}${'x'.repeat(300)}`,
    ];
    const answers = await Promise.all(
      refusals.map(async (p) => {
        const res = await fetch(`${h.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        return `${res.status} ${await res.text()}`;
      }),
    );
    expect(new Set(answers)).toEqual(new Set(['404 {"status":404,"message":"unknown hook"}']));
  });
});

describe('body limits count decompressed bytes', () => {
  const post = (path: string, body: Buffer, encoding: string) =>
    fetch(`${h.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.alpha}`, 'content-type': 'application/json', 'content-encoding': encoding }, body: new Uint8Array(body) });

  it('refuses a small gzip or deflate body that inflates past the limit with 413', async () => {
    const inflated = Buffer.from(JSON.stringify({ steps: [{ op: 'generate', gpt_description_prompt: 'x' }], metadata: { pad: ' '.repeat(300_000) } }));
    for (const [encoding, squeezed] of [['gzip', gzipSync(inflated)], ['deflate', deflateSync(inflated)]] as const) {
      expect(squeezed.length).toBeLessThan(4096);
      const r = await post('/v1/generations', squeezed, encoding);
      expect(r.status, encoding).toBe(413);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    // The chat door's 1 MB counts the same way.
    const chat = Buffer.from(JSON.stringify({ model: 'chirp-v4', messages: [{ role: 'user', content: ' '.repeat(1_100_000) }] }));
    expect((await post('/v1/chat/completions', gzipSync(chat), 'gzip')).status).toBe(413);
  });

  it('reads a compressed body within the limit', async () => {
    const body = gzipSync(Buffer.from(JSON.stringify({ steps: [{ op: 'generate', gpt_description_prompt: 'a gzipped song' }] })));
    expect((await post('/v1/generations', body, 'gzip')).status).toBe(202);
  });
});

describe('stored and exposed', () => {
  it('keeps seeded keys as sha256 and a 7-character prefix only', async () => {
    const { rows } = await db.query(`select * from api_keys where name = 'seeded' order by tenant_id`);
    expect(rows.map((r) => r.tenant_id)).toEqual(['alpha', 'beta']);
    expect(rows[0].hash).toBe(sha256(KEYS.alpha));
    expect(rows[0].prefix).toBe(KEYS.alpha.slice(0, 7));
    expect(JSON.stringify(rows)).not.toContain(KEYS.alpha);
  });

  it('shows no tenant data in /metrics', async () => {
    const secretPrompt = 'a-very-private-prompt-4c1d';
    const r = await h.api<GenerationView>('/v1/generations', {
      key: KEYS.beta,
      body: { steps: [{ op: 'generate', gpt_description_prompt: secretPrompt }], metadata: { customer: 'beta-customer-9f2' } },
    });
    for (let i = 0; i < 10; i++) {
      const g = await h.api<GenerationView>(`/v1/generations/${r.body.id}?wait=5`, { key: KEYS.beta });
      if (g.body.status === 'succeeded') break;
    }
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text).toContain('refrain_');
    for (const s of ['alpha', 'beta', r.body.id, secretPrompt, 'beta-customer-9f2', KEYS.beta.slice(0, 7), tap.url]) {
      expect(text, s).not.toContain(s);
    }
  });
});
