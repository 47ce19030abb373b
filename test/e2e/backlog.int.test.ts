import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { startHarness, type Harness } from '../support/harness';

/**
 * A finished song is noticed while a backlog of submissions drains: its status queries go
 * ahead of the submissions at the shared gate, and its step job ahead of the queued
 * submissions in the steps queue.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    simDurationMs: 60_000,
    env: { WORKER_CONCURRENCY: '5' },
    providers: (url) => [{ name: 'slow', dialect: 'relay', base_url: url, api_key: 'sim-key', max_rps: 2, poll_interval_ms: 300 }],
  });
});
afterAll(() => h?.stop());

describe('a backlog of submissions', () => {
  it('does not hold back a song whose task has ended', async () => {
    const first = await h.api<GenerationView>('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: 'the first one [sim:duration=1500]' }] } });
    // then 30 more, which take 15 s to submit at 2 requests a second
    for (let i = 0; i < 30; i++) {
      const r = await h.api('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: `backlog ${i}` }] } });
      expect(r.status).toBe(202);
    }
    const started = Date.now();
    const done = await h.waitFinal(first.body.id, 30);
    expect(done.status).toBe('succeeded');
    // Its task ends 1.5 s after it is submitted; the backlog needs 15 s. Generous: it is noticed and settled well before.
    expect(Date.now() - started).toBeLessThan(8000);
    const queued = await h.api<{ data: GenerationView[] }>('/v1/generations?status=queued&limit=50');
    expect(queued.body.data.length).toBeGreaterThan(0); // the backlog was still there
  }, 60_000);
});
