import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { ApiDeps } from '../deps';
import type { ConnectionCaps } from '../http/connection-caps';
import { OpenAiError, sendOpenAiError, toOpenAiError } from '../chat/errors';
import { chatCompletionsRoute } from './chat-completions';
import { modelsRoute } from './models';

const PATHS = ['/v1/chat', '/v1/models'];
const isOpenAiPath = (url: string): boolean => PATHS.some((p) => url === p || url.startsWith(`${p}/`) || url.startsWith(`${p}?`));

/**
 * Mounted before the generic /v1 body parser, which then leaves the parsed body alone:
 * chat apps send the whole conversation, so the body may be larger than a generation request.
 */
export function openAiBodyParser(): Router {
  const router = Router();
  router.use(PATHS, express.json({ limit: '1mb', type: () => true }));
  return router;
}

/**
 * /v1/chat/completions and /v1/models. Mounted with the other /v1 routes, so the API key,
 * the rate limit and the JSON depth limit apply as everywhere.
 */
export function openAiRoutes(deps: ApiDeps, caps: ConnectionCaps): Router {
  const router = Router();
  router.use(chatCompletionsRoute(deps, caps));
  router.use(modelsRoute(deps));
  router.use(PATHS, (req, _res, next) => {
    next(new OpenAiError(404, `Unknown request URL: ${req.method} ${req.originalUrl.split('?')[0]}.`, 'invalid_request_error', 'unknown_url'));
  });
  return router;
}

/**
 * Every error under /v1/chat and /v1/models — a bad key and the rate limit included — in
 * OpenAI's shape, so OpenAI clients raise their usual exceptions. Mounted before the
 * generic problem+json handler; other paths pass through.
 */
export function openAiErrors(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (!isOpenAiPath(req.originalUrl) || res.headersSent) return next(err);
  sendOpenAiError(res, toOpenAiError(err, req));
}
