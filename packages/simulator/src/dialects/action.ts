import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actionTasksBody, actionUploadFields } from '@refrain/wire';
import type { SimContext } from '../context';
import { waitFinal } from '../hold';
import { notFound } from '../errors';
import { dialectErrors, guard } from '../http';
import { actionAnswer, actionClip, actionRecord, traceIdOf } from '../render-records';
import { answerSubmit } from '../reply';
import { hookUrl, parseBody } from '../schemas';
import { accept, uploadClip } from '../songs';
import { eventPhase, type NewTask, type PhaseEvent } from '../tasks';
import type { SimClip, SimTask } from '../types';
import { audiosBody, clipsFor } from './action-plan';

/**
 * action (seed 004, as AceData serves it): `POST /suno/audios` with `action`, Bearer auth.
 * With `callback_url` it answers `{task_id}` at once and posts the result there; with
 * `async: true` it answers `{success, task_id, trace_id}` at once; with neither it blocks
 * until the songs exist (504 with the task_id past `actionBlockMs`). `POST /suno/tasks`
 * answers task records; `POST /suno/upload` an uploaded clip.
 */

const uploadBody = z.object({ ...actionUploadFields, audio_url: hookUrl, callback_url: hookUrl.nullish() });
const tasksBody = actionTasksBody(1000);

/** Callback body: `{success, task_id, data}`, once the task is final (AceData calls back on completion). */
function notifier(ctx: SimContext, url: string | null | undefined): NewTask['onPhase'] {
  if (!url) return undefined;
  return (task: SimTask, event: PhaseEvent) => {
    if (event !== 'final') return;
    const sentAt = Date.now();
    void ctx.callbacks.send(url, actionAnswer(ctx.baseOf(task), task, eventPhase(task, event)), task.id).then((ok) => {
      if (!ok) return;
      task.callbacksSent++;
      task.finalCallbackAt = sentAt;
    });
  };
}


/** The blocking answer: the songs, AceData's 500 for a failed job, or its 504 when waiting took too long. */
async function answerBlocking(ctx: SimContext, task: SimTask, res: Response): Promise<void> {
  const outcome = await waitFinal(ctx, task, res, ctx.config.actionBlockMs);
  if (outcome === 'aborted' || res.destroyed || res.writableEnded) return;
  const ids = { task_id: task.id, trace_id: traceIdOf(task) };
  if (outcome === 'timeout') {
    res.status(504).json({ success: false, error: { code: 'timeout', message: 'timeout while waiting for audio generation' }, ...ids });
    return;
  }
  const phase = ctx.store.phase(task);
  if (phase === 'error') res.status(500);
  res.json(actionAnswer(ctx.baseOf(task), task, phase));
}

function submit(ctx: SimContext, req: Request, res: Response): void {
  const b = parseBody(audiosBody, req.body);
  const task = accept(ctx, req, {
    dialect: 'action',
    operation: b.action,
    kind: 'music',
    clips: clipsFor(ctx, b),
    onPhase: notifier(ctx, b.callback_url),
  });
  if (b.callback_url) return answerSubmit(ctx, task, res, () => res.json({ task_id: task.id }));
  if (b.async) return answerSubmit(ctx, task, res, () => res.json({ success: true, task_id: task.id, trace_id: traceIdOf(task) }));
  answerSubmit(ctx, task, res, () => void answerBlocking(ctx, task, res));
}

export function actionRouter(ctx: SimContext): Router {
  const r = Router();
  const g = (op: string) => guard(ctx, 'action', op);

  r.post('/suno/audios', ...g('audios'), (req, res) => submit(ctx, req, res));

  // AceData's upload: the clip is ready at once (`data.audio_id`).
  r.post('/suno/upload', ...g('upload'), (req, res) => {
    const b = parseBody(uploadBody, req.body);
    const task = accept(ctx, req, { dialect: 'action', operation: 'upload', kind: 'music', clips: [uploadClip(b.audio_url, 'chirp-v4')], durationMs: 0 });
    const clip = actionClip(ctx.baseOf(task), task.clips[0] as SimClip, 'complete');
    const data = { audio_id: clip.id, title: clip.title, audio_url: clip.audio_url, image_url: clip.image_url, lyric: clip.lyric, style: clip.style, duration: clip.duration };
    answerSubmit(ctx, task, res, () => res.json({ success: true, task_id: task.id, trace_id: traceIdOf(task), data }));
  });

  r.post('/suno/tasks', ...g('tasks'), (req, res) => {
    const b = parseBody(tasksBody, req.body);
    ctx.stats.statusQuery();
    const record = (t: SimTask) => actionRecord(ctx.baseOf(t), t, ctx.store.phase(t));
    if (b.action === 'retrieve') {
      const task = ctx.store.get(b.id);
      if (!task) throw notFound(`The task ${b.id} does not exist`);
      ctx.store.countQuery([task]);
      res.json(record(task));
      return;
    }
    const tasks = [...new Set(b.ids)].map((id) => ctx.store.get(id)).filter((t): t is SimTask => t !== undefined);
    ctx.store.countQuery(tasks);
    res.json({ items: tasks.map(record), count: tasks.length });
  });

  r.use(dialectErrors(ctx, 'action'));
  return r;
}
