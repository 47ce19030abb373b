import type { StepContext } from '@refrain/db';
import { applyUpstreamNews } from './apply';
import type { EngineDeps } from './deps';

/** How long past its deadline a step may wait for its provider to answer that last look. */
export const LAST_LOOK_GRACE_MS = 60_000;

export type LastLook = 'finished' | 'running' | 'unanswered';

/**
 * Before a step fails at its deadline, its task is asked about once more: a task that
 * finished while polling could not reach the provider (an outage, an open circuit, a
 * poll tick lost with a worker) is a song already paid for (docs/reliability.md).
 */
export async function lastLook(deps: EngineDeps, ctx: StepContext, log: EngineDeps['logger']): Promise<LastLook> {
  const runtime = deps.providers.get(ctx.step.provider);
  const taskId = ctx.step.upstreamTaskId;
  if (!runtime || !taskId) return 'running';
  try {
    const ref = { taskId, clipIds: ctx.step.clipIds, op: ctx.step.op as never };
    const { value } = await deps.guard.call(runtime.config, 'poll', () => runtime.adapter.query([ref]));
    const changes = await applyUpstreamNews(deps, runtime.config.name, value);
    const mine = changes.find((c) => c.generationId === ctx.step.generationId && c.index === ctx.step.index);
    if (mine?.finished) log.info({ taskId }, 'the task finished before its deadline, and only the last look saw it');
    return mine?.finished ? 'finished' : 'running';
  } catch (err) {
    log.warn({ taskId, err: (err as Error).message }, 'the last look at a task past its deadline got no answer');
    return 'unanswered';
  }
}
