import { UpstreamError } from '@refrain/core';

/** Used when a 429 carries no usable Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 5_000;

/** Longest upstream text we copy into an error message. */
const MAX_WORDS = 500;

/**
 * Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Returns undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Removes every secret from text that may end up in logs or API answers. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('***');
  return out;
}

export function clip(text: string, max = MAX_WORDS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export interface HttpFailure {
  provider: string;
  /** "POST /suno/submit/music": where it happened, for the operator. */
  where: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The upstream's own words from its error envelope, when it gave any. */
  words: string | undefined;
  secrets: readonly string[];
}

/** Statuses that say "not now" rather than "no": worth another attempt. */
const TRANSIENT_4XX = new Set([408, 425, 429]);

/**
 * Classifies a non-2xx answer. 5xx and 429 are retried (429 after Retry-After);
 * any other 4xx is the upstream refusing the request, in its own words.
 */
export function classifyHttpStatus(f: HttpFailure): UpstreamError {
  const words = f.words === undefined ? undefined : clip(redact(f.words, f.secrets));
  const retryAfterMs = parseRetryAfter(f.headers['retry-after']);
  const suffix = words ? `: ${words}` : '';
  const where = redact(f.where, f.secrets);
  if (f.status === 429) {
    return new UpstreamError({
      provider: f.provider,
      code: 'upstream_unavailable',
      retry: true,
      httpStatus: f.status,
      retryAfterMs: retryAfterMs ?? DEFAULT_RETRY_AFTER_MS,
      message: `${f.provider} is rate limiting (HTTP 429 on ${where})${suffix}`,
    });
  }
  if (f.status >= 500 || TRANSIENT_4XX.has(f.status)) {
    return new UpstreamError({
      provider: f.provider,
      code: 'upstream_unavailable',
      retry: true,
      httpStatus: f.status,
      retryAfterMs,
      message: `${f.provider} answered HTTP ${f.status} on ${where}${suffix}`,
    });
  }
  if (f.status >= 400) {
    return new UpstreamError({
      provider: f.provider,
      code: 'upstream_rejected',
      retry: false,
      httpStatus: f.status,
      // The upstream's own words, as is: they end up in the generation's error.message.
      message: words || `${f.provider} refused ${where} with HTTP ${f.status}`,
    });
  }
  // 1xx/3xx: undici follows no redirects, so this is an answer we cannot use.
  return new UpstreamError({
    provider: f.provider,
    code: 'upstream_bad_response',
    retry: true,
    httpStatus: f.status,
    message: `${f.provider} answered HTTP ${f.status} on ${where}, which is not a result`,
  });
}

/** A 2xx whose envelope says the request failed (gateway code != 0, relay code != "success", action success: false). */
export function envelopeRejection(provider: string, status: number, words: string, secrets: readonly string[]): UpstreamError {
  return new UpstreamError({
    provider,
    code: 'upstream_rejected',
    retry: false,
    httpStatus: status,
    message: clip(redact(words, secrets)),
  });
}

export function badResponse(provider: string, where: string, status: number, why: string, secrets: readonly string[]): UpstreamError {
  return new UpstreamError({
    provider,
    code: 'upstream_bad_response',
    retry: true,
    httpStatus: status,
    message: clip(redact(`${provider} sent an unexpected answer to ${where}: ${why}`, secrets)),
  });
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Network failures and timeouts: the upstream may be fine a moment later. */
export function transportFailure(opts: {
  provider: string;
  where: string;
  error: unknown;
  timedOut: boolean;
  timeoutMs: number;
  secrets: readonly string[];
}): UpstreamError {
  const code = (opts.error as { code?: unknown } | null)?.code;
  const timedOut = opts.timedOut || (typeof code === 'string' && TIMEOUT_CODES.has(code));
  const detail = opts.error instanceof Error ? opts.error.message : String(opts.error);
  const message = timedOut
    ? `${opts.provider} did not answer ${opts.where} within ${opts.timeoutMs} ms`
    : `${opts.provider} could not be reached on ${opts.where}: ${detail}`;
  return new UpstreamError({
    provider: opts.provider,
    code: 'upstream_unavailable',
    retry: true,
    message: clip(redact(message, opts.secrets)),
    cause: opts.error,
  });
}
