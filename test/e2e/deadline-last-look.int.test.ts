import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { startHarness, type Harness } from '../support/harness';

// A step at its deadline asks about its task once more before it fails: here the poller
// asks only once a minute, so nothing but that last look can see the song finish.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    providers: (sim) => [{ name: 'sim', dialect: 'native', base_url: sim, api_key: 'sim-key', poll_interval_ms: 60_000, deadline_s: 3 }],
  });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => h.sim.reset());

async function generate(prompt: string): Promise<GenerationView> {
  const r = await h.api<GenerationView>('/v1/generations', { body: { steps: [{ op: 'generate', prompt: `[Verse]\n${prompt}`, title: 'Late', tags: 'pop' }] } });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return h.waitFinal(r.body.id, 30);
}

describe('the last look at a deadline', () => {
  it('a task that finished unseen before the deadline succeeds instead of timing out', async () => {
    const g = await generate('done in time [sim:duration=1000]');
    expect(g.status, JSON.stringify(g.error)).toBe('succeeded');
    expect(g.clips.every((c) => c.status === 'complete')).toBe(true);
    expect(h.sim.stats()).toMatchObject({ submissions: 1, duplicates: 0 });
  });

  it('a task still running at the deadline fails with upstream_timeout after that one look', async () => {
    const g = await generate('never ends [sim:never]');
    expect(g.status).toBe('failed');
    expect(g.error).toMatchObject({ code: 'upstream_timeout', step: 0 });
  });

  it('a provider that cannot answer the last look gets a bounded grace, then the step fails', async () => {
    h.sim.configure({ faults: { rate5xx: 0 } });
    const r = await h.api<GenerationView>('/v1/generations', { body: { steps: [{ op: 'generate', prompt: '[Verse]\nunreachable at the end [sim:never]', title: 'Down', tags: 'pop' }] } });
    // Down from just before the deadline: the look is answered 503, and the step waits a little, asking again.
    await new Promise((res) => setTimeout(res, 2500));
    h.sim.configure({ faults: { rate5xx: 1 } });
    await new Promise((res) => setTimeout(res, 4000));
    const waiting = (await h.api<GenerationView>(`/v1/generations/${r.body.id}`)).body;
    expect(waiting.status, 'not failed while the provider could not answer').toBe('running');
    h.sim.configure({ faults: { rate5xx: 0 } });
    const g = await h.waitFinal(r.body.id, 30);
    expect(g.error).toMatchObject({ code: 'upstream_timeout' });
  });
});
