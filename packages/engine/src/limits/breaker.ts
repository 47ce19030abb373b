import type { SharedStore } from './shared-store';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  threshold: number;
  /** How long it stays open before one probe may go through. */
  cooldownMs: number;
  now?: () => number;
  onChange?: (provider: string, from: BreakerState, to: BreakerState) => void;
}

/**
 * A circuit breaker per provider, shared by all workers through the store. After
 * `threshold` consecutive failures it opens: calls are refused (steps wait) until the
 * cooldown ends; then one probe goes through, and its outcome closes or reopens it.
 */
export class CircuitBreaker {
  constructor(
    private readonly store: SharedStore,
    private readonly opts: BreakerOptions,
  ) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  async state(provider: string): Promise<{ state: BreakerState; openUntil: number | null }> {
    const until = Number((await this.store.get(`breaker:${provider}:open_until`)) ?? 0);
    if (!until) return { state: 'closed', openUntil: null };
    return { state: this.now() < until ? 'open' : 'half_open', openUntil: until };
  }

  /** May a call go out now? Returns the time to wait until otherwise. */
  async admit(provider: string): Promise<{ ok: true } | { ok: false; retryAt: number }> {
    const { state, openUntil } = await this.state(provider);
    if (state === 'closed') return { ok: true };
    if (state === 'open') return { ok: false, retryAt: openUntil! };
    // half-open: one probe at a time across all workers
    const probe = await this.store.setIfAbsent(`breaker:${provider}:probe`, '1', this.opts.cooldownMs);
    return probe ? { ok: true } : { ok: false, retryAt: this.now() + Math.min(this.opts.cooldownMs, 1000) };
  }

  async success(provider: string): Promise<void> {
    // One round trip on the usual path: read the breaker and reset the failure count together.
    const until = Number((await this.store.getAndDel(`breaker:${provider}:open_until`, [`breaker:${provider}:failures`])) ?? 0);
    const before: { state: BreakerState } = { state: !until ? 'closed' : this.now() < until ? 'open' : 'half_open' };
    if (before.state !== 'closed') {
      await this.store.del(`breaker:${provider}:open_until`);
      await this.store.del(`breaker:${provider}:probe`);
      this.opts.onChange?.(provider, before.state, 'closed');
    }
  }

  async failure(provider: string): Promise<void> {
    const before = await this.state(provider);
    const n = await this.store.incr(`breaker:${provider}:failures`, 10 * 60_000);
    if (before.state === 'half_open' || (before.state === 'closed' && n >= this.opts.threshold)) {
      await this.store.set(`breaker:${provider}:open_until`, String(this.now() + this.opts.cooldownMs));
      await this.store.del(`breaker:${provider}:probe`);
      this.opts.onChange?.(provider, before.state, 'open');
    }
  }
}
