import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { GenerationError, LyricsResult } from '@refrain/contracts';
import type { Db } from './connect';
import { clipRecord, type TaskUpdate } from './clip-records';
import { appendEvents } from './events';
import { run, statement } from './prepared';
import { generations, steps } from './schema';
import { pickStep, stepColumns, type StepRow } from './step-context';

/** Where the step's upstream task stands (the re-check after a step job parked itself). */
const STEP_UPSTREAM_STATE = statement('step_upstream_state', `select upstream_state as "state" from steps where generation_id = $1 and index = $2`);
export async function stepUpstreamState(db: Db, generationId: string, index: number): Promise<string | null> {
  const [row] = await run<{ state: string | null }>(db, STEP_UPSTREAM_STATE, [generationId, index]);
  return row?.state ?? null;
}

/** refrain_mark_submitting (migration 0002): lock, in-flight count and intent in one server-side call. */
const MARK_SUBMITTING = statement(
  'mark_submitting',
  `select f.in_flight as "inFlight", ${stepColumns('(f.step).')}
     from refrain_mark_submitting($1, $2, $3, $4, $5, $6, $7::jsonb) as f`,
);

/** A pool's choice for a step's submission, as the step keeps it (GET /v1/generations/{id} shows it). */
export interface StepRoute {
  pool: string;
  provider: string;
  reason: string;
  at: string;
  /** Members left out and why (they lack the operation or model, or failed this step before). */
  passed: { provider: string; reason: string }[];
  /** Members this run tried first, which provably made nothing (so the step moved on), and why. */
  failovers: { provider: string; reason: string; at: string }[];
}

/**
 * Record the intent to submit, before the upstream call (SPEC section 2). With
 * `maxInFlight`, a per-provider advisory lock makes the in-flight count exact across
 * workers: over the limit the step stays pending and 'limited' is returned. One round trip:
 * the lock is held for one server-side statement and its commit (steps_in_flight_idx makes
 * the count an index scan). A step of a pool takes `provider` (the member) and `route` here.
 */
export async function markSubmitting(
  db: Db,
  generationId: string,
  index: number,
  callbackTokenHash: string | null,
  opts: { provider?: string; maxInFlight?: number; now?: Date; route?: StepRoute } = {},
): Promise<StepRow | 'limited' | null> {
  const now = opts.now ?? new Date();
  const limited = !!(opts.provider && opts.maxInFlight);
  const [row] = await run<Record<string, unknown>>(db, MARK_SUBMITTING, [
    generationId,
    index,
    now,
    callbackTokenHash,
    opts.provider ?? null,
    limited ? opts.maxInFlight : null,
    opts.route ? JSON.stringify(opts.route) : null,
  ]);
  if (limited && ((row?.inFlight as number | undefined) ?? 0) >= opts.maxInFlight!) return 'limited';
  return row?.generationId ? pickStep(row) : null;
}

const RECORD_SUBMISSION = statement(
  'record_submission',
  `with upd as (
     update steps set status = 'waiting', upstream_task_id = $3, clip_ids = $4, upstream_state = $5, upstream_error = $6,
            lyrics = $7::jsonb, submitted_at = $8, deadline_at = $9, updated_at = $8
      where generation_id = $1 and index = $2 and status = 'submitting'
     returning index
   ), ins as (
     insert into clips (provider, id, generation_id, step_index, position, status, status_rank, title, tags, lyrics,
                        audio_url, video_url, image_url, duration, model, error_message, uploaded)
     select $10, c.id, $1, $2, c.position, c.status, c.status_rank, c.title, c.tags, c.lyrics,
            c.audio_url, c.video_url, c.image_url, c.duration, c.model, c.error_message, $11
       from jsonb_to_recordset($12::jsonb) as c(id text, position smallint, status text, status_rank smallint, title text, tags text,
            lyrics text, audio_url text, video_url text, image_url text, duration float8, model text, error_message text)
      where exists (select 1 from upd)
     on conflict do nothing
   ), ev as (
     insert into generation_events (generation_id, type, data) select $1, 'step', $13::jsonb from upd
   )
   select count(*)::int as n from upd`,
);

/** Record what upstream answered; from here on the step is never submitted again. One statement. */
export async function recordSubmission(
  db: Db,
  generationId: string,
  index: number,
  provider: string,
  task: TaskUpdate,
  deadlineAt: Date,
  uploaded: boolean,
  now = new Date(),
): Promise<boolean> {
  const clipIds = task.clips.map((c) => c.id);
  const [row] = await run<{ n: number }>(db, RECORD_SUBMISSION, [
    generationId,
    index,
    task.taskId,
    clipIds,
    task.state,
    task.error ?? null,
    task.lyrics ? JSON.stringify(task.lyrics) : null,
    now,
    deadlineAt,
    provider,
    uploaded,
    JSON.stringify(task.clips.map((c, position) => clipRecord(c, position))),
    JSON.stringify({ index, status: 'waiting', upstream_task_id: task.taskId, clip_ids: clipIds }),
  ]);
  return (row?.n ?? 0) > 0;
}

