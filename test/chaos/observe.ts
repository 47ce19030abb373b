import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, type StepInput } from '@refrain/contracts';
import type { Database, StepRoute } from '@refrain/db';
import type { SimStats } from '@refrain/simulator';
import { QUEUE_PREFIX } from './stack';
import { sleep } from './wait';

/**
 * What a chaos run left behind, read once the faults stop: every generation final in
 * Postgres, the queues drained, the rows the invariants are checked on, the simulators' counters.
 */

type Pg = Database['pool'];
export type LingeringJobs = Record<string, Record<string, number>>;

export interface GenerationRow {
  id: string;
  status: string;
  error: { code: string; message: string } | null;
}

export interface StepRow {
  generation_id: string;
  index: number;
  op: string;
  status: string;
  submit_attempts: number;
  upstream_task_id: string | null;
  submitted_at: Date | null;
  error: { code: string } | null;
  provider: string;
  pool: string | null;
  route: StepRoute | null;
  input: StepInput;
  finished_at: Date | null;
}

export interface ClipRow {
  generation_id: string;
  id: string;
  status: string;
  step_index: number;
}

/** Waits up to `settleMs` for the generations `ids` to be final. */
export async function waitForFinal(db: Pg, ids: string[], settleMs: number, say: (line: string) => void): Promise<void> {
  // --- settle: every generation final, in Postgres --------------------------------------
  const settleUntil = Date.now() + settleMs;
  let open = Infinity;
  let lastSay = 0;
  while (Date.now() < settleUntil) {
    const r = await db.query<{ n: number }>(`select count(*)::int as n from generations where id = any($1) and status not in ('succeeded','failed','canceled')`, [ids]);
    open = r.rows[0]!.n;
    if (open === 0) break;
    if (Date.now() - lastSay > 10_000) {
      say(`${open} generations not final yet`);
      lastSay = Date.now();
    }
    await sleep(500);
  }
  say(open === 0 ? 'every generation is final' : `${open} generations still not final after the settle window`);
}

/** The jobs still in the queues, once they had up to 10 s to finish. */
export async function waitForIdleQueues(monitor: Redis): Promise<LingeringJobs> {
  // Jobs of final generations may still be finishing their last move; give them a moment.
  const queues = [QUEUES.steps, QUEUES.deliveries].map((name) => new Queue(name, { connection: monitor, prefix: QUEUE_PREFIX }));
  const lingering = async () => {
    const out: LingeringJobs = {};
    for (const q of queues) {
      const c = await q.getJobCounts('active', 'waiting', 'waiting-children', 'delayed', 'prioritized');
      const active = await q.getJobs(['active']);
      out[q.name] = { ...c, activeListed: active.length };
    }
    return out;
  };
  let lingeringJobs = await lingering();
  const busy = (l: typeof lingeringJobs) => Object.values(l).some((c) => Object.values(c).some((v) => v > 0));
  for (let i = 0; i < 20 && busy(lingeringJobs); i++) {
    await sleep(500);
    lingeringJobs = await lingering();
  }
  await Promise.all(queues.map((q) => q.close()));
  return lingeringJobs;
}

/** The run's generations, their steps and their clips, as Postgres has them. */
export async function readRows(db: Pg, ids: string[]): Promise<{ gens: GenerationRow[]; stepRows: StepRow[]; clipRows: ClipRow[] }> {
  // --- what Postgres says ----------------------------------------------------------------
  const gens = (await db.query<GenerationRow>(`select id, status, error from generations where id = any($1)`, [ids])).rows;
  const stepRows = (
    await db.query<StepRow>(
      `select generation_id, index, op, status, submit_attempts, upstream_task_id, submitted_at, error, provider, pool, route, input, finished_at from steps where generation_id = any($1)`,
      [ids],
    )
  ).rows;
  const clipRows = (await db.query<ClipRow>(`select generation_id, id, status, step_index from clips where generation_id = any($1)`, [ids])).rows;
  return { gens, stepRows, clipRows };
}

/** Several simulators' counters as one (`rate` is the first one's). */
export function sumStats(all: SimStats[]): SimStats {
  const requests: Record<string, number> = {};
  for (const s of all) for (const [k, v] of Object.entries(s.requests)) requests[k] = (requests[k] ?? 0) + v;
  const sum = (f: (s: SimStats) => number) => all.reduce((n, s) => n + f(s), 0);
  return {
    requests,
    submissions: sum((s) => s.submissions),
    duplicates: sum((s) => s.duplicates),
    statusQueries: sum((s) => s.statusQueries),
    callbacks: { sent: sum((s) => s.callbacks.sent), failed: sum((s) => s.callbacks.failed), dropped: sum((s) => s.callbacks.dropped) },
    tasks: sum((s) => s.tasks),
    rate: all[0]?.rate ?? {},
  };
}
