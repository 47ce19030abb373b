import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { KEYS, startHarness, type Harness } from '../support/harness';

// Thousands of random and mutated requests against the all-in-one process: none may
// crash it or get a 5xx, and every error must be problem+json (or, at the OpenAI door and
// the front doors, JSON in the envelope those APIs document).
const RUNS = 2100;
const CONCURRENCY = 16;
const SEED = Number(process.env.FUZZ_SEED ?? 20260521);

/** Routes that answer errors in another documented shape (the OpenAI door). */
const OPENAI_DOOR = /^\/v1\/(chat|models)(\/|$|\?)/;
/** The front doors (docs/doors.md): errors in their own JSON envelopes. */
const FRONT_DOORS = /^\/(suno|gateway|api|v1\/suno)(\/|$|\?)/;

const VALID_BODIES: unknown[] = [
  { steps: [{ op: 'generate', gpt_description_prompt: 'a calm piano song' }] },
  { steps: [{ op: 'generate', prompt: '[Verse]\nla la', title: 'T', tags: 'pop', mv: 'chirp-v3-5' }, { op: 'extend', continue_at: 10 }, { op: 'concat' }] },
  { scenario: 'extend_full', input: { gpt_description_prompt: 'x', continue_at: 5 } },
  { scenario: 'upload_extend', input: { audio_url: 'https://93.184.216.34/a.mp3', continue_at: 5 } },
  { steps: [{ op: 'lyrics', prompt: 'tea' }, { op: 'generate', tags: 'folk' }], metadata: { a: 1 }, webhook_events: ['generation.failed'] },
  { steps: [{ op: 'generate', gpt_description_prompt: 'x' }, { op: 'replace_section', infill_start_s: 1, infill_end_s: 4, prompt: 'p', tags: 't' }] },
  { tenant: 'fuzz', name: 'k' },
  { gpt_description_prompt: 'a door song', mv: 'chirp-v3-5', notify_hook: 'https://93.184.216.34/hook' },
  { prompt: '[Verse]\nla', title: 'T', tags: 'pop', continue_clip_id: 'c', continue_at: 3, task_id: 't' },
  { action: 'generate', prompt: 'x', custom: false, async: true },
  { audio_id: 'a', prompt: 'x', continue_at: '00:30', wait_audio: false },
];

const PATHS = [
  '/v1/generations',
  '/v1/generations/{id}',
  '/v1/generations/{id}/cancel',
  '/v1/generations/{id}/events',
  '/v1/generations/{id}/deliveries',
  '/v1/webhooks/secret',
  '/v1/webhooks/secret/rotate',
  '/v1/providers',
  '/v1/providers/{id}/credits',
  '/v1/chat/completions',
  '/v1/models',
  '/v1/models/{id}',
  '/admin/keys',
  '/admin/keys/{id}',
  '/admin/keys/{id}/revoke',
  '/openapi.json',
  '/docs',
  '/healthz',
  '/readyz',
  '/metrics',
  '/',
  '/suno/submit/music',
  '/suno/fetch/{id}',
  '/suno/fetch',
  '/v1/suno/generate',
  '/v1/suno/feed',
  '/gateway/generate/music',
  '/gateway/feed/{id}',
  '/suno/audios',
  '/suno/tasks',
  '/api/extend_audio',
  '/api/get',
];