const SUCCEED_STEP = statement(
  'succeed_step',
  `with upd as (
     update steps set status = 'succeeded', finished_at = $3, updated_at = $3
      where generation_id = $1 and index = $2 and status = 'waiting'
     returning index
   ), remaining as (
     select count(*)::int as n from steps where generation_id = $1 and index > $2
   ), done as (
     update generations set status = 'succeeded', output = $4::jsonb, finished_at = $3, updated_at = $3
      where id = $1 and status in ('queued', 'running') and exists (select 1 from upd) and (select n from remaining) = 0
     returning id
   ), touch as (
     update generations set updated_at = $3
      where id = $1 and exists (select 1 from upd) and (select n from remaining) > 0
     returning id
   ), ev as (
     insert into generation_events (generation_id, type, data)
     select $1, 'step', jsonb_build_object('index', upd.index, 'status', 'succeeded') from upd
     union all
     select $1, 'generation', '{"status":"succeeded"}'::jsonb from done
   )
   select exists (select 1 from upd) as "stepped", (select n from remaining) as "remaining", exists (select 1 from done) as "done"`,
);

/** The step succeeded; the last step's success is the generation's. Returns the new generation status. One statement. */
export async function succeedStep(
  db: Db,
  generationId: string,
  index: number,
  output: { clips: string[]; lyrics: LyricsResult | null },
  now = new Date(),
): Promise<string | null> {
  const [r] = await run<{ stepped: boolean; remaining: number; done: boolean }>(db, SUCCEED_STEP, [generationId, index, now, JSON.stringify(output)]);
  if (!r?.stepped) return null;
  if (r.remaining > 0) return 'running';
  return r.done ? 'succeeded' : null;
}

/** The step failed: the generation fails with it and the steps after it are canceled. */
export async function failStep(db: Db, generationId: string, index: number, error: GenerationError, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(steps)
      .set({ status: 'failed', error, finishedAt: now, updatedAt: now })
      .where(and(eq(steps.generationId, generationId), eq(steps.index, index), inArray(steps.status, ['pending', 'submitting', 'waiting'])))
      .returning({ index: steps.index });
    if (!row) return false;
    const canceled = await tx
      .update(steps)
      .set({ status: 'canceled', finishedAt: now, updatedAt: now })
      .where(and(eq(steps.generationId, generationId), sql`${steps.index} > ${index}`, eq(steps.status, 'pending')))
      .returning({ index: steps.index });
    const failed = await tx
      .update(generations)
      .set({ status: 'failed', error, finishedAt: now, updatedAt: now })
      .where(and(eq(generations.id, generationId), inArray(generations.status, ['queued', 'running'])))
      .returning({ id: generations.id });
    await appendEvents(tx, generationId, [
      { type: 'step', data: { index, status: 'failed', error } },
      ...canceled.map((s) => ({ type: 'step' as const, data: { index: s.index, status: 'canceled' } })),
      ...(failed.length ? [{ type: 'generation' as const, data: { status: 'failed', error } }] : []),
    ]);
    return true;
  });
}

/**
 * A submission that provably made nothing upstream (refused, not sent, the provider asked
 * to slow down) gives its intent back: the step is `pending` again, so the next run is a
 * fresh submission. A step left `submitting` means the outcome is unknown (docs/reliability.md).
 */
export async function releaseIntent(db: Db, generationId: string, index: number, now = new Date()): Promise<boolean> {
  const rows = await db
    .update(steps)
    .set({ status: 'pending', updatedAt: now })
    .where(and(eq(steps.generationId, generationId), eq(steps.index, index), eq(steps.status, 'submitting')))
    .returning({ index: steps.index });
  return rows.length > 0;
}

/** A pending step whose generation ended (canceled or failed) becomes canceled. */
export async function cancelPendingStep(db: Db, generationId: string, index: number, now = new Date()): Promise<void> {
  await db
    .update(steps)
    .set({ status: 'canceled', finishedAt: now, updatedAt: now })
    .where(and(eq(steps.generationId, generationId), eq(steps.index, index), inArray(steps.status, ['pending', 'submitting'])));
}

const STEP_BY_CALLBACK_TOKEN = statement(
  'step_by_callback_token',
  `select generation_id as "generationId", index, op, upstream_task_id as "taskId", clip_ids as "clipIds", status, callback_token_hash as "tokenHash",
          updated_at as "updatedAt"
     from steps where provider = $1 and callback_token_hash = $2`,
);

/** The step row owning a callback token hash. */
export async function stepByCallbackToken(db: Db, provider: string, tokenHash: string) {
  const [row] = await run<{ generationId: string; index: number; op: string; taskId: string | null; clipIds: string[]; status: string; tokenHash: string | null; updatedAt: Date }>(db, STEP_BY_CALLBACK_TOKEN, [
    provider,
    tokenHash,
  ]);
  return row ?? null;
}

/** Steps of non-final generations, for the reconciler. */
export async function activeSteps(db: Db, generationIds: string[]) {
  if (generationIds.length === 0) return [];
  return db
    .select({ generationId: steps.generationId, index: steps.index, op: steps.op, status: steps.status })
    .from(steps)
    .where(inArray(steps.generationId, generationIds))
    .orderBy(asc(steps.generationId), asc(steps.index));
}
