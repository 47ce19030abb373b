import { and, eq } from 'drizzle-orm';
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
  const [row] = await db
    .select({ taskId: steps.upstreamTaskId, uploaded: clips.uploaded, op: steps.op })
    .from(clips)
    .innerJoin(steps, and(eq(steps.generationId, clips.generationId), eq(steps.index, clips.stepIndex)))
    .where(and(eq(clips.provider, provider), eq(clips.id, clipId)));
  return row ? { taskId: row.taskId, uploaded: row.uploaded || row.op === 'upload', infill: row.op === 'replace_section' } : null;
}
