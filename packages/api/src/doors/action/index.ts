import { z } from 'zod';
import { actionError } from '@refrain/wire';
import type { Door } from '../core/types';
import { traceIdOf } from './answer';
import { audios } from './audios';
import { tasks } from './tasks';
import { upload } from './upload';

/** action (seed 004; AceData's Suno API): Bearer, `{success, task_id, trace_id, data}`, errors `{success: false, error: {code, message}}`. */
export const actionDoor: Door = {
  name: 'action',
  source: 'seed 004 (sunohub /suno/audios), as AceData serves it',
  errorBody: z.object({ success: z.literal(false), error: z.object({ code: z.string(), message: z.string() }), trace_id: z.string().optional(), task_id: z.string().optional() }),
  auth: 'bearer',
  routes: [audios, upload, tasks],
  owns: (path) => /^\/suno\/(audios|tasks|upload)(\/|$)/.test(path),
  sendError: (_req, res, status, message) => {
    res.status(status).json(actionError(status, message, { traceId: traceIdOf(res) }));
  },
};
