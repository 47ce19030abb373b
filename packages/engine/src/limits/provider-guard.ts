import type { ProviderConfig } from '@refrain/contracts';
import { RefrainError, UpstreamError } from '@refrain/core';
import { DEFAULT_RETRY_AFTER_MS, type RequestGate } from '@refrain/providers';
import { countDroppedSlot, observeGateWait, setCircuitBreakerState, type Logger } from '@refrain/observability';
import { SLOT_FRESH_MS, effectiveRps } from './budget-schedule';

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
import { CircuitBreaker, type BreakerState } from './breaker';
import { RateGate, type RequestLane } from './rate-gate';
import type { SharedStore } from './shared-store';
import { inUpstreamContext, upstreamContext } from './upstream-context';

/** The provider is not to be called right now (breaker open, or a long 429 pause); try again at `retryAfterMs`. */
export class ProviderBusyError extends RefrainError {
  constructor(provider: string, retryAfterMs: number, why = 'resting (circuit open)') {
    super({ code: 'upstream_unavailable', retry: true, retryAfterMs, message: `provider "${provider}" is ${why}` });
    this.name = 'ProviderBusyError';
  }
}

/** An error that should make a step wait, not spend one of its attempts. */
export const isSlowDown = (e: unknown): e is RefrainError =>
  e instanceof ProviderBusyError || (e instanceof UpstreamError && e.httpStatus === 429);

/** A pause longer than this parks a submitting step job instead of holding it at the gate. */
const LONG_PAUSE_MS = 2000;


/** A provider's budget as GET /v1/providers shows it (and provider pools read it). */
export interface BudgetView {
  max_rps: number;
  /** What the gate allows now: max_rps less the guard, cut for a while after a 429. */
  effective_rps: number;
  /** 1, or less while recovering from a 429. */
  factor: number;
  used_last_second: number;
  spare_rps: number;
  /** How far ahead request slots are booked: 0 means a request would go at once. */
  booked_ahead_ms: number;
  paused_until: string | null;
}

/**
 * Every upstream call goes through here: the circuit breaker before a logical call (a
 * submission, a poll tick), the shared rate gate before each HTTP request (`requestGate`,
 * which the adapters get), and the outcome after. A 429 shrinks the budget for every
 * worker. Limits never fail a call by themselves going wrong: store errors let calls
 * through the breaker, and the gate falls back to this process's own schedule.
 */
export class ProviderGuard {
  readonly breaker: CircuitBreaker;
  readonly gate: RateGate;
  /** The shared store (the poller's tick lock and state live there too). */
  readonly store: SharedStore;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Providers whose breaker had no failures to reset when this process last looked (at its last permit). */
  private readonly quiet = new Map<string, boolean>();

