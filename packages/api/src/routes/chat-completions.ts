import { Router, type Request, type Response } from 'express';
import { chatCompletionRequest, isFinalGeneration, type GenerationView } from '@refrain/contracts';
import { chatModels, resolveChatModel } from '@refrain/core';
import { submitGeneration } from '../create-generation';
import { tenantOf } from '../http/auth';
import type { ConnectionCaps } from '../http/connection-caps';
import { HttpProblem } from '../http/problem';
import { waitForFinal } from '../wait';
import type { ApiDeps } from '../deps';
import { completion, completionMeta } from '../chat/chunks';
import { fromProblem, invalidRequest, OpenAiError, sendOpenAiError, toOpenAiError } from '../chat/errors';
import { finalError, NO_RETRY, timeoutError } from '../chat/outcome';
import { chatProvider } from '../chat/provider';
import { toGenerationRequest } from '../chat/request';
import { streamCompletion } from '../chat/stream';

export const DEFAULT_CHAT_MAX_WAIT_S = 300;

/**
 * POST /v1/chat/completions — a song through the OpenAI chat format. Behind it is an
 * ordinary generation, made exactly as POST /v1/generations makes one.
 */
export function chatCompletionsRoute(deps: ApiDeps, caps: ConnectionCaps): Router {
  const router = Router();
  router.post('/v1/chat/completions', async (req, res) => {
    const parsed = chatCompletionRequest.safeParse(req.body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const param = first?.path.map(String).join('.') || null;
      throw invalidRequest(`${param ?? 'request body'}: ${first?.message ?? 'is invalid'}`, param);
    }
    const body = parsed.data;
    const provider = chatProvider(deps, req, body.metadata?.provider);
    const mv = resolveChatModel(body.model, provider.models);
    if (!mv) {
      const known = chatModels(provider.models).map((m) => m.id).join(', ');
      throw new OpenAiError(404, `The model "${body.model}" does not exist on provider "${provider.name}" (models: ${known}).`, 'invalid_request_error', 'model_not_found', 'model');
    }
    // Streamed or not, the answer holds the connection until the song is done: refused before any song is made.
    await caps.hold(res);
    let view: GenerationView;
    try {
      view = await submitGeneration(deps, tenantOf(res), toGenerationRequest(body, mv, provider.name), req.log ?? deps.logger);
    } catch (err) {
      throw err instanceof HttpProblem ? fromProblem(err) : err;
    }
    res.setHeader('x-refrain-generation-id', view.id);
    const maxWaitS = deps.chatMaxWaitS ?? DEFAULT_CHAT_MAX_WAIT_S;
    const opts = { model: body.model, tenantId: tenantOf(res), maxWaitS };
    if (body.stream) await streamCompletion(deps, req, res, view, { ...opts, includeUsage: body.stream_options?.include_usage === true });
    else await answerWhenFinal(deps, req, res, view, opts);
  });
  return router;
}

/** stream: false — one answer once the song is final, or 504 naming the generation. */
async function answerWhenFinal(deps: ApiDeps, req: Request, res: Response, view: GenerationView, opts: { model: string; tenantId: string; maxWaitS: number }) {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  try {
    // Leaving early (the client went away) stops only this wait; the generation goes on.
    const final = await waitForFinal(deps, opts.tenantId, view.id, opts.maxWaitS, abort.signal);
    if (abort.signal.aborted) return;
    if (!final || !isFinalGeneration(final.status)) return sendOpenAiError(res, timeoutError(view.id, opts.maxWaitS));
    const failure = finalError(final);
    if (failure) return sendOpenAiError(res, failure);
    res.json(completion(completionMeta(final, opts.model), final));
  } catch (err) {
    const e = toOpenAiError(err, req);
    sendOpenAiError(res, new OpenAiError(e.status, `${e.message} Generation ${view.id} was created and goes on.`, e.type, e.code, e.param, view.id, { ...e.headers, ...NO_RETRY }));
  }
}
