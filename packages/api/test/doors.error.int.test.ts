import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startApi, type ApiFixture, type RequestInit } from './support/api-fixture';

// What the doors refuse, each in its own envelope and status, before anything is made:
// an operation the provider cannot run (naming both), Refrain's input limits, bodies it
// cannot read, the rate limit, unknown paths. No worker runs here: a refusal never waits.

let gateway: ApiFixture; // default provider: a gateway (no upload, cover, stems…)
let action: ApiFixture; // default provider: an action provider (no lyrics)
let limited: ApiFixture; // 5 requests a minute per key
beforeAll(async () => {
  [gateway, action, limited] = await Promise.all([
    startApi({ providers: [{ name: 'gw', dialect: 'gateway' }], deps: { defaultProvider: 'gw' } }),
    startApi({ providers: [{ name: 'ace', dialect: 'action' }], deps: { defaultProvider: 'ace' } }),
    startApi({ deps: { rateLimitPerMinute: 5 } }),
  ]);
});
afterAll(async () => {
  await Promise.all([gateway?.stop(), action?.stop(), limited?.stop()]);
});

/** Each door's envelope, as the e2e tests read it. */
const ENVELOPE = {
  relay: (b: Record<string, unknown>) => b.code === 'error' && b.data === null ? String(b.message) : null,
  native: (b: Record<string, unknown>) => Object.keys(b).join() === 'detail' ? String(b.detail) : null,
  gateway: (b: Record<string, unknown>, s: number) => b.code === s && b.data === null ? String(b.msg) : null,
  action: (b: { success?: boolean; error?: { message?: string } }) => b.success === false ? String(b.error?.message) : null,
  gcui: (b: Record<string, unknown>) => Object.keys(b).join() === 'error' ? String(b.error) : null,
};
type DoorName = keyof typeof ENVELOPE;

async function refused(f: ApiFixture, door: DoorName, path: string, init: RequestInit, status: number): Promise<string> {
  const r = await f.request<never>(path, init);
  expect(r.status, `${path}: ${r.text}`).toBe(status);
  const message = ENVELOPE[door](r.body as never, status);
  expect(message, `${path} answers in the ${door} envelope: ${r.text}`).not.toBeNull();
  return message!;
}

describe('an operation the provider cannot run is refused in the door\'s envelope, naming both', () => {
  it.each([
    ['native', '/v1/suno/uploads/audio-url', { body: { url: 'https://example.com/song.mp3' } }, 'upload'],
    ['native', '/v1/suno/generate', { body: { task: 'cover', cover_clip_id: 'c1', prompt: 'x', mv: 'chirp-v4' } }, 'cover'],
    ['action', '/suno/audios', { body: { action: 'stems', audio_id: 'c1' } }, 'stems'],
    ['gcui', '/api/generate_stems', { body: { audio_id: 'c1' } }, 'stems'],
  ] as const)('%s %s → 422', async (door, path, init, op) => {
    const message = await refused(gateway, door, path, init, 422);
    expect(message).toBe(`provider "gw" does not offer the operation "${op}"`);
  });

  it.each([
    ['relay', '/suno/submit/lyrics', { body: { prompt: 'an idea' } }],
    ['gateway', '/gateway/generate/lyrics', { body: { prompt: 'an idea' }, key: null, headers: { 'api-key': KEYS.alpha } }],
    ['native', '/v1/suno/generate/lyrics', { body: { prompt: 'an idea' } }],
    ['gcui', '/api/generate_lyrics', { body: { prompt: 'an idea' } }],
  ] as const)('%s lyrics on an action provider → 422', async (door, path, init) => {
    expect(await refused(action, door, path, init, 422)).toBe('provider "ace" does not offer the operation "lyrics"');
  });

  it('the credits of a provider that cannot tell them', async () => {
    expect(await refused(action, 'gateway', '/gateway/limit', { key: null, headers: { 'api-key': KEYS.alpha } }, 422)).toBe('provider "ace" (action) cannot tell its credits');
    expect(await refused(action, 'gcui', '/api/get_limit', {}, 422)).toContain('cannot tell its credits');
  });
});

