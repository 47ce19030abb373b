import { z } from 'zod';
import { okEnvelope, relayLyricsFields } from '@refrain/wire';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';
import { guardDoorUrls } from '../core/urls';

export const relayLyricsBody = z.object(relayLyricsFields);

export const submitLyrics: DoorRoute = {
  method: 'POST',
  path: '/suno/submit/lyrics',
  summary: 'Write lyrics from an idea',
  op: 'lyrics',
  body: relayLyricsBody,
  answer: '`{code: "success", message, data: "<task id>"}`; fetch it for `{id, text, title, status}`.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(relayLyricsBody, req.body);
      await guardDoorUrls(deps, [{ field: 'notify_hook', url: b.notify_hook }]);
      const task = await submitThroughDoor(deps, req, res, {
        door: 'relay',
        step: { op: 'lyrics', prompt: b.prompt },
        callbackUrl: b.notify_hook ?? null,
        request: req.body,
        task: true,
      });
      res.json(okEnvelope('relay', task.record.taskId));
    }),
};
