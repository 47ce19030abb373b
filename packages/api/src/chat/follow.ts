import { FINAL_GENERATION_STATUSES, type GenerationStatus } from '@refrain/contracts';
import { eventsSince, type GenerationEvent } from '@refrain/db';
import type { EngineDeps } from '@refrain/engine';

export type FollowEnd = 'final' | 'timeout' | 'aborted';

const isFinalEvent = (e: GenerationEvent): boolean =>
  e.type === 'generation' && FINAL_GENERATION_STATUSES.includes(e.data.status as GenerationStatus);

/**
 * Hand each event of a generation to `onEvent`, in order, until it is final, the signal
 * aborts or `seconds` pass. Reads happen only when the shared notifier says the
 * generation changed (plus once at the start), never on a timer: many open streams cost
 * no database load while nothing happens.
 */
export async function followGeneration(
  deps: EngineDeps,
  generationId: string,
  seconds: number,
  signal: AbortSignal,
  onEvent: (e: GenerationEvent) => void,
): Promise<FollowEnd> {
  let dirty = true; // subscribed before the first read, so no change falls in between
  let wake: () => void = () => {};
  const unsubscribe = deps.notifier.subscribe(generationId, () => {
    dirty = true;
    wake();
  });
  const onAbort = () => wake();
  signal.addEventListener('abort', onAbort);
  const deadline = Date.now() + seconds * 1000;
  let lastId = 0;
  try {
    for (;;) {
      if (signal.aborted) return 'aborted';
      if (dirty) {
        dirty = false;
        const events = await eventsSince(deps.database.db, generationId, lastId);
        for (const e of events) {
          lastId = e.id;
          onEvent(e);
          if (isFinalEvent(e)) return 'final';
        }
        if (events.length === 500) dirty = true; // a full page: read on
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}
