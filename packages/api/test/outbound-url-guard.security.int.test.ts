import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeResolver, startApi, type ApiFixture } from './support/api-fixture';

// Every address below is a literal or comes from the fake resolver: nothing leaves loopback.
const dns = fakeResolver({
  'cdn.example.com': ['93.184.216.34'],
  'internal.example.com': ['10.0.0.7'],
  'rebind.example.com': ['93.184.216.34', '169.254.169.254'],
});

interface Problem {
  detail: string;
  step?: number;
  issues: { path: (string | number)[]; code: string; message: string }[];
}

let strict: ApiFixture;
let dev: ApiFixture;
beforeAll(async () => {
  strict = await startApi({ deps: { resolveHost: dns, allowLoopbackUrls: false, chatMaxWaitS: 1 } });
  dev = await startApi({ deps: { resolveHost: dns, allowLoopbackUrls: true } });
});
afterAll(async () => {
  await strict?.stop();
  await dev?.stop();
});

const upload = (url: string) => ({ steps: [{ op: 'upload', audio_url: url }, { op: 'extend', continue_at: 5 }] });
const scenario = (url: string) => ({ scenario: 'upload_extend', input: { audio_url: url, continue_at: 5 } });

describe('the URL guard on audio_url', () => {
  it.each([
    ['plain http', 'http://cdn.example.com/a.mp3', /https/],
    ['loopback', 'https://127.0.0.1/a.mp3', /loopback/],
    ['localhost', 'https://localhost:3000/a.mp3', /loopback/],
    ['a private address', 'https://192.168.1.20/a.mp3', /private/],
    ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data/', /metadata/],
    ['IPv6 link-local', 'https://[fe80::1]/a.mp3', /link-local/],
    ['CGNAT', 'https://100.64.0.1/a.mp3', /cgnat/],
    // Names get one reason, resolving inside or not at all (finding 10).
    ['a name resolving to a private address', 'https://internal.example.com/a.mp3', /internal\.example\.com does not resolve to a public address/],
    ['a name with one bad address among good ones', 'https://rebind.example.com/a.mp3', /rebind\.example\.com does not resolve to a public address/],
    ['a name that does not resolve', 'https://nowhere.example.com/a.mp3', /nowhere\.example\.com does not resolve to a public address/],
    ['credentials in the URL', 'https://user:pw@cdn.example.com/a.mp3', /credentials/],
  ])('refuses %s with 400 naming the field', async (_name, url, reason) => {
    for (const [body, path] of [
      [upload(url), 'steps.0.audio_url'],
      [scenario(url), 'input.audio_url'],
    ] as const) {
      const r = await strict.request<Problem>('/v1/generations', { body });
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.issues[0]!.path.join('.')).toBe(path);
      expect(r.body.issues[0]!.code).toBe('forbidden_url');
      expect(r.body.issues[0]!.message).toMatch(reason);
    }
  });

  it('accepts https to a name whose addresses are all public', async () => {
    expect((await strict.request('/v1/generations', { body: upload('https://cdn.example.com/a.mp3') })).status).toBe(202);
    expect((await strict.request('/v1/generations', { body: scenario('https://93.184.216.34/a.mp3') })).status).toBe(202);
  });

  it('with ALLOW_LOOPBACK_URLS, lets http to loopback through, and nothing else', async () => {
    expect((await dev.request('/v1/generations', { body: upload('http://127.0.0.1:4000/seed.wav') })).status).toBe(202);
    expect((await dev.request('/v1/generations', { body: upload('http://localhost:4000/seed.wav') })).status).toBe(202);
    expect((await dev.request('/v1/generations', { body: upload('https://10.1.1.1/seed.wav') })).status).toBe(400);
    expect((await dev.request('/v1/generations', { body: upload('http://cdn.example.com/seed.wav') })).status).toBe(400);
  });
});

describe('the URL guard on callback_url', () => {
  const withCallback = (url: string) => ({ steps: [{ op: 'generate', gpt_description_prompt: 'guarded' }], callback_url: url });

  it.each([
    ['plain http', 'http://cdn.example.com/hook', /https/],
    ['loopback', 'https://127.0.0.1/hook', /loopback/],
    ['a private address', 'https://10.1.2.3/hook', /private/],
    ['the cloud metadata address', 'https://169.254.169.254/hook', /metadata/],
    ['a name resolving to a private address', 'https://internal.example.com/hook', /does not resolve to a public address/],
    ['a name that does not resolve', 'https://nowhere.example.com/hook', /does not resolve to a public address/],
  ])('refuses %s with 400 naming callback_url', async (_name, url, reason) => {
    const r = await strict.request<Problem>('/v1/generations', { body: withCallback(url) });
    expect(r.status).toBe(400);
    expect(r.body.issues[0]!.path).toEqual(['callback_url']);
    expect(r.body.issues[0]!.message).toMatch(reason);
  });

  it('accepts a public https receiver, and loopback http when ALLOW_LOOPBACK_URLS is on', async () => {
    expect((await strict.request('/v1/generations', { body: withCallback('https://cdn.example.com/hook') })).status).toBe(202);
    expect((await dev.request('/v1/generations', { body: withCallback('http://127.0.0.1:9/hook') })).status).toBe(202);
  });
});

describe('the URL guard on the chat door (finding 5)', () => {
  const chat = (callbackUrl: string) => ({
    model: 'chirp-v4',
    messages: [{ role: 'user', content: 'a calm piano song' }],
    metadata: { callback_url: callbackUrl },
  });
  const listed = async () => (await strict.request<{ data: { metadata: Record<string, unknown> }[] }>('/v1/generations')).body.data.filter((g) => g.metadata.source === 'chat');

  it.each([
    ['plain http', 'http://cdn.example.com/hook', /https/],
    ['the cloud metadata address', 'https://169.254.169.254/hook', /metadata/],
    ['a name resolving inside', 'https://internal.example.com/hook', /does not resolve to a public address/],
  ])('refuses metadata.callback_url with %s before any song is made: 400 in OpenAI\'s shape', async (_name, url, reason) => {
    const before = (await listed()).length;
    const r = await strict.request<{ error: { message: string; type: string; param: string | null } }>('/v1/chat/completions', { body: chat(url) });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe('invalid_request_error');
    expect(r.body.error.message).toMatch(reason);
    expect(r.body.error.param).toBe('callback_url');
    expect(await listed()).toHaveLength(before);
  });

  it('accepts a public https receiver there', async () => {
    const r = await strict.request('/v1/chat/completions', { body: chat('https://cdn.example.com/hook') });
    // No worker runs here: the wait ends (504, the generation named) once CHAT_MAX_WAIT_S is over.
    expect(r.status).toBe(504);
    expect(await listed()).not.toHaveLength(0);
  });
});
