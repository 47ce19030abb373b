import { stepByCallbackToken } from '@refrain/db';
import type { EngineDeps } from './deps';

type CallbackStep = NonNullable<Awaited<ReturnType<typeof stepByCallbackToken>>>;

/**
 * A fast provider can call back before the worker has recorded what the submission
 * answered (the token is stored with the intent, the task id a moment later). Rather than
 * drop that callback and leave the step to the poller, wait for the record: the worker
 * publishes the generation's change right after it, and a slow re-read covers a lost
 * notification. Gives up after `timeoutMs` and returns the step as it then is.
 */
export async function awaitSubmissionRecord(deps: EngineDeps, provider: string, tokenHash: string, step: CallbackStep, timeoutMs = 3000): Promise<CallbackStep> {
  if (step.taskId !== null || step.status !== 'submitting') return step;
  const deadline = Date.now() + timeoutMs;
  let wake: () => void = () => {};
  const unsubscribe = deps.notifier.subscribe(step.generationId, () => wake());
  try {
    let current = step;
    while (current.taskId === null && current.status === 'submitting' && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(250, Math.max(deadline - Date.now(), 0)));
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      current = (await stepByCallbackToken(deps.database.db, provider, tokenHash)) ?? current;
    }
    return current;
  } finally {
    unsubscribe();
  }
}