  constructor(
    store: SharedStore,
    private readonly logger: Logger,
    opts: { threshold?: number; cooldownMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
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
    let warned = 0;
    this.gate = new RateGate(store, {
      now: opts.now,
      sleep: opts.sleep,
      onStoreError: (provider, err) => {
        if (Date.now() - warned < 10_000) return;
        warned = Date.now();
        logger.warn({ provider, err: err.message }, 'shared rate budget unavailable; this process keeps within max_rps by itself');
      },
    });
    this.store = store;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
  }

  /** May a call go out? Throws ProviderBusyError when the breaker is open or a 429 pause is long. One round trip. */
  async permit(config: ProviderConfig): Promise<void> {
    try {
      const t = this.now();
      const [openUntil, paused, failures] = await this.store.getMany([
        `breaker:${config.name}:open_until`,
        `pause:${config.name}`,
        `breaker:${config.name}:failures`,
      ]);
      this.quiet.set(config.name, !openUntil && !Number(failures ?? 0));
      const pausedMs = Number(paused ?? 0) - t;
      if (pausedMs > LONG_PAUSE_MS) throw new ProviderBusyError(config.name, pausedMs, 'rate limiting us (HTTP 429)');
      if (!openUntil) return;
      const admit = await this.breaker.admit(config.name);
      if (!admit.ok) throw new ProviderBusyError(config.name, Math.max(admit.retryAt - this.now(), 100));
    } catch (e) {
      if (e instanceof ProviderBusyError) throw e;
      this.logger.warn({ provider: config.name, err: (e as Error).message }, 'limits unavailable; calling anyway');
    }
  }

  /**
   * Wait for one request slot in `lane`; returns the slot's time, which may be a few ms
   * ahead (a submission takes its slot before it records its intent, and sends at that time).
   */
  async slot(config: ProviderConfig, lane: RequestLane): Promise<number> {
    const started = this.now();
    const at = await this.gate.acquire(config.name, config.max_rps, lane);
    observeGateWait(config.name, lane, (this.now() - started) / 1000);
    return at;
  }

  /** Send at the slot's time: not before it, and not too long after (then a new slot, first in line). */
  private async sendAt(config: ProviderConfig, at: number, held: boolean): Promise<void> {
    const early = at - this.now();
    if (early > 0) {
      await this.sleep(early);
      return this.sendAt(config, at, held); // a timer can fire late: look again
    }
    if (-early <= SLOT_FRESH_MS) return;
    // A slot taken before the intent goes stale when the intent's round trips were slow.
    if (held) countDroppedSlot(config.name, 'stale_intent');
    return this.sendAt(config, await this.slot(config, 'intent'), false);
  }

  /** The gate an adapter's HTTP client passes before each request: it waits for a slot unless its context holds one. */
  requestGate(config: ProviderConfig): RequestGate {
    return {
      acquire: async () => {
        const ctx = upstreamContext();
        if (ctx) ctx.requests++;
        if (ctx && ctx.grantedAt !== null) {
          const at = ctx.grantedAt;
          ctx.grantedAt = null;
          return this.sendAt(config, at, true);
        }
        return this.sendAt(config, await this.slot(config, ctx?.lane ?? 'other'), false);
      },
      throttled: (_request, retryAfterMs) => {
        this.gate.throttle(config.name, retryAfterMs ?? DEFAULT_RETRY_AFTER_MS).catch((e: Error) =>
          this.logger.warn({ provider: config.name, err: e.message }, 'could not record a 429'),
        );
      },
    };
  }

  /** Record how a logical call went (the breaker). A 429 is the gate's business, not an outage. */
  async outcome(config: ProviderConfig, err?: unknown): Promise<void> {
    try {
      // A success with nothing to reset (no failures counted, breaker closed when we asked) costs no round trip.
      if (!err && this.quiet.get(config.name)) return;
      if (!err) return await this.breaker.success(config.name);
      if (err instanceof UpstreamError && err.httpStatus === 429) return;
      this.quiet.set(config.name, false);
      // An answer we cannot read came from a provider that is up: not an outage (docs/providers.md).
      if (err instanceof UpstreamError && err.code === 'upstream_bad_response') return;
      if (err instanceof UpstreamError && err.retry) return await this.breaker.failure(config.name);
      // A refusal (4xx) means the provider is up and answering.
      if (err instanceof UpstreamError) return await this.breaker.success(config.name);
    } catch (e) {
      this.logger.warn({ provider: config.name, err: (e as Error).message }, 'could not record call outcome');
    }
  }

  /** A logical call of `lane` (the breaker first, then each of its requests through the gate), and its outcome. */
  async call<T>(config: ProviderConfig, lane: RequestLane, fn: () => Promise<T>): Promise<{ value: T; requests: number }> {
    await this.permit(config);
    const ctx = { lane, grantedAt: null, requests: 0 };
    const value = await this.recorded(config, () => inUpstreamContext(ctx, fn));
    return { value, requests: ctx.requests };
  }

  /** Run a call whose first request holds the slot `slot` returned at `grantedAt` (a submission). */
  async withSlot<T>(config: ProviderConfig, lane: RequestLane, grantedAt: number, fn: () => Promise<T>): Promise<T> {
    return this.recorded(config, () => inUpstreamContext({ lane, grantedAt, requests: 0 }, fn));
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

  /** The budget's state in one round trip: cheap enough to ask before choosing a provider. */
  async budget(config: ProviderConfig): Promise<BudgetView> {
    const s = await this.gate.state(config.name);
    const rps = effectiveRps(config.max_rps, s.factor);
    return {
      max_rps: config.max_rps,
      effective_rps: round(rps),
      factor: round(s.factor, 3),
      used_last_second: s.usedLastSecond,
      spare_rps: round(Math.max(0, rps - s.usedLastSecond)),
      booked_ahead_ms: Math.round(s.bookedAheadMs),
      paused_until: s.pausedUntil ? new Date(s.pausedUntil).toISOString() : null,
    };
  }

  async describe(provider: string): Promise<{ state: BreakerState; open_until: string | null; paused_until: string | null }> {
    try {
      const [b, budget] = await Promise.all([this.breaker.state(provider), this.gate.state(provider)]);
      return {
        state: b.state,
        open_until: b.openUntil ? new Date(b.openUntil).toISOString() : null,
        paused_until: budget.pausedUntil ? new Date(budget.pausedUntil).toISOString() : null,
      };
    } catch {
      return { state: 'closed', open_until: null, paused_until: null };
    }
  }
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));
