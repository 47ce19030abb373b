import { isFinalGeneration } from '@refrain/contracts';
import { tenantOf } from '../../http/auth';
import { failureProblem } from '../core/errors';
import { holdAnswer, takeConnectionSlot } from '../core/hold';
import { loadDoorTask } from '../core/load';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';
import { descriptionStep, gatewayDescriptionBody } from './description';
import { sendSongs } from './songs';

/** Seed 001: "the API waits up to 220 seconds until the audio is made". */
export const CHATGPT_HOLD_S = 220;

export const chatgpt: DoorRoute = {
  method: 'POST',
  path: '/gateway/generate/chatgpt',
  summary: 'Description mode, answered once both songs are done (holds up to 220 s)',
  op: 'generate',
  body: gatewayDescriptionBody,
  holdsS: CHATGPT_HOLD_S,
  answer: '`{code: 0, msg: "success", data: [2 songs]}` with their audio; after 220 s, the songs as they are then.',
  handle: (deps) =>
    route(async (req, res) => {
      const started = Date.now();
      const b = parseDoorBody(gatewayDescriptionBody, req.body);
      await takeConnectionSlot(res);
      const submitted = await submitThroughDoor(deps, req, res, { door: 'gateway', step: descriptionStep(b), request: req.body, task: false });
      const left = CHATGPT_HOLD_S - (Date.now() - started) / 1000;
      const { aborted } = await holdAnswer(deps, req, res, submitted.record.generation.id, left, (v) => isFinalGeneration(v.status));
      if (aborted) return;
      const task = (await loadDoorTask(deps, tenantOf(res), submitted.record.id)) ?? submitted;
      if (task.phase === 'failed') throw failureProblem(task);
      sendSongs(res, task);
    }),
};
