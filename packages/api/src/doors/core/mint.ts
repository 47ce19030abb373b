import { randomUUID } from 'node:crypto';
import type { Op } from '@refrain/contracts';
import type { NewDoorId } from '@refrain/db';
import type { DoorName } from './types';

/** How many clips each operation's answer has (Suno makes two songs; an upload or a concat is one clip). */
export const CLIPS_PER_OP: Record<Op, number> = {
  generate: 2,
  extend: 2,
  cover: 2,
  replace_section: 2,
  persona: 2,
  stems: 2,
  upload: 1,
  concat: 1,
  lyrics: 0,
};

export interface MintedIds {
  /** The task (or lyrics) id, when the door's shape has one. */
  taskId: string | null;
  /** One id per clip slot of the answer, usable at once. */
  clipIds: string[];
  rows: NewDoorId[];
}

/**
 * Ids for a door's answer, made before anything goes upstream (Refrain cannot know upstream
 * ids yet). UUIDs, as Suno's and the relays' ids are. The door's request is kept with the
 * first row (AceData's task records show it back).
 */
export function mintDoorIds(door: DoorName, op: Op, opts: { task: boolean; request: unknown }): MintedIds {
  const taskId = opts.task ? randomUUID() : null;
  const clipIds = Array.from({ length: CLIPS_PER_OP[op] }, () => randomUUID());
  const rows: NewDoorId[] = [
    ...(taskId ? [{ id: taskId, door, kind: 'task' as const, stepIndex: 0, position: null, request: opts.request }] : []),
    ...clipIds.map((id, position) => ({ id, door, kind: 'clip' as const, stepIndex: 0, position, request: !taskId && position === 0 ? opts.request : null })),
  ];
  return { taskId, clipIds, rows };
}
