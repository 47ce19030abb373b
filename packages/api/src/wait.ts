import { isFinalGeneration, type GenerationView } from '@refrain/contracts';
import { loadGeneration } from '@refrain/db';
import type { EngineDeps } from '@refrain/engine';

/**
 * Hold until the generation is final or `seconds` pass. Woken by the shared notification
 * channel, never by polling the database.
 */
export function waitForFinal(deps: EngineDeps, tenantId: string, id: string, seconds: number, signal?: AbortSignal): Promise<GenerationView | null> {
  return waitUntil(deps, tenantId, id, seconds, (view) => isFinalGeneration(view.status), signal);
}

/**
 * Hold until `done` holds for the generation (or it is final) or `seconds` pass, read again
 * only when the notification channel says it changed. The front doors wait on this for a
 * submission to be answered upstream, and for their long holds.
 */
export async function waitUntil(
  deps: EngineDeps,
  tenantId: string,
  id: string,
  seconds: number,
  done: (view: GenerationView) => boolean,
  signal?: AbortSignal,
): Promise<GenerationView | null> {
  let wake: () => void = () => {};
  let changed = false;
  const unsubscribe = deps.notifier.subscribe(id, () => {
    changed = true;
    wake();
  });
  const deadline = Date.now() + seconds * 1000;
  const onAbort = () => wake();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let view = await loadGeneration(deps.database.db, id, tenantId);
    while (view && !isFinalGeneration(view.status) && !done(view) && Date.now() < deadline && !signal?.aborted) {
      if (!changed) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.max(deadline - Date.now(), 0));
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
      changed = false;
      view = await loadGeneration(deps.database.db, id, tenantId);
    }
    return view;
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
  }
}

/** `?wait=N` or `Prefer: wait=N`, capped at 60 s. */
export function requestedWait(query: number | undefined, prefer: string | undefined): number {
  const fromPrefer = prefer ? /(?:^|[,;\s])wait=(\d+(?:\.\d+)?)/i.exec(prefer)?.[1] : undefined;
  const n = query ?? (fromPrefer ? Number(fromPrefer) : 0);
  return Math.min(Math.max(Number.isFinite(n) ? n : 0, 0), 60);
}
