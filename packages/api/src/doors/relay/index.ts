import { z } from 'zod';
import { errorEnvelope } from '@refrain/wire';
import type { Door } from '../core/types';
import { fetchBatch } from './fetch-batch';
import { fetchOne } from './fetch-one';
import { submitLyrics } from './submit-lyrics';
import { submitMusic } from './submit-music';

/** relay (seed 003; new-api, one-hub): Bearer, envelope `{code: "success", message, data}`. */
export const relayDoor: Door = {
  name: 'relay',
  source: 'seed 003 (the task relay of new-api, one-hub)',
  errorBody: z.object({ code: z.literal('error'), message: z.string(), data: z.null() }),
  auth: 'bearer',
  routes: [submitMusic, submitLyrics, fetchOne, fetchBatch],
  owns: (path) => path.startsWith('/suno/'),
  sendError: (_req, res, status, message) => {
    res.status(status).json(errorEnvelope('relay', status, message));
  },
};
