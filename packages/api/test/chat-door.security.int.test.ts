import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiFixture } from './support/api-fixture';

// Issue #17, finding 1, as a user of the process sees it: one hostile chat request froze
// everything the process serves (in the all-in-one process also hooks and workers).
let f: ApiFixture;
beforeAll(async () => {
  f = await startApi();
});
afterAll(async () => {
  await f?.stop();
});

describe('a hostile chat message', () => {
  it('is refused at once and /healthz keeps answering meanwhile', async () => {
    const content = `title:a${' '.repeat(200_000)}\u2028x\n[Verse]\nla la`;
    const started = Date.now();
    const chat = f.request<{ error: { message: string; param: string } }>('/v1/chat/completions', {
      body: { model: 'chirp-v4', messages: [{ role: 'user', content }] },
    });
    const health = (async () => {
      await new Promise((r) => setTimeout(r, 20));
      const t = Date.now();
      const r = await f.request('/healthz', { key: null });
      return { status: r.status, ms: Date.now() - t };
    })();
    const [answer, probe] = await Promise.all([chat, health]);
    // Before: 200 KB held the event loop for about 15 s. The bounds are generous (shared machine).
    expect(Date.now() - started).toBeLessThan(3000);
    expect(probe).toMatchObject({ status: 200 });
    expect(probe.ms).toBeLessThan(2000);
    expect(answer.status).toBe(400);
    expect(answer.body.error.param).toBe('messages');
    expect(answer.body.error.message).toMatch(/at most \d+/);
  });
});
