import { Transform } from 'node:stream';
import { problem } from './problem';

export type MediaKind = 'audio' | 'image';
/**
 * `addresses`: where the socket may connect — the URL guard's own answer, so a name that
 * resolves differently the second time (DNS rebinding) cannot redirect it; null for the
 * provider's own origin, resolved as usual.
 */
export type MediaFetch = (
  url: string,
  init: { redirect: 'manual'; headers: Record<string, string>; signal: AbortSignal; addresses: readonly string[] | null },
) => Promise<Response>;

/** What each kind may be; anything else from upstream is not passed on. */
const TYPES: Record<MediaKind, RegExp> = {
  audio: /^(audio|video)\/[\w.+-]+\s*(;|$)/i,
  image: /^image\/(png|jpeg|gif|webp|avif|svg\+xml)\s*(;|$)/i,
};
/** Larger than any song a provider makes (a 10-minute WAV is ~100 MB). */
export const MEDIA_MAX_BYTES = 200 * 1024 * 1024;
const MAX_REDIRECTS = 3;
const HEADERS_TIMEOUT_MS = 15_000;

export interface MediaSource {
  /** Why Refrain must not fetch this URL, or the addresses it may connect to. */
  check: (url: URL) => Promise<{ refused: string } | { addresses: readonly string[] | null }>;
  fetch: MediaFetch;
}

/**
 * Opens a clip's media at the URL its provider gave, following up to three redirects,
 * each checked again. Refusals and upstream failures become 502 problems that say which.
 * `signal` is the client's: when it hangs up, the upstream request stops too.
 */
export async function openMedia(raw: string, kind: MediaKind, src: MediaSource, opts: { range?: string | undefined; signal: AbortSignal }): Promise<Response> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw problem(502, `the clip's ${kind} URL from the provider is not a URL`);
  }
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const verdict = await src.check(url);
    if ('refused' in verdict) throw problem(502, `the clip's ${kind} is at an address Refrain does not fetch: ${verdict.refused}`);
    const headersTimeout = AbortSignal.timeout(HEADERS_TIMEOUT_MS);
    let res: Response;
    try {
      res = await src.fetch(url.href, {
        redirect: 'manual',
        headers: opts.range && kind === 'audio' ? { range: opts.range } : {},
        signal: AbortSignal.any([opts.signal, headersTimeout]),
        addresses: verdict.addresses,
      });
    } catch (err) {
      if (opts.signal.aborted) throw err;
      // Fixed words only: a socket error would tell the tenant about a host's state.
      throw problem(502, `the provider's media server could not be reached (${headersTimeout.aborted ? 'no answer in 15 s' : 'connection failed'})`);
    }
    if ([301, 302, 303, 307, 308].includes(res.status)) {
      const to = res.headers.get('location');
      await res.body?.cancel().catch(() => {});
      if (!to || !URL.canParse(to, url.href)) throw problem(502, "the provider's media server redirected nowhere");
      url = new URL(to, url);
      continue;
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel().catch(() => {});
      throw problem(502, `the provider's media server answered ${res.status}`);
    }
    const type = res.headers.get('content-type') ?? '';
    if (!TYPES[kind].test(type)) {
      await res.body?.cancel().catch(() => {});
      throw problem(502, `the provider's media server sent "${type || 'no type'}", not ${kind}`);
    }
    if (Number(res.headers.get('content-length') ?? 0) > MEDIA_MAX_BYTES) {
      await res.body?.cancel().catch(() => {});
      throw problem(502, `the clip's ${kind} is larger than ${MEDIA_MAX_BYTES / 1024 / 1024} MB`);
    }
    return res;
  }
  throw problem(502, `the provider's media server redirected more than ${MAX_REDIRECTS} times`);
}

/** Passes bytes through and fails the stream past `max`, for answers without a (true) Content-Length. */
export function byteLimit(max: number = MEDIA_MAX_BYTES): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(new Error(`media larger than ${max} bytes`));
      else done(null, chunk);
    },
  });
}
