import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { connectDatabase } from '@refrain/db';
import { startHarness, type Harness } from '../support/harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKERS = 3;
const GENERATIONS = 18; // two steps each: 36 step jobs

interface LogLine { pid: number; msg?: string; generationId?: string; step?: number }
interface Worker { child: ChildProcess; lines: LogLine[]; exited: Promise<number | null> }

/** One worker process, started the way infra/compose.yaml starts it; its JSON log lines are kept. */
function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let rest = '';
  child.stdout!.on('data', (d: Buffer) => {
    const parts = (rest + d.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) {
      try {
        lines.push(JSON.parse(p) as LogLine);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[worker ${child.pid}] ${d.toString()}`));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let h: Harness;
const workers: Worker[] = [];
beforeAll(async () => {
  // The API (and hooks) in this process, no worker: all step work goes to the three processes.
  h = await startHarness({ roles: ['api', 'hooks'], simDurationMs: 400 });
  for (let i = 0; i < WORKERS; i++) workers.push(startWorker({ ...h.workerEnv, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '4' }));
  await until(() => workers.every((w) => w.lines.some((l) => l.msg === 'worker started')), 60_000, 'three workers to start');
}, 90_000);
afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await h?.stop();
});

describe('horizontal scale: three worker processes on one Redis', () => {
  it('share the step jobs, and no step is processed twice', async () => {
    const ids: string[] = [];
    for (let i = 0; i < GENERATIONS; i++) {
      const r = await h.api<GenerationView>('/v1/generations', {
        body: { steps: [{ op: 'generate', gpt_description_prompt: `scale song number ${i}` }, { op: 'extend', continue_at: 5 }] },
      });
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    const finals = await Promise.all(ids.map((id) => h.waitFinal(id, 90)));
    expect(finals.map((g) => g.status)).toEqual(ids.map(() => 'succeeded'));

    // A worker logs "step succeeded" just after the generation turns final: give the last lines a moment.
    const countSucceeded = () => workers.reduce((n, w) => n + w.lines.filter((l) => l.msg === 'step succeeded').length, 0);
    for (let i = 0; i < 100 && countSucceeded() < GENERATIONS * 2; i++) await new Promise((r) => setTimeout(r, 50));

    // Who submitted what, from each worker's own log lines (pid is in every line).
    const submitted = workers.flatMap((w) => w.lines.filter((l) => l.msg === 'step submitted'));
    const succeeded = workers.flatMap((w) => w.lines.filter((l) => l.msg === 'step succeeded'));
    const perWorker = workers.map((w) => w.lines.filter((l) => l.msg === 'step submitted').length);
    const pids = new Set(workers.map((w) => w.child.pid));
    console.info(`steps submitted per worker process: ${perWorker.join(', ')}`);
    expect(new Set(submitted.map((l) => l.pid))).toEqual(pids);
    expect(perWorker.every((n) => n >= 2)).toBe(true); // every worker took a share
    expect(Math.max(...perWorker)).toBeLessThan(GENERATIONS * 2); // no single worker took it all
    const stepKeys = (ls: LogLine[]) => ls.map((l) => `${l.generationId}#${l.step}`);
    expect(submitted).toHaveLength(GENERATIONS * 2);
    expect(new Set(stepKeys(submitted)).size).toBe(GENERATIONS * 2);
    expect(new Set(stepKeys(succeeded)).size).toBe(GENERATIONS * 2);
    expect(succeeded).toHaveLength(GENERATIONS * 2);

    // Postgres and the upstream agree: one submission per step, no duplicate request.
    const database = connectDatabase(h.workerEnv.DATABASE_URL!, { max: 1 });
    const rows = (await database.pool.query<{ submit_attempts: number }>('select submit_attempts from steps')).rows;
    await database.close();
    expect(rows).toHaveLength(GENERATIONS * 2);
    expect(rows.every((r) => r.submit_attempts === 1)).toBe(true);
    const stats = h.sim.stats();
    expect(stats.submissions).toBe(GENERATIONS * 2);
    expect(stats.duplicates).toBe(0);
  });

  it('each worker stops cleanly on SIGTERM', async () => {
    for (const w of workers) w.child.kill('SIGTERM');
    const codes = await Promise.all(workers.map((w) => w.exited));
    expect(codes).toEqual([0, 0, 0]);
  });
});
