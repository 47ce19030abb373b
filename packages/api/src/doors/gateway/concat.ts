import { z } from 'zod';
import { gatewayConcatFields } from '@refrain/wire';
import { tenantOf } from '../../http/auth';
import { resolveClipRef } from '../core/clip-ref';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';
import { sendSongs } from './songs';

export const gatewayConcatBody = z.object(gatewayConcatFields);

export const concat: DoorRoute = {
  method: 'POST',
  path: '/gateway/generate/concat',
  summary: 'The whole song of an extended clip (sunoaiapi)',
  op: 'concat',
  body: gatewayConcatBody,
  answer: '`{code: 0, msg: "success", data: [<song>]}`.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(gatewayConcatBody, req.body);
      const src = await resolveClipRef(deps, tenantOf(res), b.clip_id, 'clip_id');
      const task = await submitThroughDoor(deps, req, res, {
        door: 'gateway',
        step: { op: 'concat', clip_id: src.clipId },
        ...(src.provider ? { provider: src.provider } : {}),
        request: req.body,
        task: false,
      });
      sendSongs(res, task);
    }),
};
