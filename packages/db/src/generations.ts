import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { newId, type PlannedStep } from '@refrain/core';
import type { GenerationStatus, GenerationView, Scenario, WebhookEvent } from '@refrain/contracts';
import type { Db } from './connect';
import { appendEvents } from './events';
import { run, statement } from './prepared';
import { clips, generations, steps } from './schema';
import { toGenerationView } from './views';

export interface NewGeneration {
  tenantId: string;
  /** A provider, or a pool (`pool` then names it too, and each step's provider is chosen at its intent). */
  provider: string;
  pool?: string | null;
  scenario: Scenario | null;
  metadata: Record<string, unknown>;
  callbackUrl: string | null;
  webhookEvents: WebhookEvent[];
  steps: PlannedStep[];
  /** Ids a front door hands out for it, written in the same statement (docs/doors.md). */
  doorIds?: NewDoorId[];
}

export interface NewDoorId {
  id: string;
  door: string;
  kind: 'task' | 'clip';
  stepIndex: number;
  position: number | null;
  request: unknown;
}

const CREATE_GENERATION_SQL = (doorIds: boolean) => `with g as (
     insert into generations (id, tenant_id, status, provider, scenario, metadata, callback_url, webhook_events, created_at, updated_at)
     values ($1, $2, 'queued', $3, $4, $5::jsonb, $6, $7::text[], $8, $8)
     returning id
   ), s as (
     insert into steps (generation_id, index, op, provider, pool, status, input, updated_at)
     select g.id, x.index, x.op, $3, x.pool, 'pending', x.input, $8
       from g, jsonb_to_recordset($9::jsonb) as x(index smallint, op text, input jsonb, pool text)
     returning index
   ), e as (
     insert into generation_events (generation_id, type, data) select g.id, 'generation', '{"status":"queued"}'::jsonb from g
   )${doorIds ? `, d as (
     insert into door_ids (id, tenant_id, door, kind, generation_id, step_index, position, request, created_at)
     select x.id, $2, x.door, x.kind, g.id, x.step_index, x.position, x.request, $8
       from g, jsonb_to_recordset($10::jsonb) as x(id text, door text, kind text, step_index smallint, position smallint, request jsonb)
   )` : ''}
   select (select count(*)::int from s) as "steps"`;
const CREATE_GENERATION = statement('create_generation', CREATE_GENERATION_SQL(false));
const CREATE_DOOR_GENERATION = statement('create_door_generation', CREATE_GENERATION_SQL(true));

