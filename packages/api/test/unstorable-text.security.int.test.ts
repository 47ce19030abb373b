import { Router } from 'express';
import { tenants } from '@refrain/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiFixture } from './support/api-fixture';
import { capturedLogger } from './support/log-capture';

// Issue #17, finding 9: a lone surrogate (\ud800) in any string was a 500 (Postgres 22P02
// on the jsonb columns), and the error log line quoted the statement parameters: the user's prompt.
const SECRET = 'my-private-lyrics-7f3a';

const log = capturedLogger('info');
let f: ApiFixture;
beforeAll(async () => {
  // Database failures the way a path that slips past validation would meet them.
  const broken = Router();
  broken.get('/boom/db-params', async () => {
    // A not-null violation: drizzle's error names the parameters, pg's detail quotes the row.
    await f.deps.database.db.insert(tenants).values({ id: SECRET, webhookSecret: null as never });
  });
  broken.get('/boom/db-surrogate', async () => {
    await f.deps.database.pool.query({ text: 'select $1::jsonb', values: [JSON.stringify({ prompt: `${SECRET} \ud800` })] });
  });
  f = await startApi({ logger: log.logger, before: [broken] });
});
afterAll(async () => {
  await f?.stop();
});

/** The JSON text itself carries the escape: JSON.stringify of a lone surrogate writes `\ud800`. */
const raw = (prompt: string, extra = '') => `{"steps":[{"op":"generate","gpt_description_prompt":"${prompt}"}]${extra}}`;

describe('invalid Unicode', () => {
  it.each([
    ['a lone high surrogate in a prompt', raw('a song \\ud800 about rain')],
    ['a lone low surrogate', raw('\\udc00')],
    ['a surrogate pair turned around', raw('\\udfb5\\ud83c')],
    ['a lone surrogate in a metadata key', raw('x', ',"metadata":{"k\\ud800":1}')],
    ['a lone surrogate in a metadata value', raw('x', ',"metadata":{"k":"\\udbff"}')],
  ])('%s is a 400 problem, not a 500', async (_name, body) => {
    const r = await f.request<{ detail: string }>('/v1/generations', { body });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.detail).toMatch(/invalid Unicode/);
  });

  it('a well-formed pair (an emoji) is stored as sent', async () => {
    const r = await f.request<{ id: string }>('/v1/generations', { body: raw('a song \\ud83c\\udfb5', ',"metadata":{"mood":"\\ud83c\\udf27"}') });
    expect(r.status).toBe(202);
    const g = await f.request<{ metadata: { mood: string } }>(`/v1/generations/${r.body.id}`);
    expect(g.body.metadata.mood).toBe('🌧');
  });

  it('on the chat door: 400 in OpenAI\'s shape', async () => {
    const r = await f.request<{ error: { message: string; type: string } }>('/v1/chat/completions', {
      body: '{"model":"chirp-v4","messages":[{"role":"user","content":"rain \\ud800"}]}',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe('invalid_request_error');
    expect(r.body.error.message).toMatch(/invalid Unicode/);
  });

  it('on the admin routes', async () => {
    const r = await f.admin('/admin/keys', { body: '{"tenant":"ok","name":"a\\ud800"}' });
    expect(r.status).toBe(400);
  });

  it('a 22P02 from Postgres that slips past validation is a 400 too', async () => {
    const r = await f.request('/boom/db-surrogate', { key: null, headers: { 'x-request-id': 'trace-22p02' } });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('statement parameters never reach the log', () => {
  it('a failing statement is logged by its error, without the values it carried', async () => {
    const r = await f.request('/boom/db-params', { key: null, headers: { 'x-request-id': 'trace-params' } });
    expect(r.status).toBe(500);
    expect(r.text).not.toContain(SECRET);
    const lines = log.lines.filter((l) => l.includes('trace-params'));
    // The operator still learns what failed: the code and Postgres's own words.
    expect(lines.some((l) => l.includes('23502') && l.includes('not-null constraint'))).toBe(true);
    expect(log.text()).not.toContain(SECRET);
  });
});
