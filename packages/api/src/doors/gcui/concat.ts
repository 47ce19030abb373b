import { z } from 'zod';
import { tenantOf } from '../../http/auth';
import { resolveClipRef } from '../core/clip-ref';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';
import { audioInfo } from './audio-info';

export const gcuiConcatBody = z.object({ clip_id: z.string({ error: 'Clip id is required' }).min(1, 'Clip id is required') });

export const concat: DoorRoute = {
  method: 'POST',
  path: '/api/concat',
  summary: 'The whole song of an extended clip',
  op: 'concat',
  body: gcuiConcatBody,
  answer: 'One `AudioInfo`; GET /api/get?ids= it until complete.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(gcuiConcatBody, req.body);
      const src = await resolveClipRef(deps, tenantOf(res), b.clip_id, 'clip_id');
      const task = await submitThroughDoor(deps, req, res, {
        door: 'gcui',
        step: { op: 'concat', clip_id: src.clipId },
        ...(src.provider ? { provider: src.provider } : {}),
        request: req.body,
        task: false,
      });
      res.json(audioInfo(task.clips[0]!));
    }),
};
