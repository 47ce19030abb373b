import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { startHarness, type Harness } from '../support/harness';

// A submission that was sent but never answered is not sent again (a credit would be spent
// twice): the step recovers the task by query where the answer named it, or fails with
// submit_outcome_unknown. The simulator makes the task and then holds its answer past the
// client's timeout, or (action, blocking) answers 504 with the task_id.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    providers: (sim) => [
      { name: 'native', dialect: 'native', base_url: sim, api_key: 'sim-key', poll_interval_ms: 200, submit_timeout_s: 1 },
      { name: 'relay', dialect: 'relay', base_url: sim, api_key: 'sim-key', poll_interval_ms: 200, submit_timeout_s: 1 },
      { name: 'action-blocking', dialect: 'action', base_url: sim, api_key: 'sim-key', poll_interval_ms: 200, submit_timeout_s: 1, options: { action_submit: 'blocking' } },
      { name: 'action-504', dialect: 'action', base_url: sim, api_key: 'sim-key', poll_interval_ms: 200, options: { action_submit: 'blocking' } },
    ],
  });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => {
  h.sim.reset();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function generate(provider: string, prompt: string): Promise<GenerationView> {
  const r = await h.api<GenerationView>('/v1/generations', { body: { provider, steps: [{ op: 'generate', prompt, title: 'Slow', tags: 'pop' }] } });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return h.waitFinal(r.body.id, 40);
}

/** The step failed with submit_outcome_unknown, and upstream got exactly one submission, even after a while. */
async function expectNotPaidTwice(g: GenerationView): Promise<void> {
  expect(g.status).toBe('failed');
  expect(g.error).toMatchObject({ code: 'submit_outcome_unknown', step: 0 });
  expect(g.error?.message).toMatch(/was sent but its outcome is unknown .* it was not sent again, so that no credit is spent twice/);
  expect(g.steps[0]).toMatchObject({ status: 'failed', upstream_task_id: null });
  await sleep(2500); // a retry would have come by now (backoff starts at a second)
  expect(h.sim.stats()).toMatchObject({ submissions: 1, duplicates: 0, tasks: 1 });
}

describe('a submission answered after the client gave up', () => {
  it('native: not sent again; the step fails with submit_outcome_unknown', async () => {
    await expectNotPaidTwice(await generate('native', '[Verse]\nslow native [sim:hold=3000]'));
  });

  it('relay: not sent again; the step fails with submit_outcome_unknown', async () => {
    await expectNotPaidTwice(await generate('relay', '[Verse]\nslow relay [sim:hold=3000]'));
  });

  it('action, blocking longer than the client timeout: not sent again; submit_outcome_unknown', async () => {
    await expectNotPaidTwice(await generate('action-blocking', '[Verse]\nslow songs [sim:duration=3000]'));
  });
});

describe('a 504 that names its task', () => {
  it('action: the task is recovered through /suno/tasks and the generation succeeds, with one submission', async () => {
    h.sim.configure({ actionBlockMs: 300 });
    const g = await generate('action-504', '[Verse]\nlong songs [sim:duration=1500]');
    expect(g.status, JSON.stringify(g.error)).toBe('succeeded');
    expect(g.clips.every((c) => c.status === 'complete')).toBe(true);
    const [task] = (await (await fetch(`${h.sim.url}/_sim/tasks`)).json()) as { taskId: string; statusQueries: number }[];
    expect(g.steps[0]!.upstream_task_id).toBe(task!.taskId);
    expect(task!.statusQueries).toBeGreaterThan(0);
    expect(h.sim.stats()).toMatchObject({ submissions: 1, duplicates: 0 });
    expect(h.sim.stats().requests['action.audios']).toBe(1);
  });
});
