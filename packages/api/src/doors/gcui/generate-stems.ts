import { z } from 'zod';
import { tenantOf } from '../../http/auth';
import { resolveClipRef } from '../core/clip-ref';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';
import { audioInfo } from './audio-info';

export const gcuiStemsBody = z.object({ audio_id: z.string({ error: 'Audio ID is required' }).min(1, 'Audio ID is required') });

export const generateStems: DoorRoute = {
  method: 'POST',
  path: '/api/generate_stems',
  summary: 'Vocals and instrumental of a clip',
  op: 'stems',
  body: gcuiStemsBody,
  answer: '`[AudioInfo + stem_from_id, …]` (vocals, instrumental).',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(gcuiStemsBody, req.body);
      const src = await resolveClipRef(deps, tenantOf(res), b.audio_id, 'audio_id');
      const task = await submitThroughDoor(deps, req, res, {
        door: 'gcui',
        step: { op: 'stems', clip_id: src.clipId },
        ...(src.provider ? { provider: src.provider } : {}),
        request: req.body,
        task: false,
        names: { clip_id: 'audio_id' },
      });
      res.json(task.clips.map((c) => ({ ...audioInfo(c), stem_from_id: b.audio_id })));
    }),
};