const urlChar = fc.constantFrom(...'abcXYZ019-._~!$&\'()*+,;=:@%/?#[]'.split(''), '%00', '%2F', '%2e%2e', '%E0%A4%A', '%ZZ', '%', '..', '//');
const segment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/),
  fc.array(urlChar, { maxLength: 12 }).map((cs) => cs.join('')),
  fc.constantFrom('gen_missing', 'sim', 'key_x', '..', '.', '', 'x'.repeat(3000)),
);
const query = fc.array(
  fc.tuple(fc.constantFrom('wait', 'limit', 'cursor', 'status', 'tenant', 'last_event_id', 'x', 'a[b]', '__proto__', 'wait[]'), segment),
  { maxLength: 4 },
).map((kv) => (kv.length ? `?${kv.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

const path = fc.oneof(
  { weight: 2, arbitrary: fc.constant('/v1/generations') },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...PATHS), segment, query).map(([p, id, q]) => `${p.replace('{id}', id)}${q}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PATHS), fc.array(segment, { maxLength: 3 })).map(([p, extra]) => `${p}/${extra.join('/')}`) },
  { weight: 1, arbitrary: fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`) },
).map((p) => p.replace(/#/g, '%23').replace(/^\/hooks/, '/v1')); // /hooks answers providers in their own {status, message} shape

/** A valid body with one field replaced, removed or added, or nested deeper. */
const mutated = fc
  .tuple(fc.constantFrom(...VALID_BODIES), fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 12 }), fc.nat(7))
  .map(([base, value, key, how]) => {
    const b = structuredClone(base) as Record<string, unknown>;
    const target = Array.isArray(b.steps) ? (b.steps[0] as Record<string, unknown>) : ((b.input as Record<string, unknown>) ?? b);
    const keys = Object.keys(target);
    const pick = keys[key.length % Math.max(keys.length, 1)] ?? 'op';
    if (how === 0) target[pick] = value;
    else if (how === 1) delete target[pick];
    else if (how === 2) target[key || 'extra'] = value;
    else if (how === 3) b[key || 'extra'] = value;
    else if (how === 4 && Array.isArray(b.steps)) b.steps = Array.from({ length: 11 + (key.length % 5) }, () => b.steps![0 as never]);
    else if (how === 5) target.mv = `chirp-${key}`; // a model the provider may not have
    else if (how === 6) b.provider = key || 'nope'; // a provider that is not configured
    else return { wrapper: b };
    return b;
  });

const rawBody = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...VALID_BODIES).map((b) => JSON.stringify(b)) },
  { weight: 5, arbitrary: mutated.map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.nat({ max: 40_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', 'null', '{"steps": [', '\u0000', '{"__proto__": {"admin": true}}', `{"s":"${'x'.repeat(70_000)}"}`) },
);

const headers = fc.record(
  {
    'content-type': fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
      { weight: 2, arbitrary: fc.constantFrom('application/json; charset=utf-16', 'application/json; charset=koi8-z', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/merge-patch+json', '*/*') },
    ),
    'content-encoding': fc.oneof({ weight: 5, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'zstd', 'x-nope') }),
    'idempotency-key': fc.oneof(fc.stringMatching(/^[!-~]{0,300}$/), fc.constantFrom('"quoted"', '""', 'same-key')),
    prefer: fc.constantFrom('wait=0', 'wait=1', 'wait=-5', 'wait=abc', 'respond-async', 'wait=1e9'),
    'x-request-id': fc.stringMatching(/^[!-~]{0,120}$/),
    'last-event-id': fc.stringMatching(/^[0-9a-z-]{0,25}$/),
    accept: fc.constantFrom('application/json', 'text/html', 'text/event-stream', '*/*', 'image/png'),
    authorization: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(`Bearer ${KEYS.alpha}`, `bearer  ${KEYS.alpha}`, `Bearer ${KEYS.beta}`) },
      { weight: 2, arbitrary: fc.constantFrom('Bearer wrong', 'Basic Zm9vOmJhcg==', 'Bearer', `Bearer ${KEYS.alpha}x`, '') },
    ),
  },
  { requiredKeys: ['authorization'] },
);

const request = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'),
      path,
      headers,
      body: fc.option(rawBody, { freq: 3 }),
    }),
  },
  // The richest door gets a share of its own: bodies that reach validation, planning and Postgres.
  { weight: 1, arbitrary: fc.record({ method: fc.constant('POST'), path: fc.constant('/v1/generations'), headers, body: rawBody }) },
);
type FuzzRequest = { method: string; path: string; headers: Partial<Record<string, string>>; body: string | null };

interface Outcome {
  req: FuzzRequest;
  status: number;
  contentType: string;
  body: string;
}

function send(base: URL, r: FuzzRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    let answered: Outcome | null = null;
    const hdrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) if (v) hdrs[k] = v;
    // Frame every body (Node sends GET bodies unframed, which the server would read as a second request).
    if (r.body !== null) hdrs['content-length'] = String(Buffer.byteLength(r.body));
    const req = http.request(
      { host: base.hostname, port: base.port, method: r.method, path: r.path, headers: hdrs, timeout: 15_000, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        // A stream that does not end on its own (an SSE for a real id) is cut after its headers.
        const streaming = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          if (streaming) req.destroy();
        });
        answered = { req: r, status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: '' };
        const done = () => resolve({ ...answered!, body: Buffer.concat(chunks).toString() });
        res.on('end', done);
        res.on('close', done);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout ${r.method} ${r.path}`)));
    // Hanging up on a stream, or the server closing after an early answer (413), is fine;
    // a connection dropped with no answer at all is recorded as status 0 and fails the test.
    req.on('error', (err) => resolve(answered ?? { req: r, status: 0, contentType: '', body: err.message }));
    if (r.body !== null) req.write(r.body);
    req.end();
  });
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ simDurationMs: 100, env: { RATE_LIMIT_PER_MINUTE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000', URL_GUARD_DNS: 'false' } });
});
afterAll(async () => {
  await h?.stop();
});

