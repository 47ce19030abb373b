import { z } from 'zod';
import { lyricsView, nativeLyricsFields } from '@refrain/wire';
import { tenantOf } from '../../http/auth';
import { problem } from '../../http/problem';
import { loadDoorTask } from '../core/load';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';

export const nativeLyricsBody = z.object(nativeLyricsFields);

export const lyricsCreate: DoorRoute = {
  method: 'POST',
  path: '/v1/suno/generate/lyrics',
  summary: 'Write lyrics from an idea',
  op: 'lyrics',
  body: nativeLyricsBody,
  answer: '`{id}`; then GET /v1/suno/lyrics/{id}.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(nativeLyricsBody, req.body);
      const task = await submitThroughDoor(deps, req, res, { door: 'native', step: { op: 'lyrics', prompt: b.prompt }, request: req.body, task: true });
      res.json({ id: task.record.taskId });
    }),
};

export const lyricsGet: DoorRoute = {
  method: 'GET',
  path: '/v1/suno/lyrics/{id}',
  summary: 'Lyrics by id',
  answer: '`{id, status: running|complete|error, title, text}` (text once complete).',
  handle: (deps) =>
    route(async (req, res) => {
      const id = String(req.params.id);
      const task = await loadDoorTask(deps, tenantOf(res), id);
      if (!task?.lyrics) throw problem(404, `Lyrics not found: ${id}`);
      res.json({ id, ...lyricsView(task.lyrics) });
    }),
};
