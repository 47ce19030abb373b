import { applyTaskUpdates, recordTaskDurations, type AppliedChange, type RefusedClip, type TaskUpdate } from '@refrain/db';
import { clock, type EngineDeps } from './deps';
import { promoteStep } from './promote';
import { emitWebhookSafely } from './webhooks';

/**
 * Apply upstream news (a poll answer or a callback) the same way: compare-and-set into
 * Postgres, tell listeners, and wake the step jobs whose tasks finished; then learn from
 * the tasks that finished how long this provider takes (poll-plan.ts). Clips that belong
 * to another step are left alone, logged, and pushed to `refused`.
 */
export async function applyUpstreamNews(deps: EngineDeps, provider: string, updates: TaskUpdate[], refused: RefusedClip[] = []) {
  const now = clock(deps);
  const before = refused.length;
  const changes = await applyTaskUpdates(deps.database.db, provider, updates, new Date(now), refused);
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
  await learnDurations(deps, provider, changes, now);
  return changes;
}

/** Failed tasks are left out: a refusal ends a task at once and says nothing of how long songs take. */
async function learnDurations(deps: EngineDeps, provider: string, changes: AppliedChange[], now: number): Promise<void> {
  const samples = changes
    .filter((c) => c.finished && c.state === 'complete' && c.submittedAt && c.op)
    .map((c) => ({ op: c.op!, seconds: (now - c.submittedAt!.getTime()) / 1000 }));
  await recordTaskDurations(deps.database.db, provider, samples).catch((err: Error) =>
    deps.logger.warn({ provider, err: err.message }, 'could not record task durations'),
  );
}
