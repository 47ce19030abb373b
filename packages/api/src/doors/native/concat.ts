import { z } from 'zod';
import { nativeClip, nativeConcatFields } from '@refrain/wire';
import { tenantOf } from '../../http/auth';
import { resolveClipRef } from '../core/clip-ref';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';

/** `{clip_id, is_infill}` (sibling proxies); Refrain sets `is_infill` itself when the clip is a replaced section. */
export const nativeConcatBody = z.object(nativeConcatFields);

export const concat: DoorRoute = {
  method: 'POST',
  path: '/v1/suno/generate/concat',
  summary: 'The whole song of an extended clip, as one clip',
  op: 'concat',
  body: nativeConcatBody,
  answer: 'One Suno clip object; feed its id.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(nativeConcatBody, req.body);
      const src = await resolveClipRef(deps, tenantOf(res), b.clip_id, 'clip_id');
      const task = await submitThroughDoor(deps, req, res, {
        door: 'native',
        step: { op: 'concat', clip_id: src.clipId },
        ...(src.provider ? { provider: src.provider } : {}),
        request: req.body,
        task: false,
      });
      res.json(nativeClip(task.clips[0]!));
    }),
};
