import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  POLL_CANDIDATES_SQL,
  connectDatabase,
  countPollCandidates,
  countWaiting,
  createTestDatabase,
  learnedDurations,
  pollCandidates,
  recordTaskDurations,
  runMigrations,
  unsettledSteps,
  type Database,
} from '../src';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let database: Database;
const now = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(now - s * 1000);

/** A generation with one step of `provider` in the given state. */
async function step(id: string, o: { provider?: string; status?: string; state?: string | null; ageS: number; callback?: boolean; updatedAgoS?: number; op?: string }) {
  const pool = database.pool;
  await pool.query(`insert into generations (id, tenant_id, status, provider) values ($1, 't', 'running', $2)`, [id, o.provider ?? 'p']);
  await pool.query(
    `insert into steps (generation_id, index, op, provider, status, input, upstream_task_id, upstream_state, submitted_at, callback_token_hash, updated_at)
     values ($1, 0, $2, $3, $4, '{}', $5, $6, $7, $8, $9)`,
    [id, o.op ?? 'generate', o.provider ?? 'p', o.status ?? 'waiting', `task-${id}`, o.state === undefined ? 'running' : o.state, ago(o.ageS), o.callback ? `hash-${id}` : null, ago(o.updatedAgoS ?? o.ageS)],
  );
}

beforeAll(async () => {
  testDb = await createTestDatabase(ADMIN_URL);
  database = connectDatabase(testDb.url, { max: 2 });
  await runMigrations(database.db);
  await database.pool.query(`insert into tenants (id, webhook_secret) values ('t', 'whsec_x')`);
  await step('old', { ageS: 300 });
  await step('mid', { ageS: 120 });
  await step('young', { ageS: 10 });
  await step('cb-old', { ageS: 200, callback: true });
  await step('cb-young', { ageS: 20, callback: true });
  await step('other-provider', { ageS: 400, provider: 'q' });
  await step('submitting', { ageS: 500, status: 'submitting', state: null });
  await step('done-unsettled', { ageS: 130, state: 'complete', updatedAgoS: 30 });
  await step('done-just-now', { ageS: 130, state: 'complete', updatedAgoS: 1 });
  await step('failed-unsettled', { ageS: 130, state: 'error', updatedAgoS: 30 });
  await step('lyrics-young', { ageS: 5, op: 'lyrics' });
});
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

describe('the poller\'s queries', () => {
  const cutoff = (op: string, plainS: number, callbackS: number) => ({ op, plainBefore: ago(plainS), callbackBefore: ago(callbackS) });

  it('read the waiting steps old enough to be candidates, oldest first, each operation and callbacks by their own cutoff', async () => {
    const page = { cutoffs: [cutoff('generate', 100, 150), cutoff('lyrics', 0, 9)], after: null, limit: 10 };
    const rows = await pollCandidates(database.db, 'p', page);
    expect(rows.map((r) => r.generationId)).toEqual(['old', 'cb-old', 'mid', 'lyrics-young']);
    // an operation left out is not read at all
    expect((await pollCandidates(database.db, 'p', { ...page, cutoffs: [cutoff('generate', 100, 150)] })).map((r) => r.generationId)).toEqual(['old', 'cb-old', 'mid']);
    expect(rows[1]).toMatchObject({ op: 'generate', taskId: 'task-cb-old', clipIds: [], callback: true });
    expect(rows[0]!.submittedAt).toEqual(ago(300));
  });

  it('page on from the last row read', async () => {
    const page = { cutoffs: [cutoff('generate', 0, 0), cutoff('lyrics', 0, 0)], limit: 2 };
    const first = await pollCandidates(database.db, 'p', { ...page, after: null });
    const second = await pollCandidates(database.db, 'p', { ...page, after: first.at(-1)! });
    const third = await pollCandidates(database.db, 'p', { ...page, after: second.at(-1)! });
    expect([...first, ...second, ...third].map((r) => r.generationId)).toEqual(['old', 'cb-old', 'mid', 'cb-young', 'young', 'lyrics-young']);
  });

  it('count the waiting steps, and the candidates when asked', async () => {
    expect(await countWaiting(database.db, 'p')).toBe(6);
    expect(await countPollCandidates(database.db, 'p', [cutoff('generate', 100, 150), cutoff('lyrics', 10, 10)])).toBe(3);
  });

  it('find finished steps whose job has not settled them for a while (a lost promote)', async () => {
    const lost = await unsettledSteps(database.db, 'p', ago(5));
    expect(lost.map((s) => s.generationId).sort()).toEqual(['done-unsettled', 'failed-unsettled']);
  });

  it('reads the candidates as one range of steps_poll_idx per operation (no scan of every step)', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('begin');
      await client.query('set local enable_seqscan = off'); // ten rows would be read by a scan: ask how it reads many
      await client.query(`prepare cand as ${POLL_CANDIDATES_SQL}`);
      const { rows } = await client.query(
        `explain execute cand('p', '{generate,lyrics}', array[now(), now()]::timestamptz[], array[now(), now()]::timestamptz[], '-infinity', '', -1, 10)`,
      );
      const plan = rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index Scan using steps_poll_idx/);
      expect(plan).toMatch(/Index Cond: .*op = r\.op.*submitted_at <= /);
      await client.query('commit');
    } finally {
      client.release();
    }
  });
});

describe('learned durations', () => {
  it('keep the last 64 samples of each operation of each provider', async () => {
    await recordTaskDurations(database.db, 'p', Array.from({ length: 60 }, (_, i) => ({ op: 'generate', seconds: i })));
    await recordTaskDurations(database.db, 'p', [
      ...Array.from({ length: 10 }, (_, i) => ({ op: 'generate', seconds: 100 + i })),
      { op: 'lyrics', seconds: 4.5 },
      { op: 'lyrics', seconds: Number.NaN },
    ]);
    await recordTaskDurations(database.db, 'q', [{ op: 'generate', seconds: 1 }]);
    const p = await learnedDurations(database.db, 'p');
    expect(p.generate).toHaveLength(64);
    expect(p.generate!.slice(0, 2)).toEqual([6, 7]);
    expect(p.generate!.at(-1)).toBe(109);
    expect(p.lyrics).toEqual([4.5]);
    expect(await learnedDurations(database.db, 'q')).toEqual({ generate: [1] });
  });
});
