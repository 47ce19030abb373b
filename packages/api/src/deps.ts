import type { HostResolver } from '@refrain/core';
import type { EngineDeps } from '@refrain/engine';
import type { MediaFetch } from './http/media-proxy';

export interface ApiDeps extends EngineDeps {
  adminToken: string;
  defaultProvider: string;
  /** Body size limit of JSON requests. */
  bodyLimit?: string;
  /** Requests per minute per API key (RATE_LIMIT_PER_MINUTE, default 600). */
  rateLimitPerMinute?: number;
  /** How long an Idempotency-Key and its answer are kept, in hours (IDEMPOTENCY_TTL_HOURS, default 24). */
  idempotencyTtlHours?: number;
  /** The URL guard lets http to 127.0.0.1, ::1 and localhost through (ALLOW_LOOPBACK_URLS; development and tests). */
  allowLoopbackUrls?: boolean;
  /** How the URL guard resolves host names: default the system resolver; null judges names without DNS (URL_GUARD_DNS=false). */
  resolveHost?: HostResolver | null;
  /** Longest a non-streaming chat completion (and a chat stream) waits for the song, in seconds (CHAT_MAX_WAIT_S). */
  chatMaxWaitS?: number;
  /** How clip media is fetched from providers (tests inject one); default the global fetch. */
  mediaFetch?: MediaFetch;
  /** Failed authentications per client address and minute before 429 (AUTH_FAILURES_PER_MINUTE). */
  authFailuresPerMinute?: number;
  /** Long-lived connections (event streams, ?wait, chat completions) held at once per API key (CONNECTIONS_PER_KEY). */
  connectionsPerKey?: number;
  /** The same, per tenant (CONNECTIONS_PER_TENANT). */
  connectionsPerTenant?: number;
}
