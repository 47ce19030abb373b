import type { AdapterContext, RequestGate } from './types';
import { request, type Dispatcher } from 'undici';
import { z } from 'zod';
import { trackUpstream } from '@refrain/observability';
import { badResponse, classifyHttpStatus, envelopeRejection, transportFailure } from './http-errors';

export const DEFAULT_TIMEOUT_MS = 15_000;

/** How one dialect wraps its answers; the client uses it to find the upstream's own words. */
export interface Envelope {
  /** The upstream's words in an error body (any status), if it has some. */
  errorWords(body: unknown): string | undefined;
  /** For a 2xx body that says "failed" in its envelope: the upstream's words. Undefined when it succeeded. */
  failure?(body: unknown): string | undefined;
  /** The task an answer names even when it is an error or unreadable (recovery by query). */
  taskIdOf?(body: unknown): string | undefined;
}

export interface HttpClientOptions {
  /** Provider name, carried by every UpstreamError. */
  provider: string;
  baseUrl: string;
  /** Auth and other fixed headers. Their values are redacted from every message. */
  headers: Record<string, string>;
  envelope: Envelope;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  /** Extra strings never to show in a message (the api key is always one). */
  secrets: string[];
  /** Every request waits here before it is sent (the provider's shared rate budget). */
  gate?: RequestGate;
}

export interface HttpCall<T> {
  method: 'GET' | 'POST';
  /** Path and query, already filled in (see paths.ts). */
  path: string;
  body?: unknown;
  schema: z.ZodType<T>;
  /** Overrides the client's timeout for this call (a submission that may block longer). */
  timeoutMs?: number;
}

export interface HttpClient {
  readonly provider: string;
  call<T>(c: HttpCall<T>): Promise<T>;
}

/**
 * The only place the providers package does I/O. Every failure leaves here as an
 * UpstreamError classified once: unavailable (retry), rejected (don't), bad response (retry).
 */
/** An envelope whose `code` field says success (gateway `0`, relay `"success"`); else a refusal in the upstream's words. */
export function codeEnvelope(opts: { ok: readonly unknown[]; words: string[]; label: string }): Envelope {
  return {
    errorWords: (body) => wordsAt(body, [...opts.words, 'detail', 'error']),
    failure: (body) => {
      if (body === null || typeof body !== 'object' || !('code' in body)) return undefined;
      const { code } = body as { code: unknown };
      if (opts.ok.includes(code)) return undefined;
      return wordsAt(body, opts.words) ?? `${opts.label} error code ${String(code)}`;
    },
  };
}

/** The HTTP client of one provider: its origin, key (kept out of every message) and transport. */
export function createProviderHttp(ctx: AdapterContext, envelope: Envelope, auth: Record<string, string>): HttpClient {
  return createHttpClient({
    provider: ctx.config.name,
    baseUrl: ctx.config.base_url,
    headers: auth,
    envelope,
    dispatcher: ctx.dispatcher,
    timeoutMs: ctx.timeoutMs,
    secrets: [ctx.config.api_key],
    ...(ctx.gate ? { gate: ctx.gate } : {}),
  });
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const base = opts.baseUrl.replace(/\/+$/, '');
  const secrets = opts.secrets.filter((s) => s.length > 0);
  const { provider, envelope, gate } = opts;

  async function call<T>(c: HttpCall<T>): Promise<T> {
    const where = `${c.method} ${c.path}`;
    const ms = c.timeoutMs ?? timeoutMs;
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (c.body !== undefined) headers['content-type'] = 'application/json';

    // One deadline for headers and body together; undici's own timeouts back it up.
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort(new Error(`timeout after ${ms} ms`));
    }, ms);

    let status: number;
    let resHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await request(`${base}${c.path}`, {
        method: c.method,
        headers,
        body: c.body === undefined ? undefined : JSON.stringify(c.body),
        dispatcher: opts.dispatcher,
        signal: abort.signal,
        headersTimeout: ms,
        bodyTimeout: ms,
      });
      status = res.statusCode;
      resHeaders = res.headers;
      text = await res.body.text();
    } catch (error) {
      throw transportFailure({ provider, where, error, timedOut, timeoutMs: ms, secrets });
    } finally {
      clearTimeout(timer);
    }

    const json = parseJson(text);
    const taskId = json.ok ? envelope.taskIdOf?.(json.value) : undefined;
    if (status < 200 || status >= 300) {
      const words = json.ok ? envelope.errorWords(json.value) : plainWords(text);
      const err = classifyHttpStatus({ provider, where, status, headers: resHeaders, words, taskId, secrets });
      if (status === 429) gate?.throttled?.({ method: c.method, path: c.path }, err.retryAfterMs);
      throw err;
    }
    if (!json.ok) throw badResponse(provider, where, status, `not JSON (${describeText(text)})`, secrets);

    const failed = envelope.failure?.(json.value);
    if (failed !== undefined) throw envelopeRejection(provider, status, failed, secrets);

    const parsed = c.schema.safeParse(json.value);
    if (!parsed.success) throw badResponse(provider, where, status, z.prettifyError(parsed.error), secrets, taskId);
    return parsed.data;
  }

  // The gate wait is not upstream latency: it comes before the request is timed and counted (refrain_upstream_requests_total).
  const gated = async <T>(c: HttpCall<T>): Promise<T> => {
    await gate?.acquire({ method: c.method, path: c.path });
    return trackUpstream(provider, c.method, c.path, call(c));
  };
  return { provider, call: gated };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A non-JSON error body (an HTML error page, a proxy's one-liner): keep short text only. */
function plainWords(text: string): string | undefined {
  const t = text.trim();
  if (t === '' || t.startsWith('<')) return undefined;
  return t;
}

function describeText(text: string): string {
  const t = text.trim();
  if (t === '') return 'empty body';
  return `body starts with ${JSON.stringify(t.slice(0, 40))}`;
}

/** Reads a string at the first of several keys, digging into nested `error` objects. */
export function wordsAt(body: unknown, keys: readonly string[]): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (body === null || typeof body !== 'object') return undefined;
  const rec = body as Record<string, unknown>;
  for (const key of keys) {
    const v = rec[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const nested = wordsAt(v, ['message', 'msg', 'detail']);
      if (nested) return nested;
    }
    // FastAPI-style validation detail: [{msg, loc}, ...]
    if (Array.isArray(v)) {
      const parts = v.map((item) => wordsAt(item, ['msg', 'message'])).filter((s): s is string => !!s);
      if (parts.length > 0) return parts.join('; ');
    }
  }
  return undefined;
}
