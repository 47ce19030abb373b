import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { GenerationView } from '@refrain/contracts';
import { startHarness, type Harness } from '../support/harness';
import { startApp, type AppProcess } from '../support/processes';

// API and hooks in this process; the workers are separate processes, restarted one by one.
let h: Harness;
const workers: AppProcess[] = [];
beforeAll(async () => {
  h = await startHarness({ roles: ['api', 'hooks'], simDurationMs: 700 });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await h?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('graceful shutdown', () => {
  it('loses nothing and submits nothing twice across a rolling restart of workers', async () => {
    const env = { ...h.workerEnv, LOG_LEVEL: 'info' };
    workers.push(startApp('worker', env));
    await workers[0]!.waitFor(/worker started/);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await h.api<GenerationView>('/v1/generations', {
        body: { steps: [{ op: 'generate', gpt_description_prompt: `rolling ${i}` }, { op: 'extend', continue_at: 5, prompt: `rolling ext ${i}` }] },
      });
      ids.push(r.body.id);
    }
    for (let round = 0; round < 2; round++) {
      await sleep(900);
      const next = startApp('worker', env);
      workers.push(next);
      await next.waitFor(/worker started/); // a rolling restart waits for the new one to be ready
      const old = workers[workers.length - 2]!;
      const code = await old.stop('SIGTERM');
      expect(code, old.output().slice(-3000)).toBe(0);
      expect(old.output()).toMatch(/shutting down/);
    }
    const finals = await Promise.all(ids.map((id) => h.waitFinal(id, 60)));
    expect(finals.map((g) => g.status)).toEqual(ids.map(() => 'succeeded'));
    const stats = (await (await fetch(`${h.sim.url}/_sim/stats`)).json()) as { duplicates: number };
    expect(stats.duplicates).toBe(0);
    const db = new pg.Client({ connectionString: h.workerEnv.DATABASE_URL });
    await db.connect();
    const { rows } = await db.query<{ max: number }>('select max(submit_attempts) as max from steps');
    await db.end();
    expect(rows[0]!.max).toBe(1);
  }, 120_000);
});
