/**
 * The arithmetic of a provider's request budget, shared by every worker: one schedule of
 * request slots per provider, spaced evenly, and a budget factor that a 429 cuts and time
 * grows back. Pure functions over a small state, so the in-memory store runs exactly this
 * and the Redis store runs the same steps as one Lua script (shared-store.ts); the unit
 * tests drive it with an injected clock. docs/architecture.md, "Upstream budget".
 */

/**
 * "Any second" is any window of 1000 ms, wherever it starts (not a calendar second). Slots
 * are spaced (1000 + GUARD_MS) / max_rps apart, so any window of 1000 + GUARD_MS ms holds at
 * most max_rps of them: a request that reaches the provider up to GUARD_MS later than the
 * others (event loop, network) still cannot make a second of the provider's count overflow.
 */
export const WINDOW_MS = 1000;
export const GUARD_MS = 30;
/**
 * A slot is handed out, and used, at most this late (ms): the sender's own lateness (a busy
 * event loop, a late timer, the intent's round trip) stays within this part of the guard,
 * and the rest is left for the way to the provider. A later slot is dropped for a new one.
 */
export const SLOT_FRESH_MS = 15;
/**
 * A slot is handed out this long before its time, and the request waits for the time
 * itself: a submission records its intent meanwhile, and a late timer still has this slack.
 */
export const SLOT_LEAD_MS = 50;
/** A 429 cuts the budget to this share of what it was ... */
export const CUT = 0.7;
/** ... never below this share of max_rps ... */
export const MIN_FACTOR = 0.1;
/** ... and it grows back by this share of max_rps per second without a 429 (0.7 → 1 in 30 s). */
export const GROWTH_PER_S = 0.01;
/** 429s within this long of a cut answer the same overload: they cut once. */
export const CUT_COOLDOWN_MS = 1000;

export interface BudgetState {
  /** The next free slot (ms): slots before it are taken. */
  tat: number;
  /** Factor right after the last cut, and when it was (0: never cut). */
  floor: number;
  cutAt: number;
  /** Requests held until then after a 429's Retry-After (ms; 0: none). */
  pausedUntil: number;
}

export const freshBudget = (): BudgetState => ({ tat: 0, floor: 1, cutAt: 0, pausedUntil: 0 });

/** The share of max_rps the budget allows at `now` (1 unless a 429 cut it recently). */
export function budgetFactor(s: BudgetState, now: number): number {
  if (!s.cutAt) return 1;
  return Math.min(1, s.floor + (GROWTH_PER_S * Math.max(0, now - s.cutAt)) / 1000);
}

/** Milliseconds between two slots at this factor. */
export const slotIntervalMs = (maxRps: number, factor: number): number => (WINDOW_MS + GUARD_MS) / (maxRps * factor);

/** Requests per second the budget allows now (what the slots add up to). */
export const effectiveRps = (maxRps: number, factor: number): number => (WINDOW_MS / (WINDOW_MS + GUARD_MS)) * maxRps * factor;

export interface Reservation {
  /** When each granted slot is, in ms from `now` (0 = at once), in order. */
  offsets: number[];
  /** Nothing granted: ask again in this many ms. */
  retryInMs: number | null;
  factor: number;
}

/**
 * Book up to `n` consecutive slots, none more than `maxAheadMs` after now (the first one is
 * always granted unless the provider is paused or booked further ahead than that).
 */
export function reserve(s: BudgetState, now: number, maxRps: number, n: number, maxAheadMs: number): Reservation {
  const factor = budgetFactor(s, now);
  if (s.pausedUntil > now) return { offsets: [], retryInMs: s.pausedUntil - now, factor };
  const step = slotIntervalMs(maxRps, factor);
  const start = Math.max(s.tat, now);
  if (start - now > maxAheadMs) return { offsets: [], retryInMs: start - now - maxAheadMs, factor };
  const offsets: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = start + i * step;
    if (i > 0 && at - now > maxAheadMs) break;
    offsets.push(at - now);
  }
  s.tat = start + offsets.length * step;
  return { offsets, retryInMs: null, factor };
}

/**
 * The provider answered 429: hold every request until its Retry-After, and cut the budget
 * (once per overload: several answers to the same burst cut it once).
 */
export function throttle(s: BudgetState, now: number, retryAfterMs: number): void {
  if (!s.cutAt || now - s.cutAt >= CUT_COOLDOWN_MS) {
    s.floor = Math.max(MIN_FACTOR, budgetFactor(s, now) * CUT);
    s.cutAt = now;
  }
  s.pausedUntil = Math.max(s.pausedUntil, now + retryAfterMs);
  s.tat = Math.max(s.tat, s.pausedUntil);
}
