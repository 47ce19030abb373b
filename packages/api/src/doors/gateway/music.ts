import { z } from 'zod';
import { gatewayMusicFields } from '@refrain/wire';
import { tenantOf } from '../../http/auth';
import { resolveClipRef } from '../core/clip-ref';
import { modelOf, present } from '../core/fields';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';
import { sendSongs } from './songs';

export const gatewayMusicBody = z.object(gatewayMusicFields);

export const music: DoorRoute = {
  method: 'POST',
  path: '/gateway/generate/music',
  summary: 'Custom mode (title, tags, prompt, mv); with continue_clip_id and continue_at, an extension',
  op: 'generate | extend',
  body: gatewayMusicBody,
  answer: '`{code: 0, msg: "success", data: [2 songs]}`; query each `song_id` at /gateway/feed/{song_id}.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(gatewayMusicBody, req.body);
      const song = present({ prompt: b.prompt, title: b.title, tags: b.tags, mv: modelOf(b.mv) });
      const src = b.continue_clip_id ? await resolveClipRef(deps, tenantOf(res), b.continue_clip_id, 'continue_clip_id') : undefined;
      const step = src
        ? { op: 'extend' as const, continue_clip_id: src.clipId, ...present({ continue_at: b.continue_at }), ...song }
        : { op: 'generate' as const, ...present({ negative_tags: b.negative_tags }), ...song };
      const task = await submitThroughDoor(deps, req, res, {
        door: 'gateway',
        step,
        ...(src?.provider ? { provider: src.provider } : {}),
        request: req.body,
        task: false,
      });
      sendSongs(res, task);
    }),
};
