import { countDroppedSlot } from '@refrain/observability';
import { SLOT_FRESH_MS, SLOT_LEAD_MS } from './budget-schedule';
import { memoryStore, type BudgetSnapshot, type SharedStore } from './shared-store';

/**
 * Who is asking, in the order a free slot is handed out within a process: a submission
 * whose intent is already recorded but whose first slot went stale (it must go out now),
 * status queries (a finished song must be noticed while a backlog of submissions drains),
 * other calls (lyrics, credits), then submissions. The poller caps its own share
 * (poll-plan.ts), so submissions always keep the rest.
 */
export type RequestLane = 'intent' | 'poll' | 'other' | 'submit';
export const LANES: readonly RequestLane[] = ['intent', 'poll', 'other', 'submit'];

export interface RateGateOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** How far ahead one process may book slots (bounds how long another process's poll waits). */
  maxAheadMs?: number;
  /** Most slots booked per round trip. */
  maxBatch?: number;
  /** The shared store failed: say so (the gate then falls back to a schedule of this process alone). */
  onStoreError?: (provider: string, err: Error) => void;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The shared gate every upstream request passes, one request at a time: a schedule of
 * evenly spaced slots per provider, shared by every worker through the store
 * (budget-schedule.ts), so `max_rps` holds across processes and kinds of call.
 *
 * Within a process, callers wait in per-lane queues; one loop per provider books slots for
 * them (several per round trip, never more than `maxAheadMs` ahead) and hands each slot,
 * when its time comes, to the first caller of the highest lane. A caller sleeps once; no
 * caller polls the store.
 */
export class RateGate {
  private readonly providers = new Map<string, ProviderQueue>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private fallback: SharedStore | null = null;

  constructor(
    private readonly store: SharedStore,
    private readonly opts: RateGateOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
  }

  /**
   * Resolves with a slot's time, up to SLOT_LEAD_MS before it: the request must not be sent
   * before that time, nor more than SLOT_FRESH_MS after it.
   */
  acquire(provider: string, maxRps: number, lane: RequestLane = 'other'): Promise<number> {
    let q = this.providers.get(provider);
    if (!q) {
      q = new ProviderQueue();
      this.providers.set(provider, q);
    }
    q.maxRps = maxRps;
    const granted = new Promise<number>((resolve) => q.lanes[lane].push(resolve));
    if (!q.running) void this.run(provider, q);
    return granted;
  }

  /** Callers of `provider` waiting in this process, by lane. */
  waiting(provider: string): Record<RequestLane, number> {
    const q = this.providers.get(provider);
    return Object.fromEntries(LANES.map((l) => [l, q?.lanes[l].length ?? 0])) as Record<RequestLane, number>;
  }

  /** The provider said 429: every worker holds its requests until `retryAfterMs` has passed, and the budget shrinks. */
  async throttle(provider: string, retryAfterMs: number): Promise<void> {
    await this.store.throttleBudget(provider, this.now(), retryAfterMs);
  }

  async state(provider: string): Promise<BudgetSnapshot> {
    return this.store.budgetState(provider, this.now());
  }

  private async run(provider: string, q: ProviderQueue): Promise<void> {
    q.running = true;
    try {
      while (q.size() > 0) {
        const t0 = this.now();
        const r = await this.book(provider, q, t0);
        if (r.offsets.length === 0) {
          await this.sleep(Math.max(1, r.retryInMs ?? 10) + Math.random() * 5);
          continue;
        }
        // Slot times by this process's clock from before the booking: never early, and a reply that came late shows as lateness.
        let handed = 0;
        for (const offset of r.offsets) {
          const at = t0 + offset;
          const wait = at - SLOT_LEAD_MS - this.now();
          if (wait > 0) await this.sleep(wait);
          // Handed out too late (a stalled event loop would send a burst): dropped, the caller takes the next one. Not twice
          // in a row for nothing, though: a process that is always this late must still make progress.
          if (this.now() - at > SLOT_FRESH_MS && q.staleBookings < 2) {
            countDroppedSlot(provider, 'late');
            continue;
          }
          q.next()?.(at);
          handed++;
        }
        q.staleBookings = handed ? 0 : q.staleBookings + 1;
      }
    } finally {
      q.running = false;
    }
  }

  private async book(provider: string, q: ProviderQueue, now: number) {
    const req = { now, maxRps: q.maxRps, n: Math.min(q.size(), this.opts.maxBatch ?? 64), maxAheadMs: this.opts.maxAheadMs ?? 250 };
    try {
      return await this.store.reserveSlots(provider, req);
    } catch (err) {
      // Without the shared store (Redis away: the queues are too), keep this process within max_rps on its own.
      this.opts.onStoreError?.(provider, err as Error);
      this.fallback ??= memoryStore(this.now);
      return this.fallback.reserveSlots(provider, req);
    }
  }
}

class ProviderQueue {
  readonly lanes: Record<RequestLane, ((at: number) => void)[]> = { intent: [], poll: [], other: [], submit: [] };
  running = false;
  maxRps = 1;
  /** Bookings in a row whose every slot came too late to hand out. */
  staleBookings = 0;

  size(): number {
    return this.lanes.intent.length + this.lanes.poll.length + this.lanes.other.length + this.lanes.submit.length;
  }

  next(): ((at: number) => void) | undefined {
    for (const lane of LANES) {
      const w = this.lanes[lane].shift();
      if (w) return w;
    }
    return undefined;
  }
}
