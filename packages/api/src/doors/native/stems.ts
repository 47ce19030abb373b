import { tenantOf } from '../../http/auth';
import { resolveClipRef } from '../core/clip-ref';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';
import { batchOf } from './generate';

export const stems: DoorRoute = {
  method: 'POST',
  path: '/v1/suno/edit/stems/{clip_id}',
  summary: 'Vocals and instrumental of a clip (Suno\'s web path; generate with `task: "gen_stem"` does the same)',
  op: 'stems',
  answer: 'As generate: `{id, clips: [vocals, instrumental], …}`.',
  handle: (deps) =>
    route(async (req, res) => {
      const src = await resolveClipRef(deps, tenantOf(res), String(req.params.clip_id), 'clip_id');
      const task = await submitThroughDoor(deps, req, res, {
        door: 'native',
        step: { op: 'stems', clip_id: src.clipId },
        ...(src.provider ? { provider: src.provider } : {}),
        request: req.body ?? {},
        task: true,
      });
      res.json(batchOf(task));
    }),
};
