import type { SharedStore } from './shared-store';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Upstream request pacing per provider, across all workers: at most `max_rps` requests
 * in any one-second window, and a provider-wide pause after a 429 with Retry-After.
 */
export class RateGate {
  constructor(
    private readonly store: SharedStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key counting requests to `provider` in the second of `t`. */
  static counter(provider: string, t: number): string {
    return `rps:${provider}:${Math.floor(t / 1000)}`;
  }

  /** Wait until a request to `provider` may go out. Gives up after `maxWaitMs`. */
  async acquire(provider: string, maxRps: number, maxWaitMs = 30_000): Promise<void> {
    const started = this.now();
    for (;;) {
      const paused = Number((await this.store.get(`pause:${provider}`)) ?? 0);
      const t = this.now();
      if (paused > t) {
        await sleep(Math.min(paused - t, maxWaitMs));
      } else {
        const second = Math.floor(t / 1000);
        const n = await this.store.incr(RateGate.counter(provider, t), 2000);
        if (n <= Math.max(1, Math.floor(maxRps))) return;
        await sleep((second + 1) * 1000 - t + Math.floor(Math.random() * 20));
      }
      if (this.now() - started > maxWaitMs) return; // never block a job forever; the upstream decides
    }
  }

  /** The provider said 429: every worker holds its requests until then. */
  async pause(provider: string, ms: number): Promise<void> {
    await this.store.set(`pause:${provider}`, String(this.now() + ms), ms + 1000);
  }

  async pausedUntil(provider: string): Promise<number | null> {
    const v = Number((await this.store.get(`pause:${provider}`)) ?? 0);
    return v > this.now() ? v : null;
  }
}
