import { z } from 'zod';
import { modelOf, present } from '../core/fields';
import { parseDoorBody } from '../core/parse';
import { route, type DoorRoute } from '../core/types';
import { answerSongs, WAIT_AUDIO_S } from './songs';

/** gcui-art's `/api/generate`: a description of the song. */
export const gcuiGenerateBody = z.object({
  prompt: z.string({ error: 'prompt is required' }).min(1, 'prompt must not be empty'),
  make_instrumental: z.boolean().nullish(),
  model: z.string().nullish(),
  wait_audio: z.boolean().nullish(),
});

export const generate: DoorRoute = {
  method: 'POST',
  path: '/api/generate',
  summary: 'Songs from a description (`prompt`), optionally held until the audio is final (`wait_audio`)',
  op: 'generate',
  body: gcuiGenerateBody,
  holdsS: WAIT_AUDIO_S,
  answer: '`[AudioInfo, AudioInfo]`.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(gcuiGenerateBody, req.body);
      const step = { op: 'generate' as const, gpt_description_prompt: b.prompt, ...present({ make_instrumental: b.make_instrumental, mv: modelOf(b.model) }) };
      await answerSongs(deps, req, res, { step, names: { gpt_description_prompt: 'prompt', mv: 'model' } }, b.wait_audio);
    }),
};
