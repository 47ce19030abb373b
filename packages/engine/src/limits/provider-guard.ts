import type { ProviderConfig } from '@refrain/contracts';
import { RefrainError, UpstreamError } from '@refrain/core';
import { setCircuitBreakerState, type Logger } from '@refrain/observability';
import { CircuitBreaker, type BreakerState } from './breaker';
import { RateGate } from './rate-gate';
import type { SharedStore } from './shared-store';

/** The provider is not to be called right now (breaker open); try again at `retryAfterMs`. */
export class ProviderBusyError extends RefrainError {
  constructor(provider: string, retryAfterMs: number) {
    super({ code: 'upstream_unavailable', retry: true, retryAfterMs, message: `provider "${provider}" is resting (circuit open)` });
    this.name = 'ProviderBusyError';
  }
}

/** An error that should make a step wait, not spend one of its attempts. */
export const isSlowDown = (e: unknown): e is RefrainError =>
  e instanceof ProviderBusyError || (e instanceof UpstreamError && e.httpStatus === 429);

/**
 * Every upstream call goes through here: circuit breaker first, then the shared rate
 * gate; the outcome feeds the breaker, and a 429 pauses the provider for every worker.
 * Limits never fail a call by themselves going wrong: store errors let the call through.
 */
export class ProviderGuard {
  readonly breaker: CircuitBreaker;
  readonly gate: RateGate;

  constructor(
    store: SharedStore,
    private readonly logger: Logger,
    opts: { threshold?: number; cooldownMs?: number; now?: () => number } = {},
  ) {
    this.breaker = new CircuitBreaker(store, {
      threshold: opts.threshold ?? 5,
      cooldownMs: opts.cooldownMs ?? 10_000,
      now: opts.now,
      onChange: (provider, from, to) => {
        logger.warn({ provider, from, to }, `circuit breaker ${to}`);
        setCircuitBreakerState(provider, to);
      },
    });
    this.gate = new RateGate(store, opts.now);
    this.store = store;
    this.now = opts.now ?? Date.now;
  }

  private readonly store: SharedStore;
  private readonly now: () => number;
  /** Providers whose breaker had no failures to reset when this process last looked (at its last permit). */
  private readonly quiet = new Map<string, boolean>();

  /** Wait for permission to call (rate), or throw ProviderBusyError (breaker open). */
  async permit(config: ProviderConfig): Promise<void> {
    try {
      // Fast path, one round trip: breaker closed, no 429 pause, a request slot left in this second.
      const t = this.now();
      const { values, count } = await this.store.readAndIncr(
        [`breaker:${config.name}:open_until`, `pause:${config.name}`, `breaker:${config.name}:failures`],
        RateGate.counter(config.name, t),
        2000,
      );
      this.quiet.set(config.name, !values[0] && !Number(values[2] ?? 0));
      if (!values[0] && !(Number(values[1] ?? 0) > t) && count <= Math.max(1, Math.floor(config.max_rps))) return;
      // Otherwise the full path: the breaker's state machine, then wait for the gate.
      const admit = await this.breaker.admit(config.name);
      if (!admit.ok) throw new ProviderBusyError(config.name, Math.max(admit.retryAt - Date.now(), 100));
      await this.gate.acquire(config.name, config.max_rps);
    } catch (e) {
      if (e instanceof ProviderBusyError) throw e;
      this.logger.warn({ provider: config.name, err: (e as Error).message }, 'limits unavailable; calling anyway');
    }
  }

  /** Record how a call went. */
  async outcome(config: ProviderConfig, err?: unknown): Promise<void> {
    try {
      // A success with nothing to reset (no failures counted, breaker closed when we asked) costs no round trip.
      if (!err && this.quiet.get(config.name)) return;
      if (!err) return await this.breaker.success(config.name);
      this.quiet.set(config.name, false);
      if (err instanceof UpstreamError && err.httpStatus === 429) {
        return await this.gate.pause(config.name, err.retryAfterMs ?? 5000);
      }
      // An answer we cannot read came from a provider that is up: not an outage (docs/providers.md).
      if (err instanceof UpstreamError && err.code === 'upstream_bad_response') return;
      if (err instanceof UpstreamError && err.retry) return await this.breaker.failure(config.name);
      // A refusal (4xx) means the provider is up and answering.
      if (err instanceof UpstreamError) return await this.breaker.success(config.name);
    } catch (e) {
      this.logger.warn({ provider: config.name, err: (e as Error).message }, 'could not record call outcome');
    }
  }

  async call<T>(config: ProviderConfig, fn: () => Promise<T>): Promise<T> {
    await this.permit(config);
    return this.recorded(config, fn);
  }

  /** Run a call whose permit was already taken, and record its outcome. */
  async recorded<T>(config: ProviderConfig, fn: () => Promise<T>): Promise<T> {
    try {
      const r = await fn();
      await this.outcome(config);
      return r;
    } catch (e) {
      await this.outcome(config, e);
      throw e;
    }
  }

  async describe(provider: string): Promise<{ state: BreakerState; open_until: string | null; paused_until: string | null }> {
    try {
      const [b, paused] = await Promise.all([this.breaker.state(provider), this.gate.pausedUntil(provider)]);
      return {
        state: b.state,
        open_until: b.openUntil ? new Date(b.openUntil).toISOString() : null,
        paused_until: paused ? new Date(paused).toISOString() : null,
      };
    } catch {
      return { state: 'closed', open_until: null, paused_until: null };
    }
  }
}