describe('Refrain\'s input limits and body rules hold at every door, in its words', () => {
  it('names the door\'s own field when a value is over a limit', async () => {
    const long = 'x'.repeat(5001);
    expect(await refused(action, 'action', '/suno/audios', { body: { action: 'generate', custom: true, lyric: long } }, 400)).toMatch(/^lyric: Too big/);
    expect(await refused(action, 'relay', '/suno/submit/music', { body: { prompt: long } }, 400)).toMatch(/^prompt: Too big/);
    expect(await refused(action, 'gcui', '/api/generate', { body: { prompt: 'y'.repeat(3001) } }, 400)).toMatch(/^prompt: Too big/);
    expect(await refused(action, 'native', '/v1/suno/generate', { body: { prompt: 'x', title: 't'.repeat(201) } }, 400)).toMatch(/^title: Too big/);
    expect(await refused(action, 'relay', '/suno/submit/music', { body: { prompt: 'x', continue_clip_id: 'c', continue_at: 99999 } }, 400)).toMatch(/continue_at/);
  });

  it('refuses unreadable and oversized bodies, deep nesting and NUL characters', async () => {
    expect(await refused(action, 'relay', '/suno/submit/music', { body: '{"prompt": ' }, 400)).toMatch(/not valid JSON/);
    expect(await refused(action, 'action', '/suno/audios', { body: JSON.stringify({ action: 'generate', prompt: 'x'.repeat(70_000) }) }, 413)).toMatch(/too large/);
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(await refused(action, 'gcui', '/api/generate', { body: { prompt: 'x', extra: deep } }, 400)).toMatch(/nests deeper/);
    expect(await refused(action, 'native', '/v1/suno/generate', { body: { prompt: 'a\u0000b' } }, 400)).toMatch(/NUL/);
  });

  it('refuses URLs the guard does not allow (notify_hook, callback_url, audio_url, url)', async () => {
    expect(await refused(action, 'relay', '/suno/submit/music', { body: { gpt_description_prompt: 'x', notify_hook: 'http://10.0.0.8/hook' } }, 400)).toMatch(/^notify_hook is not allowed/);
    expect(await refused(action, 'action', '/suno/audios', { body: { action: 'generate', prompt: 'x', callback_url: 'https://169.254.169.254/latest' } }, 400)).toMatch(/^callback_url is not allowed/);
    expect(await refused(action, 'action', '/suno/upload', { body: { audio_url: 'http://127.0.0.1/a.mp3' } }, 400)).toMatch(/^audio_url is not allowed/);
    expect(await refused(gateway, 'native', '/v1/suno/uploads/audio-url', { body: { url: 'https://[::1]/a.mp3' } }, 400)).toMatch(/^url is not allowed/);
  });

  it('answers unknown paths under a door\'s prefix in that door\'s envelope', async () => {
    await refused(action, 'relay', '/suno/nothing-here', {}, 404);
    await refused(action, 'gateway', '/gateway/nothing', { key: null, headers: { 'api-key': KEYS.alpha } }, 404);
    await refused(action, 'gcui', '/api/nothing', {}, 404);
    await refused(action, 'native', '/v1/suno/nothing', {}, 404);
    await refused(action, 'action', '/suno/tasks/nothing', {}, 404);
  });
});

describe('the rate limit of the key counts door requests too', () => {
  it('answers 429 with Retry-After in the door\'s envelope', async () => {
    let last;
    for (let i = 0; i < 6; i++) last = await limited.request<never>('/suno/fetch/00000000-0000-4000-8000-000000000000', { key: KEYS.beta });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(ENVELOPE.relay(last!.body as never)).toMatch(/more than 5 requests in a minute/);
    const viaV1 = await limited.request('/v1/providers', { key: KEYS.beta });
    expect(viaV1.status).toBe(429); // one budget per key, whichever door it comes through
  });
});
