import { z } from 'zod';
import { tenantOf } from '../../http/auth';
import { problem } from '../../http/problem';
import { resolveClipRef } from '../core/clip-ref';
import { modelOf, present } from '../core/fields';
import { parseDoorBody } from '../core/parse';
import { route, type DoorRoute } from '../core/types';
import { answerSongs, WAIT_AUDIO_S } from './songs';

/** Seconds as gcui-art documents `continue_at`: a number, `"109.96"`, or `"mm:ss"`. */
const continueAt = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === 'number') return v;
    const clock = /^(\d+):(\d{1,2}(?:\.\d+)?)$/.exec(v.trim());
    const n = clock ? Number(clock[1]) * 60 + Number(clock[2]) : /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
    if (Number.isNaN(n)) ctx.addIssue({ code: 'custom', message: 'expected seconds (109.96) or mm:ss (01:50)' });
    return n;
  })
  .nullish();

export const gcuiExtendBody = z.object({
  audio_id: z.string({ error: 'Audio ID is required' }).min(1, 'Audio ID is required'),
  prompt: z.string().nullish(),
  continue_at: continueAt,
  title: z.string().nullish(),
  tags: z.string().nullish(),
  negative_tags: z.string().nullish(),
  model: z.string().nullish(),
  wait_audio: z.boolean().nullish(),
});

export const extendAudio: DoorRoute = {
  method: 'POST',
  path: '/api/extend_audio',
  summary: 'Continue a clip from `continue_at` (default: its end)',
  op: 'extend',
  body: gcuiExtendBody,
  holdsS: WAIT_AUDIO_S,
  answer: '`[AudioInfo, AudioInfo]`.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(gcuiExtendBody, req.body);
      const src = await resolveClipRef(deps, tenantOf(res), b.audio_id, 'audio_id');
      const at = b.continue_at ?? src.duration;
      if (at === undefined || at === null) throw problem(400, 'continue_at is required: the length of this clip is not known');
      const step = {
        op: 'extend' as const,
        continue_clip_id: src.clipId,
        continue_at: at,
        ...present({ prompt: b.prompt, title: b.title, tags: b.tags, mv: modelOf(b.model) }),
      };
      await answerSongs(deps, req, res, { step, ...(src.provider ? { provider: src.provider } : {}), names: { continue_clip_id: 'audio_id', mv: 'model' } }, b.wait_audio);
    }),
};
