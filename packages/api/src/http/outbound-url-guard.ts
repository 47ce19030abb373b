import { LIMITS } from '@refrain/contracts';
import { checkUrl, type HostResolver } from '@refrain/core';
import { systemResolver } from './dns-resolver';
import { problem, type HttpProblem } from './problem';

export interface OutboundUrlGuardOptions {
  /** ALLOW_LOOPBACK_URLS: http to 127.0.0.1, ::1 and localhost (development and tests). */
  allowLoopback: boolean;
  /** How host names are resolved; without one, names are judged by the literal rules only. */
  resolve?: HostResolver;
}

type Path = (string | number)[];

/**
 * Every URL of a create request that something will fetch on our behalf: `audio_url` in
 * `steps[i]` and in a scenario's `input` (the provider fetches it), and `callback_url`
 * (Refrain posts webhooks to it; checked again at delivery time).
 */
function outboundUrls(body: unknown): { path: Path; url: string; field: string }[] {
  if (!body || typeof body !== 'object') return [];
  const b = body as { steps?: unknown; input?: unknown; callback_url?: unknown };
  const found: { path: Path; url: string; field: string }[] = [];
  if (typeof b.callback_url === 'string') found.push({ path: ['callback_url'], url: b.callback_url, field: 'callback_url' });
  // More steps than allowed fail validation anyway; do not resolve hundreds of names first.
  if (Array.isArray(b.steps) && b.steps.length <= LIMITS.maxSteps) {
    b.steps.forEach((s: unknown, i) => {
      const url = (s as { audio_url?: unknown } | null)?.audio_url;
      if (typeof url === 'string') found.push({ path: ['steps', i, 'audio_url'], url, field: 'audio_url' });
    });
  }
  const inputUrl = (b.input as { audio_url?: unknown } | null | undefined)?.audio_url;
  if (typeof inputUrl === 'string') found.push({ path: ['input', 'audio_url'], url: inputUrl, field: 'audio_url' });
  return found;
}

/** A string that is an http(s) URL at all; anything else is left for schema validation to name. */
const looksLikeHttpUrl = (s: string): boolean => /^https?:\/\//i.test(s) && URL.canParse(s);

/**
 * https to a public address only (see core/url-guard), for `audio_url` and `callback_url`
 * of a generation request, whichever door it came through. Refused → a 400 problem naming
 * the field; null when every URL may be used.
 */
export async function refuseOutboundUrls(body: unknown, opts: OutboundUrlGuardOptions): Promise<HttpProblem | null> {
  const issues = [];
  for (const { path, url, field } of outboundUrls(body)) {
    if (!looksLikeHttpUrl(url)) continue;
    const verdict = await checkUrl(url, opts);
    if (!verdict.allowed) issues.push({ path, message: `${field} is not allowed: ${verdict.reason}`, code: 'forbidden_url' });
  }
  if (issues.length === 0) return null;
  const first = issues[0]!;
  const step = first.path[0] === 'steps' ? { step: first.path[1] } : {};
  return problem(400, `request body: ${first.path.join('.')}: ${first.message}`, { issues, ...step });
}

const defaultResolver = systemResolver();

/** The guard's options from the API's: `resolveHost` null judges names without DNS (URL_GUARD_DNS=false). */
export const outboundGuardOptions = (deps: { allowLoopbackUrls?: boolean; resolveHost?: HostResolver | null }): OutboundUrlGuardOptions => ({
  allowLoopback: deps.allowLoopbackUrls ?? false,
  ...(deps.resolveHost === null ? {} : { resolve: deps.resolveHost ?? defaultResolver }),
});
