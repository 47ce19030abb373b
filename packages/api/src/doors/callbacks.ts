import { doorTaskOf, loadDoorRecords, type Database } from '@refrain/db';
import type { ProviderRuntime } from '@refrain/engine';
import { actionAnswer } from '@refrain/wire';
import { wireTask } from './action/answer';
import { doorTask, type DoorTask } from './core/task-view';
import type { DoorName } from './core/types';
import { relayTaskOf } from './relay/task';

/** The body a door's callback carries, by door; null for doors whose shapes have no callback. */
function bodyOf(door: DoorName, task: DoorTask): unknown {
  switch (door) {
    case 'relay':
      return relayTaskOf(task); // seed 003: the final task object, as fetch answers it
    case 'action':
      return actionAnswer(wireTask(task, `trace-${task.record.generation.id}`)); // AceData: {success, task_id, trace_id, data}
    case 'native':
    case 'gateway':
    case 'gcui':
      return null;
    default: {
      const unknown: never = door;
      throw new Error(`no door "${String(unknown)}"`);
    }
  }
}

/**
 * For the engine (EngineDeps.doorCallbackBody): the callback body of a generation a door
 * made, rendered from Postgres when the generation is final; null for other generations.
 */
export function createDoorCallbackBody(deps: { database: Database; providers: ReadonlyMap<string, ProviderRuntime> }) {
  return async (generationId: string): Promise<unknown> => {
    const taskId = await doorTaskOf(deps.database.db, generationId);
    if (!taskId) return null;
    const [record] = await loadDoorRecords(deps.database.db, null, [taskId]);
    if (!record) return null;
    const task = doorTask(record, deps.providers.get(record.generation.provider)?.adapter.defaultModel ?? 'chirp-v4');
    return bodyOf(record.door as DoorName, task);
  };
}
