import type { Db } from './connect';
import { run, statement } from './prepared';

/** Samples kept per provider and operation: enough for a 5th percentile, few enough to read every tick. */
export const DURATION_SAMPLES = 64;

const RECORD = statement(
  'record_durations',
  `insert into upstream_durations as u (provider, op, samples, updated_at)
   select $1, v.op, v.samples, $3 from jsonb_to_recordset($2::jsonb) as v(op text, samples float8[])
   on conflict (provider, op) do update
      set samples = (u.samples || excluded.samples)[greatest(1, cardinality(u.samples || excluded.samples) - ${DURATION_SAMPLES - 1}):],
          updated_at = excluded.updated_at`,
);

/** Add the durations (seconds, submission to the task's end) of tasks that just finished; the last 64 per operation are kept. */
export async function recordTaskDurations(db: Db, provider: string, samples: { op: string; seconds: number }[], now = new Date()): Promise<void> {
  if (samples.length === 0) return;
  const byOp = new Map<string, number[]>();
  for (const s of samples) {
    if (!Number.isFinite(s.seconds) || s.seconds < 0) continue;
    const list = byOp.get(s.op) ?? [];
    list.push(Number(s.seconds.toFixed(3)));
    byOp.set(s.op, list);
  }
  if (byOp.size === 0) return;
  const rows = [...byOp].map(([op, list]) => ({ op, samples: list.slice(-DURATION_SAMPLES) }));
  await run(db, RECORD, [provider, JSON.stringify(rows), now]);
}

const LEARNED = statement('learned_durations', `select op, samples from upstream_durations where provider = $1`);

/** The kept samples of each operation of a provider. */
export async function learnedDurations(db: Db, provider: string): Promise<Record<string, number[]>> {
  const rows = await run<{ op: string; samples: number[] }>(db, LEARNED, [provider]);
  return Object.fromEntries(rows.map((r) => [r.op, r.samples]));
}
