import type { Response } from 'express';
import type { SimContext } from './context';
import type { SimTask } from './types';

/**
 * Sends a submit answer, after the task's `[sim:hold=<ms>]` when it has one: the task is
 * made and paid for already, only the answer is late (a client that gives up first has an
 * unknown outcome, and must not send it again).
 */
export function answerSubmit(ctx: SimContext, task: SimTask, res: Response, send: () => void): void {
  const ms = task.holdMs ?? 0;
  if (ms <= 0) {
    send();
    return;
  }
  const timer = setTimeout(() => {
    ctx.held.delete(timer);
    if (!res.destroyed && !res.writableEnded) send();
  }, ms);
  timer.unref();
  ctx.held.set(timer, { destroy: () => res.destroy() });
}
