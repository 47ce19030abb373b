import { z } from 'zod';
import { errorEnvelope } from '@refrain/wire';
import type { Door } from '../core/types';
import { chatgpt } from './chatgpt';
import { concat } from './concat';
import { feed, query } from './feed';
import { gptDesc } from './gpt-desc';
import { limit } from './limit';
import { lyricsCreate, lyricsGet } from './lyrics';
import { music } from './music';

/** gateway (seed 001; sunoaiapi): header `api-key`, envelope `{code: 0, msg, data}`, errors `{code: <status>, msg, data: null}`. */
export const gatewayDoor: Door = {
  name: 'gateway',
  source: 'seed 001 (sunoaiapi\'s /gateway/* API)',
  errorBody: z.object({ code: z.number().int().meta({ description: 'The HTTP status.' }), msg: z.string(), data: z.null() }),
  auth: 'api-key',
  routes: [music, gptDesc, chatgpt, concat, lyricsCreate, lyricsGet, feed, query, limit],
  owns: (path) => path.startsWith('/gateway'),
  sendError: (_req, res, status, message) => {
    res.status(status).json(errorEnvelope('gateway', status, message));
  },
};
