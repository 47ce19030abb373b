import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';
import { descriptionStep, gatewayDescriptionBody } from './description';
import { sendSongs } from './songs';

export const gptDesc: DoorRoute = {
  method: 'POST',
  path: '/gateway/generate/gpt_desc',
  summary: 'Description mode (gpt_description_prompt, make_instrumental, mv)',
  op: 'generate',
  body: gatewayDescriptionBody,
  answer: '`{code: 0, msg: "success", data: [2 songs]}`.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(gatewayDescriptionBody, req.body);
      const task = await submitThroughDoor(deps, req, res, { door: 'gateway', step: descriptionStep(b), request: req.body, task: false });
      sendSongs(res, task);
    }),
};
