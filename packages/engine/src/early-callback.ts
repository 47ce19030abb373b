import { recordSubmission, stepByCallbackToken, type TaskUpdate } from '@refrain/db';
import { providerOf, type EngineDeps } from './deps';

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

/**
 * A callback for a step still `submitting` after the wait above: the worker that sent the
 * submission died before it recorded the answer (or could not write it). The callback,
 * which only the provider holding this step's token can send, names the task: record it,
 * as the worker would have, so the song is not lost and nothing is submitted again.
 */
export async function adoptCallbackTask(deps: EngineDeps, provider: string, tokenHash: string, step: CallbackStep, taskId: string): Promise<CallbackStep> {
  if (step.taskId !== null || step.status !== 'submitting') return step;
  const { config } = providerOf(deps, provider);
  // The task only: its clips then come through the ordinary path, with its ownership checks.
  const task: TaskUpdate = { taskId, state: 'running', clips: [] };
  // Submitted when the intent was recorded (what the learned durations count from), with the deadline it would have had.
  const submittedAt = step.updatedAt;
  const deadline = new Date(submittedAt.getTime() + config.deadline_s * 1000);
  const adopted = await recordSubmission(deps.database.db, step.generationId, step.index, provider, task, deadline, step.op === 'upload', submittedAt);
  if (adopted) {
    deps.logger.warn({ provider, generationId: step.generationId, step: step.index, taskId }, 'an interrupted submission was recorded from its callback');
    await deps.notifier.publish(step.generationId);
  }
  return (await stepByCallbackToken(deps.database.db, provider, tokenHash)) ?? step;
}
