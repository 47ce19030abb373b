import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggablePath } from '../src/http/log-redaction';
import { KEYS, startApi, type ApiFixture } from './support/api-fixture';
import { capturedLogger } from './support/log-capture';

const SECRET_DETAIL = 'db password=hunter2 in /srv/refrain/packages/db/src/connect.ts:42';

// Routes that fail the way real bugs do, mounted where the hooks router sits.
const broken = Router();
broken.get('/boom/sync', () => {
  throw new Error(SECRET_DETAIL);
});
broken.get('/boom/async', async () => {
  await Promise.resolve();
  throw new TypeError(`Cannot read properties of undefined (reading 'x') — ${SECRET_DETAIL}`);
});
broken.get('/boom/string', () => {
  throw SECRET_DETAIL;
});

const log = capturedLogger('info');
let f: ApiFixture;
beforeAll(async () => {
  f = await startApi({ logger: log.logger, before: [broken] });
});
afterAll(async () => {
  await f?.stop();
});

describe('answers never carry internals', () => {
  it.each(['/boom/sync', '/boom/async', '/boom/string'])('500 for %s is generic, with the request id, and logged in full', async (path) => {
    const r = await f.request<{ status: number; detail: string; request_id: string }>(path, { headers: { 'x-request-id': `req-${path.slice(6)}` } });
    expect(r.status).toBe(500);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.text).not.toContain('hunter2');
    expect(r.text).not.toMatch(/\.ts:\d+|\bat \w|Error:|TypeError/);
    expect(r.body.request_id).toBe(`req-${path.slice(6)}`);
    expect(r.headers.get('x-request-id')).toBe(`req-${path.slice(6)}`);
    // The operator still gets the whole story, under the same request id.
    const lines = log.lines.filter((l) => l.includes(`req-${path.slice(6)}`));
    expect(lines.some((l) => l.includes('hunter2'))).toBe(true);
  });

  it('400 for a malformed percent-encoding in the path, not a 500', async () => {
    const r = await f.request('/v1/generations/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.text).not.toContain('%E0%A4%A');
  });

  it('415 for a body in an encoding the API does not read', async () => {
    const r = await f.request('/v1/generations', { body: 'xx', headers: { 'content-encoding': 'br-nope' } });
    expect(r.status).toBe(415);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('request ids', () => {
  it('makes one when none is sent, echoes a sane one, replaces an unsafe one', async () => {
    const made = await f.request('/healthz', { key: null });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await f.request('/v1/generations', { headers: { 'x-request-id': 'client.trace-42' } });
    expect(echoed.headers.get('x-request-id')).toBe('client.trace-42');
    const unsafe = await f.request('/v1/generations', { headers: { 'x-request-id': 'x'.repeat(101) } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts the request id in problem bodies and in the access log', async () => {
    const r = await f.request<{ request_id: string }>('/v1/generations/gen_missing', { headers: { 'x-request-id': 'trace-404' } });
    expect(r.status).toBe(404);
    expect(r.body.request_id).toBe('trace-404');
    expect(log.lines.some((l) => l.includes('"trace-404"') && l.includes('request completed'))).toBe(true);
  });
});

describe('security headers (helmet)', () => {
  it('on API answers and on problem answers', async () => {
    for (const r of [await f.request('/v1/generations'), await f.request('/v1/nope'), await f.request('/healthz', { key: null })]) {
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(r.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-powered-by')).toBeNull();
    }
  });
});

describe('secrets stay out of the logs', () => {
  it('redacts Authorization and the notify_hook token of a callback path', async () => {
    await f.request('/v1/generations', { headers: { 'x-request-id': 'trace-auth' } });
    await f.request('/hooks/sim/tok_supersecret_callback_token?x=1', { method: 'POST', body: {}, key: null });
    expect(log.text()).not.toContain(KEYS.alpha);
    expect(log.text()).not.toContain('tok_supersecret_callback_token');
    expect(log.text()).toContain('/hooks/sim/[redacted]');
  });

  it('loggablePath drops the query and the hook token only', () => {
    expect(loggablePath('/hooks/relay/abc123?x=1')).toBe('/hooks/relay/[redacted]');
    expect(loggablePath('/hooks/relay/abc123/extra')).toBe('/hooks/relay/[redacted]/extra');
    expect(loggablePath('/v1/generations/gen_1?wait=5')).toBe('/v1/generations/gen_1');
    expect(loggablePath('/hooks')).toBe('/hooks');
  });
});
