import { applyTaskUpdates, type RefusedClip, type TaskUpdate } from '@refrain/db';
import type { EngineDeps } from './deps';
import { promoteStep } from './promote';
import { emitWebhookSafely } from './webhooks';

/**
 * Apply upstream news (a poll answer or a callback) the same way: compare-and-set into
 * Postgres, tell listeners, and wake the step jobs whose tasks finished. Clips that belong
 * to another step are left alone, logged, and pushed to `refused`.
 */
export async function applyUpstreamNews(deps: EngineDeps, provider: string, updates: TaskUpdate[], refused: RefusedClip[] = []) {
  const before = refused.length;
  const changes = await applyTaskUpdates(deps.database.db, provider, updates, new Date((deps.now ?? Date.now)()), refused);
  for (const r of refused.slice(before)) {
    deps.logger.warn({ provider, clipId: r.id, generationId: r.generationId, step: r.index }, 'update names a clip of another step: refused');
  }
  const generations = new Set(changes.map((c) => c.generationId));
  await Promise.all([...generations].map((id) => deps.notifier.publish(id)));
  await Promise.all(changes.filter((c) => c.finished).map((c) => promoteStep(deps.kit, c.generationId, c.index)));
  for (const c of changes) {
    if (c.webhooks === false) continue; // the generation has no callback_url
    for (const clipId of c.streamingClips) await emitWebhookSafely(deps, c.generationId, 'clip.streaming', clipId);
  }
  return changes;
}
