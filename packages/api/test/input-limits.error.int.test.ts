import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiFixture } from './support/api-fixture';

interface Problem {
  status: number;
  detail: string;
  step?: number;
  issues?: { path: (string | number)[]; message: string; code: string }[];
}

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi({ deps: { rateLimitPerMinute: 10_000 } });
});
afterAll(async () => {
  await f?.stop();
});

const gen = (step: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ steps: [{ op: 'generate', gpt_description_prompt: 'x', ...step }], ...extra });
const post = (body: unknown) => f.request<Problem>('/v1/generations', { body });

async function expect400(body: unknown, path: string, message?: RegExp) {
  const r = await post(body);
  expect(r.status, JSON.stringify(body).slice(0, 200)).toBe(400);
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  const paths = r.body.issues?.map((i) => i.path.join('.')) ?? [];
  expect(paths.some((p) => p === path || p.startsWith(`${path}.`)), `${paths.join(', ')} names ${path}`).toBe(true);
  if (message) expect(r.body.issues!.map((i) => i.message).join(' ')).toMatch(message);
}

describe('body size and shape', () => {
  it('413 above the body limit', async () => {
    const r = await post(gen({ gpt_description_prompt: 'x'.repeat(70 * 1024) }));
    expect(r.status).toBe(413);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  });

  it('400, not a crash, for absurdly nested JSON', async () => {
    const deep = `{"steps":[{"op":"generate","gpt_description_prompt":"x"}],"metadata":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    const r = await post(deep);
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/nests deeper/);
    const r2 = await post('['.repeat(30_000) + ']'.repeat(30_000));
    expect(r2.status).toBe(400);
  });

  it('400 for JSON that is not an object', async () => {
    for (const body of ['null', '42', '"text"', '[]', 'true']) expect((await post(body)).status).toBe(400);
  });
});

describe('unknown fields are refused everywhere, by name', () => {
  it('at the top, in a step, in a scenario input', async () => {
    await expect400({ ...gen({}), priority: 'high' }, '', /priority/);
    await expect400(gen({ seed: 42 }), 'steps.0', /seed/);
    await expect400({ scenario: 'extend_full', input: { gpt_description_prompt: 'x', continue_at: 5, speed: 2 } }, 'input', /speed/);
  });

  it('in the query of routes that take one', async () => {
    expect((await f.request('/v1/generations?sort=asc')).status).toBe(400);
    expect((await f.request('/v1/generations/gen_x?wait=1&poll=1')).status).toBe(400);
  });
});

describe('every string has a length, every number a range', () => {
  it.each([
    [gen({ gpt_description_prompt: 'x'.repeat(3001) }), 'steps.0.gpt_description_prompt'],
    [gen({ gpt_description_prompt: '' }), 'steps.0.gpt_description_prompt'],
    [{ steps: [{ op: 'generate', prompt: 'x'.repeat(5001) }] }, 'steps.0.prompt'],
    [{ steps: [{ op: 'generate', title: 't'.repeat(201) }] }, 'steps.0.title'],
    [{ steps: [{ op: 'generate', tags: 't'.repeat(501) }] }, 'steps.0.tags'],
    [gen({ mv: 'm'.repeat(65) }), 'steps.0.mv'],
    [gen({ make_instrumental: 'yes' }), 'steps.0.make_instrumental'],
    [{ steps: [{ op: 'generate', gpt_description_prompt: 'x' }, { op: 'extend', continue_at: -1 }] }, 'steps.1.continue_at'],
    [{ steps: [{ op: 'generate', gpt_description_prompt: 'x' }, { op: 'extend', continue_at: 3601 }] }, 'steps.1.continue_at'],
    [{ steps: [{ op: 'generate', gpt_description_prompt: 'x' }, { op: 'extend', continue_at: 10, from_clip: 10 }] }, 'steps.1.from_clip'],
    [{ steps: [{ op: 'generate', gpt_description_prompt: 'x' }, { op: 'extend', continue_at: 10, from_clip: 0.5 }] }, 'steps.1.from_clip'],
    [{ steps: [{ op: 'extend', continue_at: 10, continue_clip_id: 'c'.repeat(201) }] }, 'steps.0.continue_clip_id'],
    [{ steps: [{ op: 'upload', audio_url: `https://a.example/${'p'.repeat(2048)}` }] }, 'steps.0.audio_url'],
    [{ steps: [{ op: 'upload', audio_url: 'ftp://a.example/x.mp3' }] }, 'steps.0.audio_url'],
    [gen({}, { provider: 'p'.repeat(65) }), 'provider'],
    [gen({}, { callback_url: 'https://a.example/' + 'c'.repeat(2048) }), 'callback_url'],
    [gen({}, { webhook_events: ['generation.exploded'] }), 'webhook_events.0'],
    [gen({}, { metadata: { ['k'.repeat(65)]: 1 } }), 'metadata'],
    [gen({}, { metadata: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])) }), 'metadata'],
    [gen({}, { metadata: { big: 'v'.repeat(9000) } }), 'metadata'],
  ])('400 for %#', async (body, path) => {
    await expect400(body, path);
  });

  it('query numbers too', async () => {
    for (const q of ['limit=0', 'limit=101', 'limit=abc', 'status=done', `cursor=${'c'.repeat(201)}`]) {
      expect((await f.request(`/v1/generations?${q}`)).status, q).toBe(400);
    }
    for (const q of ['wait=-1', 'wait=61', 'wait=soon']) expect((await f.request(`/v1/generations/gen_x?${q}`)).status, q).toBe(400);
  });
});

describe('steps and models', () => {
  it('at most 10 steps', async () => {
    const steps = [{ op: 'generate', gpt_description_prompt: 'x' }, ...Array.from({ length: 10 }, () => ({ op: 'extend', continue_at: 5 }))];
    await expect400({ steps }, 'steps', /10/);
    const ten = await post({ steps: steps.slice(0, 10) });
    expect(ten.status).toBe(202);
  });

  it("422 for a model the provider does not list, naming the step", async () => {
    const r = await post(gen({ mv: 'chirp-v9' }));
    expect(r.status).toBe(422);
    expect(r.body.step).toBe(0);
    expect(r.body.detail).toMatch(/chirp-v9/);
    expect((await post(gen({ mv: 'chirp-v4' }))).status).toBe(202);
  });

  it('422 for a provider that is not configured', async () => {
    expect((await post(gen({}, { provider: 'nope' }))).status).toBe(422);
  });
});

describe('characters Postgres cannot store', () => {
  it('400, not a 500, for NUL in a body string, a body key, the path or the query', async () => {
    expect((await post(gen({ gpt_description_prompt: 'a\u0000b' }))).status).toBe(400);
    expect((await post(gen({}, { metadata: { 'k\u0000': 1 } }))).status).toBe(400);
    expect((await f.request('/v1/generations/gen_%00x')).status).toBe(400);
    expect((await f.request('/v1/generations?cursor=%00')).status).toBe(400);
    const admin = await f.admin('/admin/keys', { body: { tenant: 'ok', name: 'a\u0000b' } });
    expect(admin.status).toBe(400);
    expect((await f.admin('/admin/keys/key_%00', { method: 'DELETE' })).status).toBe(400);
  });
});
