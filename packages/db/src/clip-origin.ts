import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from './connect';
import { clips, steps } from './schema';

/** Where a clip came from, as a later step that names it by id needs to know. */
export interface ClipOrigin {
  /** The upstream task that made it (a relay continuation sends it). */
  taskId: string | null;
  /** It came from an upload (extending or covering it is its own request). */
  uploaded: boolean;
  /** It came from a replaced section (native concat then sends `is_infill`). */
  infill: boolean;
}

/**
 * A clip a step names by id (`continue_clip_id`, `clip_id`), looked up among the clips
 * Refrain recorded for that provider — a clip of an earlier generation, as a front door's
 * continuation names one. Null when Refrain never saw it (the upstream then judges the id).
 */
export async function clipOrigin(db: Db, provider: string, clipId: string): Promise<ClipOrigin | null> {
  return clipHolder(db, [provider], clipId);
}

/**
 * Which of `providers` holds a clip a step names (a pool's members): the provider Refrain
 * recorded it for, with its origin. Null when Refrain never saw it on any of them.
 */
export async function clipHolder(db: Db, providers: readonly string[], clipId: string): Promise<(ClipOrigin & { provider: string }) | null> {
  const [row] = await db
    .select({ provider: clips.provider, taskId: steps.upstreamTaskId, uploaded: clips.uploaded, op: steps.op })
    .from(clips)
    .innerJoin(steps, and(eq(steps.generationId, clips.generationId), eq(steps.index, clips.stepIndex)))
    .where(and(inArray(clips.provider, [...providers]), eq(clips.id, clipId)))
    .limit(1);
  return row ? { provider: row.provider, taskId: row.taskId, uploaded: row.uploaded || row.op === 'upload', infill: row.op === 'replace_section' } : null;
}

/** The inputs of the steps after `index` (a pool's choice must suit the steps that follow on its clips). */
export async function laterStepInputs(db: Db, generationId: string, index: number): Promise<unknown[]> {
  const rows = await db
    .select({ input: steps.input })
    .from(steps)
    .where(and(eq(steps.generationId, generationId), gt(steps.index, index)))
    .orderBy(asc(steps.index));
  return rows.map((r) => r.input);
}
