import type { Request, Response } from 'express';
import type { Op, WebhookEvent } from '@refrain/contracts';
import { submitGeneration } from '../../create-generation';
import type { ApiDeps } from '../../deps';
import { tenantOf } from '../../http/auth';
import { HttpProblem } from '../../http/problem';
import { failureProblem, inDoorWords } from './errors';
import { holdAnswer, submitted } from './hold';
import { loadDoorTask } from './load';
import { mintDoorIds } from './mint';
import type { DoorTask } from './task-view';
import type { DoorName } from './types';

export interface DoorSubmission {
  door: DoorName;
  /** The one step the request makes, in Refrain's step fields (Suno's names); clip ids already resolved. */
  step: { op: Op } & Record<string, unknown>;
  /** The provider that holds the clip the step works on; unset: the default provider, as POST /v1/generations picks it. */
  provider?: string;
  /** The door's callback (`notify_hook`, `callback_url`), already past the URL guard. */
  callbackUrl?: string | null;
  /** The body as the client sent it. */
  request: unknown;
  /** Whether the door's shape names the task (relay, native batch, action, lyrics) or only its clips (gateway, gcui). */
  task: boolean;
  /** The door's names for the step's fields, for its error messages (action: `prompt` → `lyric`…). */
  names?: Readonly<Record<string, string>>;
}

/** A door callback goes out once the generation is final, like these webhooks. */
const FINAL_EVENTS: WebhookEvent[] = ['generation.succeeded', 'generation.failed', 'generation.canceled'];

/**
 * How long a submission's answer waits for the upstream to take the step (or refuse it, in
 * its own words). Past this the door answers anyway: its ids are valid before upstream has
 * said anything.
 */
export const SUBMIT_SETTLE_S = 10;

/**
 * A door request becomes an ordinary durable generation (validated, planned, written to
 * Postgres with the door's ids in one statement, queued), then the answer waits until the
 * upstream took or refused the step. A refusal is answered in the door's words and status.
 */
export async function submitThroughDoor(deps: ApiDeps, req: Request, res: Response, s: DoorSubmission): Promise<DoorTask> {
  const tenantId = tenantOf(res);
  const minted = mintDoorIds(s.door, s.step.op, { task: s.task || s.step.op === 'lyrics', request: s.request });
  const request = {
    steps: [s.step],
    ...(s.provider ? { provider: s.provider } : {}),
    metadata: { source: 'door', door: s.door },
    ...(s.callbackUrl ? { callback_url: s.callbackUrl, webhook_events: FINAL_EVENTS } : {}),
  };
  let generationId: string;
  try {
    generationId = (await submitGeneration(deps, tenantId, request, req.log ?? deps.logger, { doorIds: minted.rows })).id;
  } catch (err) {
    throw err instanceof HttpProblem ? inDoorWords(err, s.names) : err;
  }
  res.setHeader('x-refrain-generation-id', generationId);
  await holdAnswer(deps, req, res, generationId, SUBMIT_SETTLE_S, submitted);
  const task = await loadDoorTask(deps, tenantId, minted.taskId ?? minted.clipIds[0]!);
  if (!task) throw new Error(`door ids of generation ${generationId} are missing`);
  if (task.phase === 'failed') throw failureProblem(task);
  return task;
}
