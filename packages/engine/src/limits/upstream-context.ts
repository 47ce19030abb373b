import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestLane } from './rate-gate';

/**
 * What the engine is doing when an adapter's HTTP request reaches the gate: the lane it
 * queues in, and the slot it already holds, if any (a submission takes its slot before it
 * records its intent, so the intent is never left waiting on the gate).
 */
export interface UpstreamContext {
  lane: RequestLane;
  /** When the slot this context holds came (ms), or null. */
  grantedAt: number | null;
  /** Requests sent in this context (each chunk of a query counts). */
  requests: number;
}

const storage = new AsyncLocalStorage<UpstreamContext>();

/** Run `fn` with every upstream request it makes counted in `ctx` and queued in its lane. */
export function inUpstreamContext<T>(ctx: UpstreamContext, fn: () => Promise<T>): Promise<T> {
  return storage.run(ctx, fn);
}

export const upstreamContext = (): UpstreamContext | undefined => storage.getStore();
