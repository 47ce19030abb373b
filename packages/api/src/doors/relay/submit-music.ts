import { z } from 'zod';
import { loadDoorRecords } from '@refrain/db';
import { looseSeconds, okEnvelope, relayMusicFields } from '@refrain/wire';
import type { ApiDeps } from '../../deps';
import { tenantOf } from '../../http/auth';
import { problem } from '../../http/problem';
import { resolveClipRef } from '../core/clip-ref';
import { given, modelOf, present } from '../core/fields';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';
import { guardDoorUrls } from '../core/urls';

/** Seed 003's three modes; `continue_at` also as a numeric string. */
export const relayMusicBody = z.object({ ...relayMusicFields, continue_at: looseSeconds });
type Body = z.infer<typeof relayMusicBody>;

/** The continuation's clip, checked against its `task_id` when the client names one of ours. */
async function continuation(deps: ApiDeps, tenantId: string, b: Body) {
  const ref = await resolveClipRef(deps, tenantId, b.continue_clip_id!, 'continue_clip_id');
  if (b.task_id) {
    const [task] = await loadDoorRecords(deps.database.db, tenantId, [b.task_id]);
    const [clip] = await loadDoorRecords(deps.database.db, tenantId, [b.continue_clip_id!]);
    if (task && clip && task.generation.id !== clip.generation.id) throw problem(400, `continue_clip_id: clip ${b.continue_clip_id} does not belong to task ${b.task_id}`);
  }
  return ref;
}

export const submitMusic: DoorRoute = {
  method: 'POST',
  path: '/suno/submit/music',
  summary: 'Make songs: inspiration mode (gpt_description_prompt), custom mode (prompt, title, tags) or continuation (task_id, continue_clip_id, continue_at)',
  op: 'generate | extend',
  body: relayMusicBody,
  answer: '`{code: "success", message, data: "<task id>"}`; the task id is valid at once and for the life of the task.',
  handle: (deps) =>
    route(async (req, res) => {
      const b = parseDoorBody(relayMusicBody, req.body);
      await guardDoorUrls(deps, [{ field: 'notify_hook', url: b.notify_hook }]);
      const common = present({ mv: modelOf(b.mv) });
      let step;
      let provider: string | undefined;
      if (b.continue_clip_id) {
        const ref = await continuation(deps, tenantOf(res), b);
        provider = ref.provider;
        step = { op: 'extend' as const, continue_clip_id: ref.clipId, ...present({ continue_at: b.continue_at, prompt: b.prompt, title: b.title, tags: b.tags }), ...common };
      } else if (given(b.gpt_description_prompt)) {
        step = { op: 'generate' as const, gpt_description_prompt: b.gpt_description_prompt!, ...present({ make_instrumental: b.make_instrumental }), ...common };
      } else {
        step = { op: 'generate' as const, ...present({ prompt: b.prompt, title: b.title, tags: b.tags, negative_tags: b.negative_tags, make_instrumental: b.make_instrumental }), ...common };
      }
      const task = await submitThroughDoor(deps, req, res, {
        door: 'relay',
        step,
        ...(provider ? { provider } : {}),
        callbackUrl: b.notify_hook ?? null,
        request: req.body,
        task: true,
      });
      res.json(okEnvelope('relay', task.record.taskId));
    }),
};
