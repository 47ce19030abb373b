import type { SimDialect, SimRateLimit, SimRateStats } from './types';

/** Seconds of per-second counts kept per dialect (an hour: the longest benchmark phase fits). */
const KEEP_SECONDS = 3600;

/** One dialect's traffic over time: requests per calendar second, the busiest sliding second, 429s answered. */
class DialectRate {
  readonly seconds = new Map<number, number>();
  /** Arrival times within the last 1000 ms (the sliding window), and the admitted ones among them. */
  private window: number[] = [];
  private admitted: number[] = [];
  /** Admitted requests of the last few calendar seconds. */
  private readonly admittedBySecond = new Map<number, number>();
  busiestSecond: { at: number; requests: number } | null = null;
  busiestWindow = 0;
  limited = 0;
  requests = 0;

  /** Count a request at `at`; true when the limit refuses it (it still counts as received). */
  record(at: number, limit: SimRateLimit | null): boolean {
    this.requests++;
    const sec = Math.floor(at / 1000);
    const n = (this.seconds.get(sec) ?? 0) + 1;
    this.seconds.set(sec, n);
    if (this.seconds.size > KEEP_SECONDS) this.seconds.delete(this.seconds.keys().next().value!);
    if (!this.busiestSecond || n > this.busiestSecond.requests) this.busiestSecond = { at: sec, requests: n };
    const since = at - 1000;
    while (this.window.length && this.window[0]! <= since) this.window.shift();
    while (this.admitted.length && this.admitted[0]! <= since) this.admitted.shift();
    this.window.push(at);
    this.busiestWindow = Math.max(this.busiestWindow, this.window.length);
    if (!limit) return false;
    // Admitted requests count against the limit; refused ones do not (a client that slows down gets through).
    const used = limit.window === 'sliding' ? this.admitted.length : (this.admittedBySecond.get(sec) ?? 0);
    if (used >= limit.perSecond) {
      this.limited++;
      return true;
    }
    this.admitted.push(at);
    this.admittedBySecond.set(sec, (this.admittedBySecond.get(sec) ?? 0) + 1);
    if (this.admittedBySecond.size > 4) this.admittedBySecond.delete(this.admittedBySecond.keys().next().value!);
    return false;
  }

  snapshot(): SimRateStats {
    return { requests: this.requests, busiestSecond: this.busiestSecond, busiestWindow: this.busiestWindow, limited: this.limited };
  }
}

/**
 * Rate limiting and per-second counters of the dialect routes, one bucket per dialect (the
 * simulator has one key, so a dialect stands for a provider account): above the configured
 * `perSecond` a request is answered 429 with Retry-After, as a provider enforcing its limit
 * does. `window: 'second'` counts per calendar second of the simulator's clock; 'sliding'
 * per any 1000 ms. Every request counts in the per-second series, refused or not.
 */
export class RateCounters {
  private readonly byDialect = new Map<SimDialect, DialectRate>();

  private of(dialect: SimDialect): DialectRate {
    let d = this.byDialect.get(dialect);
    if (!d) {
      d = new DialectRate();
      this.byDialect.set(dialect, d);
    }
    return d;
  }

  /** Count a request; true when it is to be refused (429). */
  record(dialect: SimDialect, at: number, limit: SimRateLimit | null): boolean {
    return this.of(dialect).record(at, limit);
  }

  snapshot(): Partial<Record<SimDialect, SimRateStats>> {
    return Object.fromEntries([...this.byDialect].map(([d, r]) => [d, r.snapshot()]));
  }

  /** Requests per calendar second (epoch seconds as keys), per dialect. */
  seconds(): Partial<Record<SimDialect, Record<string, number>>> {
    return Object.fromEntries([...this.byDialect].map(([d, r]) => [d, Object.fromEntries(r.seconds)]));
  }

  reset(): void {
    this.byDialect.clear();
  }
}
