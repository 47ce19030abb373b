import type { Dialect } from '@refrain/contracts';
import { createServer } from 'node:net';
import { UpstreamError, isOutcomeUnknown, mayResubmit } from '@refrain/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_AFTER_MS, createAdapter, parseRetryAfter, type SubmitRequest } from '../src';
import { API_KEY, mockUpstream, testConfig } from './helpers/mock-upstream';

// Every failure leaves the adapter as one classified UpstreamError, never with the key in it.

let up = mockUpstream();
afterEach(async () => {
  await up.close();
  up = mockUpstream();
});

const SUBMIT_PATH: Record<Dialect, string> = {
  native: '/v1/suno/generate',
  gateway: '/gateway/generate/music',
  relay: '/suno/submit/music',
  action: '/suno/audios',
};
const req: SubmitRequest = { op: 'generate', model: 'chirp-v4', input: { prompt: 'la la', tags: 'pop', title: 'T' } };
const DIALECTS: Dialect[] = ['native', 'gateway', 'relay', 'action'];

async function failure(dialect: Dialect, timeoutMs?: number): Promise<UpstreamError> {
  const adapter = createAdapter(testConfig(dialect), { dispatcher: up.agent, timeoutMs });
  const err = await adapter.submit(req).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  const e = err as UpstreamError;
  expect(e.provider).toBe(`test-${dialect}`);
  expect(e.message).not.toContain(API_KEY);
  expect(String(e.stack)).not.toContain(API_KEY);
  return e;
}

describe.each(DIALECTS)('%s', (dialect) => {
  const path = SUBMIT_PATH[dialect];

  it('5xx → upstream_unavailable, retry; refused: answered, so nothing was made', async () => {
    up.on('POST', path, { error: 'overloaded' }, { status: 503 });
    const e = await failure(dialect);
    expect(e).toMatchObject({ code: 'upstream_unavailable', retry: true, httpStatus: 503, outcome: 'refused' });
    expect(mayResubmit(e)).toBe(true);
  });

  it('504 → outcome unknown: a gateway gave up waiting, the origin may have made the task', async () => {
    up.on('POST', path, { error: 'gateway timeout' }, { status: 504 });
    const e = await failure(dialect);
    expect(e).toMatchObject({ code: 'upstream_unavailable', httpStatus: 504, outcome: 'unknown' });
    expect(isOutcomeUnknown(e)).toBe(true);
    expect(mayResubmit(e)).toBe(false);
  });

  it('429 with Retry-After seconds → retryAfterMs, refused', async () => {
    up.on('POST', path, {}, { status: 429, headers: { 'retry-after': '7' } });
    expect(await failure(dialect)).toMatchObject({ code: 'upstream_unavailable', retry: true, retryAfterMs: 7000, httpStatus: 429, outcome: 'refused' });
  });

  it('429 with Retry-After date → retryAfterMs until then', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    up.on('POST', path, {}, { status: 429, headers: { 'retry-after': at } });
    const e = await failure(dialect);
    expect(e.retryAfterMs).toBeGreaterThan(27_000);
    expect(e.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('429 without Retry-After → the 5 s default', async () => {
    up.on('POST', path, {}, { status: 429 });
    expect(await failure(dialect)).toMatchObject({ retryAfterMs: DEFAULT_RETRY_AFTER_MS });
  });

  it('no answer within timeoutMs → upstream_unavailable, outcome unknown (sent, no answer)', async () => {
    up.on('POST', path, {}, { delayMs: 2_000 });
    const started = Date.now();
    const e = await failure(dialect, 100);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(e).toMatchObject({ code: 'upstream_unavailable', retry: true, outcome: 'unknown' });
    expect(mayResubmit(e)).toBe(false);
    expect(e.message).toMatch(/within 100 ms/);
  });

  it('the connection cut before an answer → outcome unknown', async () => {
    up.agent.get('http://127.0.0.1:4010').intercept({ method: 'POST', path }).replyWithError(new Error('socket hang up'));
    const e = await failure(dialect);
    expect(e).toMatchObject({ code: 'upstream_unavailable', retry: true, outcome: 'unknown' });
  });

  it('a 2xx body that is not JSON → upstream_bad_response, outcome unknown (the upstream said OK)', async () => {
    up.on('POST', path, '<html>502 Bad Gateway</html>', { raw: true });
    expect(await failure(dialect)).toMatchObject({ code: 'upstream_bad_response', retry: true, httpStatus: 200, outcome: 'unknown' });
  });

  it('a 2xx JSON body of the wrong shape → upstream_bad_response, outcome unknown', async () => {
    const wrong = { native: { id: 7 }, gateway: { code: 0, msg: 'ok', data: 'nope' }, relay: { code: 'success', data: 42 }, action: { success: true, data: {} } }[dialect];
    up.on('POST', path, wrong);
    expect(await failure(dialect)).toMatchObject({ code: 'upstream_bad_response', retry: true, outcome: 'unknown' });
  });

  it('401 wrong key → upstream_rejected, no retry, key not echoed', async () => {
    // Some upstreams echo the key they refused; it must not reach our message.
    up.on('POST', path, { detail: `invalid key ${API_KEY}`, msg: `invalid key ${API_KEY}`, message: `invalid key ${API_KEY}` }, { status: 401 });
    const e = await failure(dialect);
    expect(e).toMatchObject({ code: 'upstream_rejected', retry: false, httpStatus: 401, outcome: 'refused' });
    expect(e.message).toBe('invalid key ***');
  });
});

describe('provably not sent', () => {
  it('a connection refused (nothing listens on the loopback port) → not_sent, safe to send again', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as { port: number };
        s.close(() => resolve(p));
      });
    });
    const adapter = createAdapter(testConfig('relay', { base_url: `http://127.0.0.1:${port}` }));
    const e = (await adapter.submit(req).catch((x: unknown) => x)) as UpstreamError;
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e).toMatchObject({ code: 'upstream_unavailable', retry: true, outcome: 'not_sent' });
    expect(e.message).toMatch(/could not be reached/);
    expect(mayResubmit(e)).toBe(true);
  });
});