/** Write the generation, all its steps (and a door's ids) in one statement (atomic), before anything is queued. */
export async function createGeneration(db: Db, g: NewGeneration, now = new Date()): Promise<GenerationView> {
  const id = newId('gen', now.getTime());
  const pool = g.pool ?? null;
  const stepInputs = g.steps.map((s) => ({ index: s.index, op: s.op, input: s.input, pool }));
  const doorIds = g.doorIds?.length
    ? [JSON.stringify(g.doorIds.map((d) => ({ id: d.id, door: d.door, kind: d.kind, step_index: d.stepIndex, position: d.position, request: d.request ?? null })))]
    : [];
  await run(db, doorIds.length ? CREATE_DOOR_GENERATION : CREATE_GENERATION, [
    id,
    g.tenantId,
    g.provider,
    g.scenario,
    JSON.stringify(g.metadata),
    g.callbackUrl,
    g.webhookEvents,
    now,
    JSON.stringify(stepInputs),
    ...doorIds,
  ]);
  // The rows as written (nothing in them is left to a database default that differs).
  const row: typeof generations.$inferSelect = {
    id,
    tenantId: g.tenantId,
    status: 'queued',
    provider: g.provider,
    scenario: g.scenario,
    metadata: g.metadata,
    callbackUrl: g.callbackUrl,
    webhookEvents: g.webhookEvents,
    output: null,
    error: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  const stepRows: (typeof steps.$inferSelect)[] = g.steps.map((s) => ({
    generationId: id,
    index: s.index,
    op: s.op,
    provider: g.provider,
    status: 'pending',
    input: s.input,
    submitAttempts: 0,
    upstreamTaskId: null,
    clipIds: [],
    upstreamState: null,
    upstreamError: null,
    lyrics: null,
    pool,
    route: null,
    callbackTokenHash: null,
    error: null,
    deadlineAt: null,
    startedAt: null,
    submittedAt: null,
    finishedAt: null,
    updatedAt: now,
  }));
  return toGenerationView(row, stepRows, []);
}

export async function loadGeneration(db: Db, id: string, tenantId?: string): Promise<GenerationView | null> {
  const where = tenantId ? and(eq(generations.id, id), eq(generations.tenantId, tenantId)) : eq(generations.id, id);
  const [g] = await db.select().from(generations).where(where);
  if (!g) return null;
  const [stepRows, clipRows] = await Promise.all([
    db.select().from(steps).where(eq(steps.generationId, id)),
    db.select().from(clips).where(eq(clips.generationId, id)),
  ]);
  return toGenerationView(g, stepRows, clipRows);
}

/** Cursor = the last item's `created_at|id`, base64url; newest first. */
export async function listGenerations(
  db: Db,
  tenantId: string,
  q: { status?: GenerationStatus; limit: number; cursor?: string },
): Promise<{ data: GenerationView[]; next_cursor: string | null }> {
  const conds = [eq(generations.tenantId, tenantId)];
  if (q.status) conds.push(eq(generations.status, q.status));
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    if (c) {
      conds.push(or(lt(generations.createdAt, c.at), and(eq(generations.createdAt, c.at), lt(generations.id, c.id)))!);
    }
  }
  const rows = await db
    .select()
    .from(generations)
    .where(and(...conds))
    .orderBy(desc(generations.createdAt), desc(generations.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const ids = page.map((r) => r.id);
  const [stepRows, clipRows] = ids.length
    ? await Promise.all([
        db.select().from(steps).where(inArray(steps.generationId, ids)),
        db.select().from(clips).where(inArray(clips.generationId, ids)),
      ])
    : [[], []];
  const data = page.map((g) =>
    toGenerationView(
      g,
      stepRows.filter((s) => s.generationId === g.id),
      clipRows.filter((c) => c.generationId === g.id),
    ),
  );
  const last = page[page.length - 1];
  const next = rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null;
  return { data, next_cursor: next };
}

export const encodeCursor = (at: Date, id: string): string =>
  Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
export function decodeCursor(cursor: string): { at: Date; id: string } | null {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = at ? new Date(at) : null;
  return date && !Number.isNaN(date.getTime()) && id ? { at: date, id } : null;
}

/**
 * Cancel: steps not yet submitted are canceled at once; a step already upstream keeps
 * waiting so its result is stored, but nothing after it runs. A final generation is left alone.
 */
export async function cancelGeneration(db: Db, tenantId: string, id: string, now = new Date()): Promise<'canceled' | 'final' | 'missing'> {
  return db.transaction(async (tx) => {
    const [g] = await tx
      .select({ status: generations.status })
      .from(generations)
      .where(and(eq(generations.id, id), eq(generations.tenantId, tenantId)))
      .for('update');
    if (!g) return 'missing';
    if (g.status === 'succeeded' || g.status === 'failed' || g.status === 'canceled') return 'final';
    const canceled = await tx
      .update(steps)
      .set({ status: 'canceled', finishedAt: now, updatedAt: now })
      .where(and(eq(steps.generationId, id), eq(steps.status, 'pending')))
      .returning({ index: steps.index });
    await tx
      .update(generations)
      .set({
        status: 'canceled',
        finishedAt: now,
        updatedAt: now,
        error: { code: 'canceled', message: 'canceled by the client', step: null },
      })
      .where(eq(generations.id, id));
    await appendEvents(tx, id, [
      ...canceled.map((s) => ({ type: 'step' as const, data: { index: s.index, status: 'canceled' } })),
      { type: 'generation', data: { status: 'canceled' } },
    ]);
    return 'canceled';
  });
}

/** Non-final generations, oldest first, for the reconciler. */
export async function activeGenerationIds(db: Db, limit = 1000, olderThan?: Date): Promise<string[]> {
  const rows = await db
    .select({ id: generations.id })
    .from(generations)
    .where(
      and(
        inArray(generations.status, ['queued', 'running']),
        olderThan ? lt(generations.updatedAt, olderThan) : sql`true`,
      ),
    )
    .orderBy(generations.createdAt)
    .limit(limit);
  return rows.map((r) => r.id);
}
