import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'express';
import type { SimContext } from './context';
import { isFinal } from './tasks';
import type { SimTask } from './types';

/**
 * Holds a request (real time) until its task is final, `maxMs` passes, or the client
 * leaves: the blocking answers (action without async, gateway chatgpt) wait like this.
 */
export async function waitFinal(ctx: SimContext, task: SimTask, res: Response, maxMs: number): Promise<'final' | 'timeout' | 'aborted'> {
  const ac = new AbortController();
  ctx.waiters.add(ac);
  const onClose = (): void => ac.abort();
  res.once('close', onClose);
  const deadline = Date.now() + maxMs;
  try {
    while (!isFinal(ctx.store.phase(task))) {
      if (Date.now() >= deadline) return 'timeout';
      const left = task.createdAt + task.durationMs - ctx.now();
      await sleep(Math.max(1, Math.min(100, Math.max(5, left), deadline - Date.now())), undefined, { signal: ac.signal });
    }
    return 'final';
  } catch {
    return 'aborted';
  } finally {
    res.off('close', onClose);
    ctx.waiters.delete(ac);
  }
}
