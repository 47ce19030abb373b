import type { Request, Response } from 'express';
import type { GenerationView } from '@refrain/contracts';
import { loadGeneration } from '@refrain/db';
import type { ApiDeps } from '../deps';
import { chunk, completionMeta, progressState, progressLine, songMessage, songSummary, usageChunk } from './chunks';
import { finalError, timeoutError } from './outcome';
import { followGeneration } from './follow';
import { toOpenAiError } from './errors';

const KEEP_ALIVE_MS = 15_000;

/**
 * Server-sent chat-completion chunks while the generation runs: queued, each step
 * submitted, audio streaming, then the song, then `[DONE]`. Failures after the headers
 * went out are sent as an `{error}` event, which OpenAI clients raise. A client that goes
 * away only stops this stream: the generation goes on (it is durable, like any other).
 */
export async function streamCompletion(
  deps: ApiDeps,
  req: Request,
  res: Response,
  view: GenerationView,
  opts: { model: string; tenantId: string; maxWaitS: number; includeUsage: boolean },
): Promise<void> {
  const meta = completionMeta(view, opts.model);
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  res.status(200);
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache, no-transform');
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  const send = (data: unknown) => {
    if (!res.writableEnded) res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  };
  // Proxies drop idle connections; SSE comments keep it open and clients ignore them.
  const keepAlive = setInterval(() => !res.writableEnded && res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  try {
    send(chunk(meta, { role: 'assistant', content: '' }));
    const state = progressState(view);
    const end = await followGeneration(deps, view.id, opts.maxWaitS, abort.signal, (e) => {
      const line = progressLine(e, state);
      if (line) send(chunk(meta, { content: line }));
    });
    if (end === 'aborted') return;
    if (end === 'timeout') {
      send(timeoutError(view.id, opts.maxWaitS).body());
    } else {
      const final = await loadGeneration(deps.database.db, view.id, opts.tenantId);
      const failure = final ? finalError(final) : null;
      if (final && !failure) {
        send(chunk(meta, { content: songMessage(final) }));
        send({ ...chunk(meta, {}, 'stop'), refrain: songSummary(final) });
        if (opts.includeUsage) send(usageChunk(meta));
      } else if (failure) send(failure.body());
    }
    send('[DONE]');
  } catch (err) {
    send(toOpenAiError(err, req).body());
    send('[DONE]');
  } finally {
    clearInterval(keepAlive);
    if (!res.writableEnded) res.end();
  }
}