describe("400 carries the upstream's own words from each dialect's envelope", () => {
  const words = 'Simulated rejection: prompt refused';
  it.each([
    ['native', { detail: words }],
    ['native', { detail: [{ loc: ['body', 'prompt'], msg: words }] }],
    ['gateway', { code: 400, msg: words, data: null }],
    ['relay', { code: 'error', message: words, data: null }],
    ['action', { success: false, error: { message: words } }],
    ['action', { success: false, message: words }],
    ['action', { success: false, error: words }],
  ] as [Dialect, unknown][])('%s %j', async (dialect, body) => {
    up.on('POST', SUBMIT_PATH[dialect], body, { status: 400 });
    const e = await failure(dialect);
    expect(e).toMatchObject({ code: 'upstream_rejected', retry: false, httpStatus: 400, message: words });
  });

  it.each([
    ['gateway', { code: 1001, msg: words, data: null }],
    ['relay', { code: 'fail', message: words, data: null }],
    ['action', { success: false, error: { message: words } }],
  ] as [Dialect, unknown][])('%s: a 200 whose envelope says failure is a rejection too', async (dialect, body) => {
    up.on('POST', SUBMIT_PATH[dialect], body);
    expect(await failure(dialect)).toMatchObject({ code: 'upstream_rejected', retry: false, message: words });
  });

  it('a non-JSON 4xx keeps its text; 422/403/404 are rejections', async () => {
    up.on('POST', SUBMIT_PATH.native, 'quota exhausted', { status: 403, raw: true });
    expect(await failure('native')).toMatchObject({ code: 'upstream_rejected', message: 'quota exhausted' });
    up.on('POST', SUBMIT_PATH.native, {}, { status: 422 });
    expect(await failure('native')).toMatchObject({ code: 'upstream_rejected', httpStatus: 422 });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, dates and nonsense', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('queries and callbacks', () => {
  it('a 404 on a single lookup leaves the task out; other failures throw', async () => {
    const adapter = createAdapter(testConfig('relay'), { dispatcher: up.agent });
    up.on('GET', '/suno/fetch/gone', { code: 'not_found', message: 'task not found' }, { status: 404 });
    expect(await adapter.query([{ taskId: 'gone', clipIds: [], op: 'generate' }])).toEqual([]);
    up.on('GET', '/suno/fetch/t2', {}, { status: 500 });
    await expect(adapter.query([{ taskId: 't2', clipIds: [], op: 'generate' }])).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });

  it('callbacks of the wrong shape throw a clear Error', () => {
    expect(() => createAdapter(testConfig('action')).parseCallback?.({ success: true })).toThrow(/action callback/);
    expect(() => createAdapter(testConfig('action')).parseCallback?.({ success: false, error: 'no credits' })).toThrow(/no credits/);
    expect(() => createAdapter(testConfig('relay')).parseCallback?.('nope')).toThrow(/relay callback/);
  });
});
