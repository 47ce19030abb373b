import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { CLIP_STATUS_RANK, type GenerationError, type LyricsResult, type UpstreamState } from '@refrain/contracts';
import type { Db } from './connect';
import { appendEvents } from './events';
import { clips, generations, steps } from './schema';

type StepRow = typeof steps.$inferSelect;

/** A clip as an upstream reported it (same fields as providers' ClipSnapshot). */
export interface ClipUpdate {
  id: string;
  status: keyof typeof CLIP_STATUS_RANK;
  title?: string | null;
  tags?: string | null;
  lyrics?: string | null;
  audio_url?: string | null;
  video_url?: string | null;
  image_url?: string | null;
  duration?: number | null;
  model?: string | null;
  error_message?: string | null;
}
export interface TaskUpdate {
  taskId: string;
  state: UpstreamState;
  clips: ClipUpdate[];
  lyrics?: LyricsResult;
  error?: string;
}

export interface StepContext {
  step: StepRow;
  generation: { id: string; status: string; tenantId: string; provider: string; stepCount: number };
  previous: StepRow | null;
  /** Clips of the previous step, in order, with whether each came from an upload. */
  previousClips: { id: string; uploaded: boolean }[];
}

export async function loadStepContext(db: Db, generationId: string, index: number): Promise<StepContext | null> {
  const [g] = await db
    .select({ id: generations.id, status: generations.status, tenantId: generations.tenantId, provider: generations.provider })
    .from(generations)
    .where(eq(generations.id, generationId));
  if (!g) return null;
  const rows = await db.select().from(steps).where(eq(steps.generationId, generationId)).orderBy(asc(steps.index));
  const step = rows.find((s) => s.index === index);
  if (!step) return null;
  const previous = rows.find((s) => s.index === index - 1) ?? null;
  const previousClips = previous
    ? await db
        .select({ id: clips.id, uploaded: clips.uploaded })
        .from(clips)
        .where(and(eq(clips.generationId, generationId), eq(clips.stepIndex, previous.index)))
        .orderBy(asc(clips.position))
    : [];
  return { step, generation: { ...g, stepCount: rows.length }, previous, previousClips };
}

/**
 * Record the intent to submit, before the upstream call (SPEC section 2). With
 * `maxInFlight`, a per-provider advisory lock makes the in-flight count exact across
 * workers: over the limit the step stays pending and 'limited' is returned.
 */
