import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { Router, type Request, type Response } from 'express';
import { Agent, fetch as undiciFetch } from 'undici';
import { checkUrl, pinnedLookup } from '@refrain/core';
import { loadGeneration } from '@refrain/db';
import { tenantOf } from '../http/auth';
import { systemResolver } from '../http/dns-resolver';
import type { ConnectionCaps } from '../http/connection-caps';
import { byteLimit, openMedia, type MediaFetch, type MediaKind, type MediaSource } from '../http/media-proxy';
import { problem } from '../http/problem';
import { MEDIA_CSP } from '../web/csp';
import type { ApiDeps } from '../deps';

const PASSED_HEADERS = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'etag', 'last-modified'];

/**
 * Where clip media may come from: the provider's own origin (the operator configured it),
 * or any URL the URL guard allows (https to a public address), as for audio_url.
 */
function mediaSource(deps: ApiDeps, providerName: string, agents: Agent[]): MediaSource {
  const base = deps.providers.get(providerName)?.config.base_url;
  const trusted = base && URL.canParse(base) ? new URL(base).origin : null;
  const resolve = deps.resolveHost === null ? undefined : (deps.resolveHost ?? systemResolver());
  return {
    async check(url) {
      if (trusted && url.origin === trusted) return { addresses: null };
      const verdict = await checkUrl(url.href, { allowLoopback: deps.allowLoopbackUrls ?? false, ...(resolve ? { resolve } : {}) });
      return verdict.allowed ? { addresses: verdict.addresses } : { refused: verdict.reason };
    },
    fetch: deps.mediaFetch ?? pinnedFetch(agents),
  };
}

/** undici's fetch, connecting only to the checked addresses; the agents are closed with the client's response. */
const pinnedFetch =
  (agents: Agent[]): MediaFetch =>
  (url, { addresses, ...init }) => {
    const dispatcher = addresses ? new Agent({ connect: { lookup: pinnedLookup(addresses) } }) : undefined;
    if (dispatcher) agents.push(dispatcher);
    return undiciFetch(url, { ...init, ...(dispatcher ? { dispatcher } : {}) }) as unknown as Promise<globalThis.Response>;
  };

/**
 * GET /v1/generations/{id}/clips/{clip}/audio and …/image — a clip's media, streamed
 * through Refrain from where the provider keeps it. The studio plays clips from its own
 * origin this way (no other origin in its CSP), and the key scopes media to the tenant.
 */
export function clipMediaRoute(deps: ApiDeps, caps: ConnectionCaps): Router {
  const router = Router();
  const serve = (kind: MediaKind) => async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const clipId = String(req.params.clip);
    const g = await loadGeneration(deps.database.db, id, tenantOf(res));
    if (!g) throw problem(404, `no generation "${id}"`);
    const clip = g.clips.find((c) => c.id === clipId);
    if (!clip) throw problem(404, `generation "${id}" has no clip "${clipId}"`);
    const url = kind === 'audio' ? clip.audio_url : clip.image_url;
    if (!url) throw problem(404, `clip "${clipId}" has no ${kind} yet`);

    await caps.hold(res); // a stream held open counts like an event stream
    const abort = new AbortController();
    const agents: Agent[] = [];
    res.on('close', () => {
      abort.abort();
      for (const a of agents) void a.destroy().catch(() => {});
    });
    const upstream = await openMedia(url, kind, mediaSource(deps, g.steps.find((s) => s.index === clip.step)?.provider ?? g.provider, agents), { range: req.get('range'), signal: abort.signal });
    res.status(upstream.status);
    for (const h of PASSED_HEADERS) {
      const v = upstream.headers.get(h);
      if (v) res.setHeader(h, v);
    }
    res.setHeader('Content-Security-Policy', MEDIA_CSP);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.setHeader('Content-Disposition', 'inline');
    if (!upstream.body) return void res.end();
    await pipeline(Readable.fromWeb(upstream.body as NodeReadableStream), byteLimit(), res).catch((err: Error) => {
      if (!abort.signal.aborted) req.log?.warn({ err: err.message, clip: clipId }, 'clip media stream broke');
      res.destroy();
    });
  };
  router.get('/v1/generations/:id/clips/:clip/audio', serve('audio'));
  router.get('/v1/generations/:id/clips/:clip/image', serve('image'));
  return router;
}
