import { z } from 'zod';
import { modelOf, present } from '../core/fields';
import { parseDoorBody } from '../core/parse';
import { route, type DoorRoute } from '../core/types';
import { answerSongs, WAIT_AUDIO_S } from './songs';

/** gcui-art's `/api/custom_generate`: lyrics (`prompt`), style (`tags`), `title`. */
export const gcuiCustomBody = z.object({
  prompt: z.string({ error: 'prompt is required (the lyrics; empty = instrumental)' }),
  tags: z.string().nullish(),
  title: z.string().nullish(),
  negative_tags: z.string().nullish(),
  make_instrumental: z.boolean().nullish(),
  model: z.string().nullish(),
  wait_audio: z.boolean().nullish(),
});

export const customGenerate: DoorRoute = {
  method: 'POST',
  path: '/api/custom_generate',
  summary: 'Songs from lyrics, style and title (custom mode)',
  op: 'generate',
  body: gcuiCustomBody,
  holdsS: WAIT_AUDIO_S,
  answer: '`[AudioInfo, AudioInfo]`.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(gcuiCustomBody, req.body);
      const step = {
        op: 'generate' as const,
        prompt: b.prompt,
        ...present({ tags: b.tags, title: b.title, negative_tags: b.negative_tags, make_instrumental: b.make_instrumental, mv: modelOf(b.model) }),
      };
      await answerSongs(deps, req, res, { step, names: { mv: 'model' } }, b.wait_audio);
    }),
};
