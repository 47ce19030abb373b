import { z } from 'zod';
import { actionError, actionUploadFields } from '@refrain/wire';
import { tenantOf } from '../../http/auth';
import { holdAnswer, takeConnectionSlot } from '../core/hold';
import { loadDoorTask } from '../core/load';
import { parseDoorBody } from '../core/parse';
import { submitThroughDoor } from '../core/submit';
import { route, type DoorRoute } from '../core/types';
import { guardDoorUrls } from '../core/urls';
import { answerOf, traceIdOf } from './answer';
import { ACTION_HOLD_S } from './audios';

export const actionUploadBody = z.object(actionUploadFields);

export const upload: DoorRoute = {
  method: 'POST',
  path: '/suno/upload',
  summary: 'An audio URL becomes a clip (AceData); answered once the clip exists',
  op: 'upload',
  body: actionUploadBody,
  holdsS: ACTION_HOLD_S,
  answer: '`{success, task_id, trace_id, data: {audio_id, title, audio_url, image_url, lyric, style, duration}}`; `audio_id` then goes to extend, cover… as `audio_id`.',
  handle: (deps) =>
    route(async (req, res) => {
      const started = Date.now();
      const b = parseDoorBody(actionUploadBody, req.body);
      await guardDoorUrls(deps, [
        { field: 'audio_url', url: b.audio_url },
        { field: 'callback_url', url: b.callback_url },
      ]);
      await takeConnectionSlot(res);
      const task = await submitThroughDoor(deps, req, res, {
        door: 'action',
        step: { op: 'upload', audio_url: b.audio_url },
        callbackUrl: b.callback_url ?? null,
        request: req.body,
        task: true,
      });
      const taskId = task.record.taskId!;
      const traceId = traceIdOf(res);
      const { aborted } = await holdAnswer(deps, req, res, task.record.generation.id, ACTION_HOLD_S - (Date.now() - started) / 1000);
      if (aborted) return;
      const final = (await loadDoorTask(deps, tenantOf(res), taskId)) ?? task;
      if (final.phase === 'failed') return void res.status(500).json(answerOf(final, traceId));
      const clip = final.clips[0];
      if (final.phase !== 'succeeded' || !clip) return void res.status(504).json(actionError(504, 'timeout while waiting for the upload', { taskId, traceId }));
      res.json({
        success: true,
        task_id: taskId,
        trace_id: traceId,
        data: { audio_id: clip.id, title: clip.title, audio_url: clip.audioUrl, image_url: clip.imageUrl ?? '', lyric: clip.lyrics, style: clip.tags, duration: clip.duration },
      });
    }),
};
