import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { startHarness, type Harness } from '../support/harness';
import { startApp, type AppProcess } from '../support/processes';

// A worker killed (-9) after it sent a submission and before it recorded the answer: the
// provider has made the task (the credit is spent), Refrain does not know its id. The step
// is never sent again. Where a callback can come (relay with notify_hook) it brings the task
// and the song is kept; where none can (native, polled) the step fails, saying so.
let h: Harness;
const workers: AppProcess[] = [];
beforeAll(async () => {
  h = await startHarness({
    roles: ['api', 'hooks'],
    simDurationMs: 3000,
    providers: (sim) => [
      { name: 'sim', dialect: 'native', base_url: sim, api_key: 'sim-key', poll_interval_ms: 300, deadline_s: 120 },
      { name: 'relay', dialect: 'relay', base_url: sim, api_key: 'sim-key', callbacks: true, poll_interval_ms: 300, deadline_s: 120 },
    ],
  });
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await h?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
interface SimStats {
  duplicates: number;
  submissions: number;
}
const simStats = async () => (await (await fetch(`${h.sim.url}/_sim/stats`)).json()) as SimStats;

describe('a worker dies between sending a submission and recording its answer', () => {
  it('never sends it again: the callback brings the task where one can come, else the step fails with submit_outcome_unknown', async () => {
    const env = { ...h.workerEnv, LOG_LEVEL: 'info' };
    workers.push(startApp('worker', env));
    await workers[0]!.waitFor(/worker started/);
    const before = await simStats();
    // The simulator makes each task at once, then holds its answer 20 s: the worker is killed while it waits.
    const post = async (provider: string) =>
      (await h.api<GenerationView>('/v1/generations', { body: { provider, steps: [{ op: 'generate', gpt_description_prompt: `interrupted on ${provider} [sim:hold=20000]` }] } })).body.id;
    const polled = await post('sim');
    const called = await post('relay');
    for (let i = 0; i < 100; i++) {
      if ((await simStats()).submissions - before.submissions >= 2) break;
      await sleep(100);
    }
    expect((await simStats()).submissions - before.submissions).toBe(2);
    await workers[0]!.stop('SIGKILL');
    workers.push(startApp('worker', env)); // picks the stalled jobs up once their locks expire (BullMQ: 30 s)

    const [p, c] = await Promise.all([h.waitFinal(polled, 100), h.waitFinal(called, 100)]);
    expect(p.status).toBe('failed');
    expect(p.error).toMatchObject({ code: 'submit_outcome_unknown', step: 0 });
    expect(p.error!.message).toMatch(/not sent again so that nothing is paid twice/);
    expect(c.status, JSON.stringify(c.error)).toBe('succeeded'); // its task came with the callback
    expect(c.steps[0]!.upstream_task_id).toBeTruthy();
    expect(c.clips.map((x) => x.status)).toEqual(['complete', 'complete']);
    const after = await simStats();
    expect(after.submissions - before.submissions).toBe(2); // each sent once
    expect(after.duplicates).toBe(0);
  }, 150_000);
});
