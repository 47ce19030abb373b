import { z } from 'zod';
import { nativeUploadFields } from '@refrain/wire';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';
import { guardDoorUrls } from '../core/urls';

export const nativeUploadBody = z.object(nativeUploadFields);

export const upload: DoorRoute = {
  method: 'POST',
  path: '/v1/suno/uploads/audio-url',
  summary: 'An audio URL becomes a clip that later requests can extend or cover',
  op: 'upload',
  body: nativeUploadBody,
  answer: 'tu-zi\'s `{code: "success", message, data: "<clip id>"}`; feed the clip id.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(nativeUploadBody, req.body);
      await guardDoorUrls(deps, [{ field: 'url', url: b.url }]);
      const task = await submitThroughDoor(deps, req, res, {
        door: 'native',
        step: { op: 'upload', audio_url: b.url },
        request: req.body,
        task: false,
        names: { audio_url: 'url' },
      });
      res.json({ code: 'success', message: '', data: task.clips[0]!.id });
    }),
};
