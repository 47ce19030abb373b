import { loadDoorRecords, type DoorRecord } from '@refrain/db';
import type { ApiDeps } from '../../deps';
import { doorTask, type DoorTask } from './task-view';

const defaultModelOf = (deps: ApiDeps, r: DoorRecord): string => deps.providers.get(r.generation.provider)?.adapter.defaultModel ?? 'chirp-v4';

/**
 * The tasks behind door ids of this tenant, one per id asked (in order; unknown ids and
 * other tenants' ids are left out, as a feed leaves out ids it does not know). Ids another
 * door handed out count too: a clip made through one door can be read through another.
 */
export async function loadDoorTasks(deps: ApiDeps, tenantId: string, ids: readonly string[]): Promise<{ id: string; task: DoorTask }[]> {
  const records = await loadDoorRecords(deps.database.db, tenantId, ids);
  return records.map((r) => ({ id: r.id, task: doorTask(r, defaultModelOf(deps, r)) }));
}

/** One task by a door id, or null ("not found" for the door to say in its own words). */
export async function loadDoorTask(deps: ApiDeps, tenantId: string, id: string): Promise<DoorTask | null> {
  return (await loadDoorTasks(deps, tenantId, [id]))[0]?.task ?? null;
}
