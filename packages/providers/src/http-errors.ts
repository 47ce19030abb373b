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
  /** A task the error body names (AceData's `{success: false, error, task_id}`). */
  taskId?: string;
  secrets: readonly string[];
}

/** Statuses that say "not now" rather than "no": worth another attempt. */
const TRANSIENT_4XX = new Set([408, 425, 429]);

/**
 * A 504 is a gateway that gave up waiting for the origin, which may well have accepted the
 * request (AceData answers 504 "timeout while waiting for audio generation" to a blocking
 * submission whose task goes on): its outcome is unknown. Every other answered status is
 * the upstream refusing, for now (5xx, 408, 425, 429) or for good (other 4xx).
 */
const UNKNOWN_OUTCOME_STATUSES = new Set([504]);

/**
 * Classifies a non-2xx answer. 5xx and 429 are retried (429 after Retry-After);
 * any other 4xx is the upstream refusing the request, in its own words.
 */
export function classifyHttpStatus(f: HttpFailure): UpstreamError {
  const words = f.words === undefined ? undefined : clip(redact(f.words, f.secrets));
  const retryAfterMs = parseRetryAfter(f.headers['retry-after']);
  const suffix = words ? `: ${words}` : '';
  const where = redact(f.where, f.secrets);
  const taskId = f.taskId;
  if (f.status === 429) {
    return new UpstreamError({
      provider: f.provider,
      code: 'upstream_unavailable',
      retry: true,
      outcome: 'refused',
      httpStatus: f.status,
      retryAfterMs: retryAfterMs ?? DEFAULT_RETRY_AFTER_MS,
      taskId,
      message: `${f.provider} is rate limiting (HTTP 429 on ${where})${suffix}`,
    });
  }
  if (f.status >= 500 || TRANSIENT_4XX.has(f.status)) {
    return new UpstreamError({
      provider: f.provider,
      code: 'upstream_unavailable',
      retry: true,
      outcome: UNKNOWN_OUTCOME_STATUSES.has(f.status) ? 'unknown' : 'refused',
      httpStatus: f.status,
      retryAfterMs,
      taskId,
      message: `${f.provider} answered HTTP ${f.status} on ${where}${suffix}`,
    });
  }
  if (f.status >= 400) {
    return new UpstreamError({
      provider: f.provider,
      code: 'upstream_rejected',
      retry: false,
      outcome: 'refused',
      httpStatus: f.status,
      taskId,
      // The upstream's own words, as is: they end up in the generation's error.message.
      message: words || `${f.provider} refused ${where} with HTTP ${f.status}`,
    });
  }
  // 1xx/3xx: undici follows no redirects, so this is an answer we cannot use (nothing was done with it).
  return new UpstreamError({
    provider: f.provider,
    code: 'upstream_bad_response',
    retry: true,
    outcome: 'refused',
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
    outcome: 'refused',
    httpStatus: status,
    message: clip(redact(words, secrets)),
  });
}

/**
 * A 2xx we cannot read. The upstream said it accepted the request, so a submission's
 * outcome is unknown: it may have made a task whose id we cannot see (unless the body
 * names one, `taskId`).
 */
export function badResponse(
  provider: string,
  where: string,
  status: number,
  why: string,
  secrets: readonly string[],
  taskId?: string,
): UpstreamError {
  return new UpstreamError({
    provider,
    code: 'upstream_bad_response',
    retry: true,
    outcome: 'unknown',
    httpStatus: status,
    taskId,
    message: clip(redact(`${provider} sent an unexpected answer to ${where}: ${why}`, secrets)),
  });
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Transport errors that happen before a single byte of the request reached the upstream:
 * no connection was ever made. Anything else (a reset, a socket closed mid-answer, a
 * timeout after connecting) may come after the upstream read the request.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
]);

/** The error codes of an error and its causes (undici wraps the socket's error). */
function codesOf(error: unknown): string[] {
  const out: string[] = [];
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e !== null && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') out.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

/** Network failures and timeouts: the upstream may be fine a moment later. */
export function transportFailure(opts: {
  provider: string;
  where: string;
  error: unknown;
  timedOut: boolean;
  timeoutMs: number;
  secrets: readonly string[];
}): UpstreamError {
  const codes = codesOf(opts.error);
  const notSent = codes.some((c) => NOT_SENT_CODES.has(c));
  const timedOut = opts.timedOut || codes.some((c) => TIMEOUT_CODES.has(c));
  const detail = opts.error instanceof Error ? opts.error.message : String(opts.error);
  const message = notSent
    ? `${opts.provider} could not be reached on ${opts.where}: ${detail}`
    : timedOut
      ? `${opts.provider} did not answer ${opts.where} within ${opts.timeoutMs} ms`
      : `${opts.provider} cut the connection on ${opts.where} before answering: ${detail}`;
  return new UpstreamError({
    provider: opts.provider,
    code: 'upstream_unavailable',
    retry: true,
    outcome: notSent ? 'not_sent' : 'unknown',
    message: clip(redact(message, opts.secrets)),
    cause: opts.error,
  });
}
