import { actionError } from '@refrain/wire';
import { tenantOf } from '../../http/auth';
import { FAILURE_STATUS } from '../core/errors';
import { holdAnswer, takeConnectionSlot } from '../core/hold';
import { loadDoorTask } from '../core/load';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';
import { guardDoorUrls } from '../core/urls';
import { answerOf, traceIdOf } from './answer';
import { audiosBody, audiosStep } from './audios-step';

/** How long an answer without `callback_url` or `async` waits for the songs (AceData: "1–2 minutes"), then 504 naming the task. */
export const ACTION_HOLD_S = 120;

export const audios: DoorRoute = {
  method: 'POST',
  path: '/suno/audios',
  summary: 'Every action Refrain can run: generate, extend, upload_extend, cover, upload_cover, replace_section, concat, stems, upload_generate, artist_consistency',
  op: 'generate | extend | cover | replace_section | concat | stems | upload | persona',
  body: audiosBody,
  holdsS: ACTION_HOLD_S,
  answer:
    'Without `callback_url` or `async`: the final `{success: true, task_id, trace_id, data: [clips]}` (seed 004), or 504 with the `task_id` after 120 s. With `callback_url`: `{task_id}` at once, and the final answer is POSTed there. With `async: true`: `{success, task_id, trace_id}` at once.',
  handle: (deps) =>
    route(async (req, res) => {
      const started = Date.now();
      const b = parseDoorBody(audiosBody, req.body);
      await guardDoorUrls(deps, [
        { field: 'callback_url', url: b.callback_url },
        { field: 'audio_url', url: b.action === 'upload_generate' ? b.audio_url : null },
      ]);
      const planned = await audiosStep(deps, tenantOf(res), b);
      if (!b.callback_url && !b.async) await takeConnectionSlot(res); // the blocking answer holds the connection
      const task = await submitThroughDoor(deps, req, res, { door: 'action', ...planned, callbackUrl: b.callback_url ?? null, request: req.body, task: true });
      const taskId = task.record.taskId!;
      const traceId = traceIdOf(res);
      if (b.callback_url) return void res.json({ task_id: taskId });
      if (b.async) return void res.json({ success: true, task_id: taskId, trace_id: traceId });
      const { aborted } = await holdAnswer(deps, req, res, task.record.generation.id, ACTION_HOLD_S - (Date.now() - started) / 1000);
      if (aborted) return;
      const final = (await loadDoorTask(deps, tenantOf(res), taskId)) ?? task;
      if (final.phase === 'failed') return void res.status(FAILURE_STATUS[final.failure?.code ?? 'internal'] === 400 ? 400 : 500).json(answerOf(final, traceId));
      if (final.phase !== 'succeeded') return void res.status(504).json(actionError(504, 'timeout while waiting for audio generation', { taskId, traceId }));
      res.json(answerOf(final, traceId));
    }),
};
