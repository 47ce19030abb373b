/**
 * Time that moves only when the test says so: `sleep` parks a promise until the clock
 * reaches its end, and `run` advances to each parked end in turn (after letting every
 * pending promise chain settle), so concurrent callers interleave as they would in real
 * time, deterministically and at once.
 */
export class VirtualTime {
  t: number;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  constructor(start = 1_700_000_000_123) {
    this.t = start;
  }

  now = (): number => this.t;

  sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
    });

  /** Let every pending microtask and promise chain run (the in-memory store answers through them). */
  async settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }

  /** Advance through parked sleeps until none is left, or until `until` (ms since epoch). */
  async run(until = Number.POSITIVE_INFINITY): Promise<void> {
    for (;;) {
      await this.settle();
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0]!;
      if (next.at > until) {
        this.t = until;
        return;
      }
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
  }
}

/** A small seeded PRNG (mulberry32): the same scenarios on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The most timestamps in any half-open window [t, t + windowMs), wherever it starts. */
export function busiestWindow(times: readonly number[], windowMs = 1000): number {
  const s = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    while (j < s.length && s[j]! < s[i]! + windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}