export async function markSubmitting(
  db: Db,
  generationId: string,
  index: number,
  callbackTokenHash: string | null,
  opts: { provider?: string; maxInFlight?: number; now?: Date } = {},
): Promise<StepRow | 'limited' | null> {
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    if (opts.provider && opts.maxInFlight) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'inflight:' + opts.provider}))`);
      const [{ n } = { n: 0 }] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(steps)
        .where(and(eq(steps.provider, opts.provider), sql`(${steps.status} = 'submitting' or (${steps.status} = 'waiting' and ${steps.upstreamState} = 'running'))`));
      if (n >= opts.maxInFlight) return 'limited';
    }
    const [row] = await tx
      .update(steps)
      .set({
        status: 'submitting',
        submitAttempts: sql`${steps.submitAttempts} + 1`,
        startedAt: sql`coalesce(${steps.startedAt}, ${now.toISOString()}::timestamptz)`,
        callbackTokenHash,
        updatedAt: now,
      })
      .where(and(eq(steps.generationId, generationId), eq(steps.index, index), inArray(steps.status, ['pending', 'submitting'])))
      .returning();
    if (!row) return null;
    const started = await tx
      .update(generations)
      .set({ status: 'running', updatedAt: now })
      .where(and(eq(generations.id, generationId), eq(generations.status, 'queued')))
      .returning({ id: generations.id });
    await appendEvents(tx, generationId, [
      ...(started.length ? [{ type: 'generation' as const, data: { status: 'running' } }] : []),
      { type: 'step', data: { index, status: 'submitting' } },
    ]);
    return row;
  });
}

/** Record what upstream answered; from here on the step is never submitted again. */
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
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(steps)
      .set({
        status: 'waiting',
        upstreamTaskId: task.taskId,
        clipIds: task.clips.map((c) => c.id),
        upstreamState: task.state,
        upstreamError: task.error ?? null,
        lyrics: task.lyrics ?? null,
        submittedAt: now,
        deadlineAt,
        updatedAt: now,
      })
      .where(and(eq(steps.generationId, generationId), eq(steps.index, index), eq(steps.status, 'submitting')))
      .returning({ index: steps.index });
    if (!row) return false;
    if (task.clips.length) {
      await tx
        .insert(clips)
        .values(task.clips.map((c, position) => ({ ...clipColumns(c), provider, generationId, stepIndex: index, position, uploaded })))
        .onConflictDoNothing();
    }
    await appendEvents(tx, generationId, [
      { type: 'step', data: { index, status: 'waiting', upstream_task_id: task.taskId, clip_ids: task.clips.map((c) => c.id) } },
    ]);
    return true;
  });
}

function clipColumns(c: ClipUpdate) {
  return {
    id: c.id,
    status: c.status,
    statusRank: CLIP_STATUS_RANK[c.status],
    title: c.title ?? null,
    tags: c.tags ?? null,
    lyrics: c.lyrics ?? null,
    audioUrl: c.audio_url || null,
    videoUrl: c.video_url || null,
    imageUrl: c.image_url || null,
    duration: c.duration ?? null,
    model: c.model ?? null,
    errorMessage: c.error_message ?? null,
  };
}

export interface AppliedChange {
  generationId: string;
  index: number;
  /** The step's upstream task reached a final state with this update. */
  finished: boolean;
  streamingClips: string[];
}

/**
 * Apply what upstream says about tasks (poll or callback) with compare-and-set: a clip
 * only moves forward, so a stale or repeated answer changes nothing.
 */
export async function applyTaskUpdates(db: Db, provider: string, updates: TaskUpdate[], now = new Date()): Promise<AppliedChange[]> {
  if (updates.length === 0) return [];
  return db.transaction(async (tx) => {
    const owners = await tx
      .select({
        generationId: steps.generationId,
        index: steps.index,
        op: steps.op,
        clipIds: steps.clipIds,
        taskId: steps.upstreamTaskId,
        state: steps.upstreamState,
      })
      .from(steps)
      .where(and(eq(steps.provider, provider), inArray(steps.upstreamTaskId, updates.map((u) => u.taskId)), eq(steps.status, 'waiting')));
    const changes: AppliedChange[] = [];
    for (const u of updates) {
      const owner = owners.find((o) => o.taskId === u.taskId);
      if (!owner) continue;
      const events: { type: 'clip' | 'step'; data: Record<string, unknown> }[] = [];
      const streamingClips: string[] = [];
      for (const [position, c] of u.clips.entries()) {
        const rank = CLIP_STATUS_RANK[c.status];
        const cols = clipColumns(c);
        // Upsert with compare-and-set: a clip first seen here (relay answers a bare task id
        // at submission) is inserted; a known one only ever moves forward.
        const moved = await tx
          .insert(clips)
          .values({ ...cols, provider, generationId: owner.generationId, stepIndex: owner.index, position, uploaded: owner.op === 'upload', updatedAt: now })
          .onConflictDoUpdate({
            target: [clips.provider, clips.id],
            set: { ...cols, updatedAt: now },
            setWhere: sql`(${clips.statusRank} < ${rank} or (${clips.statusRank} = ${rank} and ${clips.statusRank} < 3 and ${clips.audioUrl} is distinct from ${cols.audioUrl}))`,
          })
          .returning({ id: clips.id });
        if (moved.length) {
          events.push({ type: 'clip', data: { id: c.id, step: owner.index, status: c.status, audio_url: cols.audioUrl } });
          if (c.status === 'streaming') streamingClips.push(c.id);
        }
      }
      if (owner.clipIds.length === 0 && u.clips.length > 0) {
        await tx
          .update(steps)
          .set({ clipIds: u.clips.map((c) => c.id), updatedAt: now })
          .where(and(eq(steps.generationId, owner.generationId), eq(steps.index, owner.index)));
      }
      let finished = false;
      if (owner.state === 'running' && u.state !== 'running') {
        const set = await tx
          .update(steps)
          .set({ upstreamState: u.state, upstreamError: u.error ?? null, lyrics: u.lyrics ?? null, updatedAt: now })
          .where(and(eq(steps.generationId, owner.generationId), eq(steps.index, owner.index), eq(steps.upstreamState, 'running')))
          .returning({ index: steps.index });
        finished = set.length > 0;
      }
      await appendEvents(tx, owner.generationId, events);
      if (finished || events.length) changes.push({ generationId: owner.generationId, index: owner.index, finished, streamingClips });
    }
    return changes;
  });
}

/** Steps of one provider still waiting on upstream, oldest first. */
export async function waitingTasks(db: Db, provider: string, limit: number) {
  return db
    .select({ generationId: steps.generationId, index: steps.index, op: steps.op, taskId: steps.upstreamTaskId, clipIds: steps.clipIds })
    .from(steps)
    .where(and(eq(steps.provider, provider), eq(steps.status, 'waiting'), eq(steps.upstreamState, 'running')))
    .orderBy(asc(steps.submittedAt))
    .limit(limit);
}

/** The step succeeded; the last step's success is the generation's. Returns the new generation status. */
export async function succeedStep(
  db: Db,
  generationId: string,
  index: number,
  output: { clips: string[]; lyrics: LyricsResult | null },
  now = new Date(),
): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(steps)
      .set({ status: 'succeeded', finishedAt: now, updatedAt: now })
      .where(and(eq(steps.generationId, generationId), eq(steps.index, index), eq(steps.status, 'waiting')))
      .returning({ index: steps.index });
    if (!row) return null;
    const [{ remaining } = { remaining: 0 }] = await tx
      .select({ remaining: sql<number>`count(*)::int` })
      .from(steps)
      .where(and(eq(steps.generationId, generationId), sql`${steps.index} > ${index}`));
    const events: { type: 'generation' | 'step'; data: Record<string, unknown> }[] = [
      { type: 'step', data: { index, status: 'succeeded' } },
    ];
    let status: string | null = 'running';
    if (remaining === 0) {
      const done = await tx
        .update(generations)
        .set({ status: 'succeeded', output, finishedAt: now, updatedAt: now })
        .where(and(eq(generations.id, generationId), inArray(generations.status, ['queued', 'running'])))
        .returning({ id: generations.id });
      if (done.length) {
        events.push({ type: 'generation', data: { status: 'succeeded' } });
        status = 'succeeded';
      } else status = null;
    } else {
      await tx.update(generations).set({ updatedAt: now }).where(eq(generations.id, generationId));
    }
    await appendEvents(tx, generationId, events);
    return status;
  });
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

/** A pending step whose generation ended (canceled or failed) becomes canceled. */
export async function cancelPendingStep(db: Db, generationId: string, index: number, now = new Date()): Promise<void> {
  await db
    .update(steps)
    .set({ status: 'canceled', finishedAt: now, updatedAt: now })
    .where(and(eq(steps.generationId, generationId), eq(steps.index, index), inArray(steps.status, ['pending', 'submitting'])));
}

/** The step row owning a callback token hash. */
export async function stepByCallbackToken(db: Db, provider: string, tokenHash: string) {
  const [row] = await db
    .select({
      generationId: steps.generationId,
      index: steps.index,
      taskId: steps.upstreamTaskId,
      status: steps.status,
      tokenHash: steps.callbackTokenHash,
    })
    .from(steps)
    .where(and(eq(steps.provider, provider), eq(steps.callbackTokenHash, tokenHash)));
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
