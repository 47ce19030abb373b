import type { PoolConfig, ProviderConfig } from '@refrain/contracts';
import type { UrlVerdict } from '@refrain/core';
import type { Database } from '@refrain/db';
import type { Logger } from '@refrain/observability';
import type { ProviderAdapter } from '@refrain/providers';
import type { Notifier, QueueKit } from '@refrain/queue';
import type { ProviderGuard } from './limits';

export interface ProviderRuntime {
  config: ProviderConfig;
  adapter: ProviderAdapter;
}

/** Everything the engine needs, built once by an app and passed down. */
export interface EngineDeps {
  database: Database;
  kit: QueueKit;
  notifier: Notifier;
  providers: ReadonlyMap<string, ProviderRuntime>;
  /** Named groups of providers a generation may name instead of one (POOLS; docs/providers.md). */
  pools?: ReadonlyMap<string, PoolConfig>;
  /** Rate limits, 429 pauses and circuit breakers, shared by all workers. */
  guard: ProviderGuard;
  logger: Logger;
  /** Base URL providers can reach for notify_hook (PUBLIC_HOOKS_URL). */
  publicHooksUrl: string;
  now?: () => number;
  /**
   * Checks an outbound URL (webhooks) at delivery time. An allowed verdict names the
   * addresses it judged, and the delivery connects to those only.
   */
  urlGuard?: (url: string) => Promise<UrlVerdict>;
  /** First retry delay of webhook deliveries (doubles each attempt). */
  webhookRetryBaseMs?: number;
  /** Hard limit on one webhook attempt, everything included (default 10 s). */
  webhookDeadlineMs?: number;
  /** Webhook attempts of one tenant in flight at once per worker process (default 5 of the 20 delivery slots). */
  webhookSlotsPerTenant?: number;
  /**
   * A front door's own callback body for a generation it made (the relay task object, the
   * action answer), or null for any other generation. Its deliveries then carry that body
   * instead of a Standard Webhook payload; everything else (guard, log, retries) is the same.
   */
  doorCallbackBody?: (generationId: string) => Promise<unknown>;
}

export const clock = (deps: EngineDeps): number => (deps.now ?? Date.now)();

export function providerOf(deps: EngineDeps, name: string): ProviderRuntime {
  const p = deps.providers.get(name);
  if (!p) throw new Error(`provider "${name}" is not configured`);
  return p;
}

/**
 * The provider settings that govern a step's waiting: its provider's, or, for a step of a
 * pool no member was chosen for yet, its pool's first member's.
 */
export function stepConfig(deps: EngineDeps, step: { provider: string; pool: string | null }): ProviderConfig {
  const own = deps.providers.get(step.provider);
  if (own) return own.config;
  const first = step.pool ? deps.pools?.get(step.pool)?.members.find((m) => deps.providers.has(m.provider)) : undefined;
  return providerOf(deps, first?.provider ?? step.provider).config;
}

/**
 * How long a waiting step job sleeps before it looks at Postgres by itself: until its
 * deadline. The poller and callbacks promote it as soon as upstream finishes, and the
 * poller promotes again a finished step whose promote was lost, so a waiting step costs
 * nothing until then (docs/architecture.md).
 */
export const recheckMs = (config: ProviderConfig): number => config.deadline_s * 1000;
