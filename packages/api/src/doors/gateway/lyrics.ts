import { z } from 'zod';
import { gatewayLyricsFields, lyricsView, okEnvelope } from '@refrain/wire';
import { tenantOf } from '../../http/auth';
import { problem } from '../../http/problem';
import { loadDoorTask } from '../core/load';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';

export const gatewayLyricsBody = z.object(gatewayLyricsFields);

export const lyricsCreate: DoorRoute = {
  method: 'POST',
  path: '/gateway/generate/lyrics',
  summary: 'Write lyrics from an idea',
  op: 'lyrics',
  body: gatewayLyricsBody,
  answer: '`{code: 0, msg: "success", data: {id}}`.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(gatewayLyricsBody, req.body);
      const task = await submitThroughDoor(deps, req, res, { door: 'gateway', step: { op: 'lyrics', prompt: b.prompt }, request: req.body, task: true });
      res.json(okEnvelope('gateway', { id: task.record.taskId }));
    }),
};

export const lyricsGet: DoorRoute = {
  method: 'GET',
  path: '/gateway/lyrics/{lid}',
  summary: 'Lyrics by id (seed 001)',
  answer: '`{code: 0, msg: "success", data: {text, title, status}}` (text once complete).',
  handle: (deps) =>
    route(async (req, res) => {
      const id = String(req.params.lid);
      const task = await loadDoorTask(deps, tenantOf(res), id);
      if (!task?.lyrics) throw problem(404, `Lyrics not found: ${id}`);
      res.json(okEnvelope('gateway', lyricsView(task.lyrics)));
    }),
};
