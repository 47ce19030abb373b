import { z } from 'zod';
import { lyricsView } from '@refrain/wire';
import { tenantOf } from '../../http/auth';
import { problem } from '../../http/problem';
import { failureProblem } from '../core/errors';
import { holdAnswer, takeConnectionSlot } from '../core/hold';
import { loadDoorTask } from '../core/load';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';
import { WAIT_AUDIO_S } from './songs';

export const gcuiLyricsBody = z.object({ prompt: z.string({ error: 'prompt is required' }).min(1, 'prompt must not be empty') });

export const generateLyrics: DoorRoute = {
  method: 'POST',
  path: '/api/generate_lyrics',
  summary: 'Lyrics from an idea, answered once written (as gcui-art waits for them)',
  op: 'lyrics',
  body: gcuiLyricsBody,
  holdsS: WAIT_AUDIO_S,
  answer: '`{text, title, status: "complete"}`.',
  handle: (deps) =>
    route(async (req, res) => {
      const started = Date.now();
      const b = parseDoorBody(gcuiLyricsBody, req.body);
      await takeConnectionSlot(res);
      const task = await submitThroughDoor(deps, req, res, { door: 'gcui', step: { op: 'lyrics', prompt: b.prompt }, request: req.body, task: true });
      const { aborted } = await holdAnswer(deps, req, res, task.record.generation.id, WAIT_AUDIO_S - (Date.now() - started) / 1000);
      if (aborted) return;
      const final = (await loadDoorTask(deps, tenantOf(res), task.record.id)) ?? task;
      if (final.phase === 'failed') throw failureProblem(final);
      if (final.phase !== 'succeeded' || !final.lyrics) throw problem(504, `the lyrics are not written after ${WAIT_AUDIO_S} s`);
      res.json(lyricsView(final.lyrics));
    }),
};
