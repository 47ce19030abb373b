import type { UpstreamError } from '@refrain/core';
import type { SubmitRequest, TaskRef, TaskSnapshot } from './types';

/**
 * Recovery of a submission whose outcome is unknown, for dialects that query by task id:
 * when the failed answer named a task (an AceData 504 carries `task_id`), ask about it.
 * Found: that is the step's task. The query failing: the id is still the upstream's
 * word, so the step waits on it (polls and its deadline decide). Not found, or no id
 * named: undefined, and the step fails with submit_outcome_unknown.
 */
export async function recoverNamedTask(
  query: (refs: TaskRef[]) => Promise<TaskSnapshot[]>,
  req: SubmitRequest,
  err: UpstreamError,
): Promise<TaskSnapshot | undefined> {
  const taskId = err.taskId;
  if (!taskId) return undefined;
  try {
    const [found] = await query([{ taskId, clipIds: [], op: req.op }]);
    return found;
  } catch {
    return { taskId, state: 'running', clips: [] };
  }
}
