import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from './connect';
import { clips, doorIds, generations, steps } from './schema';

type ClipRow = typeof clips.$inferSelect;
type StepRow = typeof steps.$inferSelect;
type GenerationRow = typeof generations.$inferSelect;

/**
 * What a door id stands for, read back from Postgres: its step, the clips upstream made
 * for that step so far, and the door's other ids of the same step (the clip slots and the
 * task id), so any door can render the whole task from one id.
 */
export interface DoorRecord {
  id: string;
  tenantId: string;
  door: string;
  kind: 'task' | 'clip';
  position: number | null;
  request: unknown;
  createdAt: Date;
  generation: Pick<GenerationRow, 'id' | 'status' | 'provider' | 'error' | 'metadata' | 'createdAt' | 'updatedAt' | 'finishedAt'>;
  step: Pick<StepRow, 'index' | 'op' | 'status' | 'input' | 'error' | 'lyrics' | 'upstreamTaskId' | 'startedAt' | 'submittedAt' | 'finishedAt'>;
  /** The step's upstream clips, in the order upstream gave them. */
  clips: ClipRow[];
  /** The door's clip ids of the step, by position. */
  slots: string[];
  /** The door's task id of the step, when it handed one out. */
  taskId: string | null;
}

const key = (generationId: string, index: number) => `${generationId}#${index}`;

/**
 * The records of door ids, in the order asked; ids that do not exist, or belong to another
 * tenant (when `tenantId` is given), are left out. Four queries whatever the number of ids.
 */
export async function loadDoorRecords(db: Db, tenantId: string | null, ids: readonly string[]): Promise<DoorRecord[]> {
  const wanted = [...new Set(ids)].filter((id) => id.length > 0 && id.length <= 200);
  if (wanted.length === 0) return [];
  const heads = await db
    .select({ d: doorIds, g: generations, s: steps })
    .from(doorIds)
    .innerJoin(generations, eq(generations.id, doorIds.generationId))
    .innerJoin(steps, and(eq(steps.generationId, doorIds.generationId), eq(steps.index, doorIds.stepIndex)))
    .where(and(inArray(doorIds.id, wanted), tenantId === null ? sql`true` : eq(doorIds.tenantId, tenantId)));
  if (heads.length === 0) return [];
  const generationIds = [...new Set(heads.map((h) => h.g.id))];
  const [clipRows, siblings] = await Promise.all([
    db.select().from(clips).where(inArray(clips.generationId, generationIds)).orderBy(asc(clips.position)),
    db.select().from(doorIds).where(inArray(doorIds.generationId, generationIds)).orderBy(asc(doorIds.position)),
  ]);
  const byStep = new Map<string, { clips: ClipRow[]; slots: string[]; taskId: string | null }>();
  const group = (g: string, i: number) => {
    const k = key(g, i);
    let v = byStep.get(k);
    if (!v) byStep.set(k, (v = { clips: [], slots: [], taskId: null }));
    return v;
  };
  for (const c of clipRows) group(c.generationId, c.stepIndex).clips.push(c);
  for (const d of siblings) {
    const v = group(d.generationId, d.stepIndex);
    if (d.kind === 'clip') v.slots.push(d.id);
    else v.taskId ??= d.id;
  }
  const found = new Map(
    heads.map(({ d, g, s }) => {
      const of = byStep.get(key(g.id, s.index)) ?? { clips: [], slots: [], taskId: null };
      const record: DoorRecord = {
        id: d.id,
        tenantId: d.tenantId,
        door: d.door,
        kind: d.kind as DoorRecord['kind'],
        position: d.position,
        request: d.request,
        createdAt: d.createdAt,
        generation: g,
        step: s,
        clips: of.clips,
        slots: of.slots,
        taskId: of.taskId,
      };
      return [d.id, record] as const;
    }),
  );
  return wanted.map((id) => found.get(id)).filter((r): r is DoorRecord => r !== undefined);
}

/** Any tenant's door id, for telling "another tenant's id" from "not a door id at all". */
export async function doorIdExists(db: Db, id: string): Promise<boolean> {
  const [row] = await db.select({ id: doorIds.id }).from(doorIds).where(eq(doorIds.id, id));
  return !!row;
}

/** The tenant's clip ids of one door, newest first (gcui's `GET /api/get` without ids). */
export async function listDoorClipIds(db: Db, tenantId: string, door: string, page: { limit: number; offset: number }): Promise<string[]> {
  const rows = await db
    .select({ id: doorIds.id })
    .from(doorIds)
    .where(and(eq(doorIds.tenantId, tenantId), eq(doorIds.door, door), eq(doorIds.kind, 'clip')))
    .orderBy(desc(doorIds.createdAt), asc(doorIds.position))
    .limit(page.limit)
    .offset(page.offset);
  return rows.map((r) => r.id);
}

/** The door task id of a generation's step 0 (door generations have one step), when a door made it. */
export async function doorTaskOf(db: Db, generationId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: doorIds.id })
    .from(doorIds)
    .where(and(eq(doorIds.generationId, generationId), eq(doorIds.kind, 'task'), isNull(doorIds.position)))
    .orderBy(asc(doorIds.stepIndex))
    .limit(1);
  return row?.id ?? null;
}
