import { doorIdExists, loadDoorRecords } from '@refrain/db';
import type { ApiDeps } from '../../deps';
import { problem } from '../../http/problem';

/** A clip a door request names, as the step must name it: the upstream's id, on the provider that holds it. */
export interface ClipRef {
  clipId: string;
  /** The provider of the generation that made it; unset for an id Refrain did not hand out. */
  provider?: string;
  /** Its length in seconds, when known (gcui's extend defaults `continue_at` to the end of the song). */
  duration?: number | null;
}

/**
 * A clip id a client sends (`continue_clip_id`, `audio_id`, `clip_id`): a door id of this
 * tenant resolves to the upstream clip in its slot; another tenant's door id is not found;
 * any other id is passed on as it is (the upstream's own id, as POST /v1/generations takes it).
 */
export async function resolveClipRef(deps: ApiDeps, tenantId: string, given: string, field: string): Promise<ClipRef> {
  const [record] = await loadDoorRecords(deps.database.db, tenantId, [given]);
  if (record) {
    if (record.kind !== 'clip' || record.position === null) throw problem(400, `${field}: "${given}" is a task id, not a clip id`);
    const clip = record.clips[record.position];
    if (!clip) throw problem(400, `${field}: clip "${given}" is not made yet; use it once it is complete`);
    return { clipId: clip.id, provider: record.generation.provider, duration: clip.duration };
  }
  if (await doorIdExists(deps.database.db, given)) throw problem(404, `${field}: no clip "${given}"`);
  return { clipId: given };
}