describe('fuzzing the HTTP surface', () => {
  it(`answers ${RUNS} random requests without a 5xx, every error as problem+json`, { timeout: 120_000 }, async () => {
    const samples = fc.sample(request, { numRuns: RUNS, seed: SEED });
    const base = new URL(h.url);
    const outcomes: Outcome[] = [];
    const queue = [...samples];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let r = queue.shift(); r; r = queue.shift()) outcomes.push(await send(base, r));
      }),
    );
    expect(outcomes).toHaveLength(RUNS);
    const show = (o: Outcome) => `${o.status} ${o.req.method} ${o.req.path.slice(0, 120)} ${o.contentType} ${o.body.slice(0, 160)}`;
    const serverErrors = outcomes.filter((o) => o.status >= 500 || o.status === 0);
    expect(serverErrors.map(show)).toEqual([]);
    const badErrors = outcomes.filter(
      (o) => o.status >= 400 && !OPENAI_DOOR.test(o.req.path) && !FRONT_DOORS.test(o.req.path) && !o.contentType.startsWith('application/problem+json'),
    );
    expect(badErrors.map(show)).toEqual([]);
    const frontDoorErrors = outcomes.filter((o) => o.status >= 400 && FRONT_DOORS.test(o.req.path) && o.req.method !== 'HEAD');
    expect(frontDoorErrors.length).toBeGreaterThan(0);
    for (const o of frontDoorErrors) {
      expect(o.contentType, show(o)).toMatch(/^application\/json/);
      const body = JSON.parse(o.body) as Record<string, unknown>;
      expect(['message', 'detail', 'msg', 'error'].some((k) => k in body), show(o)).toBe(true);
    }
    const doorErrors = outcomes.filter((o) => o.status >= 400 && OPENAI_DOOR.test(o.req.path) && o.req.method !== 'HEAD');
    for (const o of doorErrors) expect(JSON.parse(o.body), show(o)).toHaveProperty('error.message');
    const leaks = outcomes.filter((o) => /\bat [\w.<>]+ \(|node_modules|\.ts:\d+/.test(o.body));
    expect(leaks.map(show)).toEqual([]);
    // The run reached past authentication and validation, not only the front door.
    const statuses = new Set(outcomes.map((o) => o.status));
    for (const s of [200, 202, 400, 401, 404, 413, 415, 422]) expect(statuses.has(s), `saw ${[...statuses].join(',')}`).toBe(true);
  });

  it('is still healthy and still makes songs afterwards', async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    const g = await h.api<GenerationView>('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: 'after the storm' }] } });
    expect(g.status).toBe(202);
    expect((await h.waitFinal(g.body.id)).status).toBe('succeeded');
  });
});
