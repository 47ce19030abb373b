/** A step job's view of Postgres: the step, its generation and the step before it, read in one statement. */
import type { Db } from './connect';
import { run, statement } from './prepared';
import type { steps } from './schema';

export type StepRow = typeof steps.$inferSelect;

export interface StepContext {
  step: StepRow;
  generation: {
    id: string;
    status: string;
    tenantId: string;
    provider: string;
    stepCount: number;
    /** Where webhooks go and which events (fixed at creation): no webhook work when there is no URL. */
    callbackUrl: string | null;
    webhookEvents: string[];
  };
  previous: StepRow | null;
  /** Clips of the previous step, in order, with whether each came from an upload. */
  previousClips: { id: string; uploaded: boolean }[];
}

/** A steps row as drizzle names its fields (`StepRow`), selected by hand. */
export const stepColumns = (t: string) =>
  `${t}generation_id as "generationId", ${t}index, ${t}op, ${t}provider, ${t}status, ${t}input, ${t}submit_attempts as "submitAttempts",
   ${t}upstream_task_id as "upstreamTaskId", ${t}clip_ids as "clipIds", ${t}upstream_state as "upstreamState",
   ${t}upstream_error as "upstreamError", ${t}lyrics, ${t}pool, ${t}route, ${t}callback_token_hash as "callbackTokenHash", ${t}error,
   ${t}deadline_at as "deadlineAt", ${t}started_at as "startedAt", ${t}submitted_at as "submittedAt",
   ${t}finished_at as "finishedAt", ${t}updated_at as "updatedAt"`;

const STEP_FIELDS = [
  'generationId', 'index', 'op', 'provider', 'status', 'input', 'submitAttempts', 'upstreamTaskId', 'clipIds', 'upstreamState',
  'upstreamError', 'lyrics', 'pool', 'route', 'callbackTokenHash', 'error', 'deadlineAt', 'startedAt', 'submittedAt', 'finishedAt', 'updatedAt',
] as const;
export const pickStep = (r: Record<string, unknown>): StepRow => Object.fromEntries(STEP_FIELDS.map((f) => [f, r[f]])) as StepRow;

/** The generation, the step and the one before it (with its clips), in one statement. */
const LOAD_STEP_CONTEXT = statement(
  'load_step_context',
  `select g.status as "gStatus", g.tenant_id as "gTenantId", g.provider as "gProvider", g.callback_url as "gCallbackUrl",
          g.webhook_events as "gWebhookEvents", (select count(*)::int from steps c where c.generation_id = g.id) as "gStepCount",
          ${stepColumns('s.')},
          case when s.index = $2::int - 1 then (
            select coalesce(json_agg(json_build_object('id', c.id, 'uploaded', c.uploaded) order by c.position), '[]'::json)
              from clips c where c.generation_id = g.id and c.step_index = s.index) end as "previousClips"
     from generations g
     left join steps s on s.generation_id = g.id and s.index in ($2::int, $2::int - 1)
    where g.id = $1`,
);

export async function loadStepContext(db: Db, generationId: string, index: number): Promise<StepContext | null> {
  return contextOf(await run<Record<string, unknown>>(db, LOAD_STEP_CONTEXT, [generationId, index]), generationId, index);
}

function contextOf(rows: Record<string, unknown>[], generationId: string, index: number): StepContext | null {
  const g = rows[0];
  if (!g) return null;
  const stepRow = rows.find((r) => r.index === index);
  if (!stepRow) return null;
  const prevRow = rows.find((r) => r.index === index - 1) ?? null;
  return {
    step: pickStep(stepRow),
    generation: {
      id: generationId,
      status: g.gStatus as string,
      tenantId: g.gTenantId as string,
      provider: g.gProvider as string,
      stepCount: g.gStepCount as number,
      callbackUrl: (g.gCallbackUrl as string | null) ?? null,
      webhookEvents: (g.gWebhookEvents as string[] | null) ?? [],
    },
    previous: prevRow ? pickStep(prevRow) : null,
    previousClips: (prevRow?.previousClips as { id: string; uploaded: boolean }[] | null) ?? [],
  };
}

/**
 * loadStepContext, and in the same statement the step's success when upstream already
 * finished it (status waiting, upstream complete: the one case where the step machine
 * always decides to succeed). A woken step job then settles in one round trip.
 */
const SETTLE_STEP = statement(
  'settle_step',
  `with upd as (
     update steps set status = 'succeeded', finished_at = $3, updated_at = $3
      where generation_id = $1 and index = $2 and status = 'waiting' and upstream_state = 'complete'
     returning index, clip_ids, lyrics
   ), remaining as (
     select count(*)::int as n from steps where generation_id = $1 and index > $2
   ), done as (
     update generations g set status = 'succeeded', output = jsonb_build_object('clips', to_jsonb(upd.clip_ids), 'lyrics', upd.lyrics),
            finished_at = $3, updated_at = $3
       from upd where g.id = $1 and g.status in ('queued', 'running') and (select n from remaining) = 0
     returning g.id
   ), touch as (
     update generations set updated_at = $3 where id = $1 and exists (select 1 from upd) and (select n from remaining) > 0
     returning id
   ), ev as (
     insert into generation_events (generation_id, type, data)
     select $1, 'step', jsonb_build_object('index', upd.index, 'status', 'succeeded') from upd
     union all
     select $1, 'generation', '{"status":"succeeded"}'::jsonb from done
   )
   select g.status as "gStatus", g.tenant_id as "gTenantId", g.provider as "gProvider", g.callback_url as "gCallbackUrl",
          g.webhook_events as "gWebhookEvents", (select count(*)::int from steps c where c.generation_id = g.id) as "gStepCount",
          ${stepColumns('s.')},
          case when s.index = $2::int - 1 then (
            select coalesce(json_agg(json_build_object('id', c.id, 'uploaded', c.uploaded) order by c.position), '[]'::json)
              from clips c where c.generation_id = g.id and c.step_index = s.index) end as "previousClips",
          (select to_jsonb(upd.clip_ids) from upd) as "settledClips", (select upd.lyrics from upd) as "settledLyrics",
          exists (select 1 from upd) as "settled", (select n from remaining) as "remaining", exists (select 1 from done) as "done"
     from generations g
     left join steps s on s.generation_id = g.id and s.index in ($2::int, $2::int - 1)
    where g.id = $1`,
);

/**
 * The step's context, and `settled` when this very statement succeeded the step: the new
 * generation status as succeedStep returns it ('running' while later steps remain,
 * 'succeeded', or null). `settled` is undefined when it did not (the step is elsewhere).
 */
export async function loadStepContextSettling(
  db: Db,
  generationId: string,
  index: number,
  now = new Date(),
): Promise<{ ctx: StepContext | null; settled: string | null | undefined }> {
  const rows = await run<Record<string, unknown>>(db, SETTLE_STEP, [generationId, index, now]);
  const ctx = contextOf(rows, generationId, index);
  const r = rows[0];
  if (!ctx || !r?.settled) return { ctx, settled: undefined };
  // The step as it now is (the success of this statement, with what upstream recorded).
  ctx.step = { ...ctx.step, status: 'succeeded', clipIds: r.settledClips as string[], lyrics: r.settledLyrics ?? null, finishedAt: now, updatedAt: now };
  return { ctx, settled: (r.remaining as number) > 0 ? 'running' : r.done ? 'succeeded' : null };
}
