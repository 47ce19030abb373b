import type { Request, Response } from 'express';
import type { GenerationView } from '@refrain/contracts';
import type { ApiDeps } from '../../deps';
import { tenantOf } from '../../http/auth';
import { waitUntil } from '../../wait';

/**
 * Hold a door's answer until `done` holds for its generation (or it is final) or `seconds`
 * pass: a long-lived connection on the same notification channel as `?wait` (no polling).
 * A client that hangs up only ends the hold; the generation goes on.
 */
export async function holdAnswer(
  deps: ApiDeps,
  _req: Request,
  res: Response,
  generationId: string,
  seconds: number,
  done: (view: GenerationView) => boolean = () => false,
): Promise<{ aborted: boolean }> {
  const abort = new AbortController();
  const onClose = () => abort.abort();
  res.on('close', onClose);
  try {
    await waitUntil(deps, tenantOf(res), generationId, seconds, done, abort.signal);
    return { aborted: abort.signal.aborted || res.writableEnded };
  } finally {
    res.off('close', onClose);
  }
}

/**
 * Takes a slot for a long-lived connection, where the app counts them (`doorRoutes`'
 * `holdConnection`: the API's per-key and per-tenant connection caps). Called before anything
 * is made, so a refusal (429 in the door's envelope) creates no song; the slot is given back
 * when the response closes.
 */
export async function takeConnectionSlot(res: Response): Promise<void> {
  const hold = res.locals[HOLD_CONNECTION] as HoldConnection | undefined;
  if (hold) await hold(res);
}

export type HoldConnection = (res: Response) => Promise<void>;
export const HOLD_CONNECTION = 'doorHoldConnection';

/** A generation whose first step has been answered upstream (accepted, or refused), or is final. */
export const submitted = (view: GenerationView): boolean => !['pending', 'submitting'].includes(view.steps[0]?.status ?? 'pending');
