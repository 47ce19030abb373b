import { Router } from 'express';
import { z } from 'zod';
import { relayFetchFields, relayLyricsFields, relayMusicFields } from '@refrain/wire';
import type { SimContext } from '../context';
import { badRequest, notFound } from '../errors';
import { dialectErrors, guard, param, sendOk } from '../http';
import { relayTask } from '../render-records';
import { answerSubmit } from '../reply';
import { hookUrl, model, parseBody } from '../schemas';
import { accept, isDescriptionMode, lyricsTask, songClips } from '../songs';
import { eventPhase, type NewTask, type PhaseEvent } from '../tasks';
import type { SimTask } from '../types';

/** relay (seed 003): task relay, Bearer auth, envelope `{code: "success", message, data}`. */

const DEFAULT_MODEL = 'chirp-v3-0';
/** No cap is documented (new-api hands the whole list to one query); this only bounds a runaway test. */
const MAX_BATCH = 10_000;

const musicBody = z.object({ ...relayMusicFields, mv: model.nullish(), notify_hook: hookUrl.nullish() });
const lyricsBody = z.object({ ...relayLyricsFields, notify_hook: hookUrl.nullish() });
const batchBody = z.object({ ...relayFetchFields, ids: relayFetchFields.ids.max(MAX_BATCH, `at most ${MAX_BATCH} ids per request`) });

/**
 * The callback: the same task object fetch returns, bare or in the envelope (config). A
 * relay built on new-api drops notify_hook (shape `relayNotifyHook: "dropped"`): no call.
 */
function notifier(ctx: SimContext, url: string | null | undefined): NewTask['onPhase'] {
  if (!url || ctx.config.shapes.relayNotifyHook === 'dropped') return undefined;
  return (task: SimTask, event: PhaseEvent) => {
    const phase = eventPhase(task, event);
    const at = task.createdAt + (event === 'streaming' ? task.durationMs * 0.5 : task.durationMs);
    const body = relayTask(ctx.baseOf(task), { ...task, odd: false }, phase, at, ctx.config.shapes);
    const payload = ctx.config.callbackEnvelope ? { code: 'success', message: '', data: body } : body;
    const sentAt = Date.now();
    void ctx.callbacks.send(url, payload, task.id).then((ok) => {
      if (!ok) return;
      task.callbacksSent++;
      if (event === 'final') task.finalCallbackAt = sentAt;
    });
  };
}

function render(ctx: SimContext, task: SimTask): Record<string, unknown> {
  const at = ctx.now();
  return relayTask(ctx.baseOf(task), task, ctx.store.phase(task, at), at, ctx.config.shapes);
}

export function relayRouter(ctx: SimContext): Router {
  const r = Router();
  const g = (op: string) => guard(ctx, 'relay', op);

  r.post('/suno/submit/music', ...g('submit_music'), (req, res) => {
    const b = parseBody(musicBody, req.body);
    const description = isDescriptionMode({ description: b.gpt_description_prompt });
    if (!description && typeof b.prompt !== 'string') {
      throw badRequest('Invalid body: give gpt_description_prompt (inspiration mode) or prompt (custom mode; empty string = instrumental)');
    }
    let source = null;
    if (b.continue_clip_id) {
      if (b.continue_at === undefined || b.continue_at === null) throw badRequest('Invalid body: continue_at is required with continue_clip_id');
      const hit = ctx.store.source(b.continue_clip_id);
      if (b.task_id && hit.task.id !== b.task_id) {
        throw badRequest(`Clip ${b.continue_clip_id} does not belong to task ${b.task_id}`);
      }
      source = { clip: hit.clip, continueAt: b.continue_at };
    } else if (b.task_id && !ctx.store.get(b.task_id)) {
      throw badRequest(`Unknown task_id: ${b.task_id}`);
    }
    const clips = songClips({
      description: description ? b.gpt_description_prompt : null,
      instrumental: description ? b.make_instrumental : false,
      lyrics: b.prompt,
      title: b.title,
      tags: b.tags,
      negativeTags: b.negative_tags,
      model: b.mv ?? DEFAULT_MODEL,
      source,
    });
    const task = accept(ctx, req, {
      dialect: 'relay',
      operation: source ? 'extend' : 'generate',
      kind: 'music',
      clips,
      onPhase: notifier(ctx, b.notify_hook),
    });
    answerSubmit(ctx, task, res, () => sendOk(res, 'relay', task.id));
  });

  r.post('/suno/submit/lyrics', ...g('submit_lyrics'), (req, res) => {
    const b = parseBody(lyricsBody, req.body);
    const task = accept(ctx, req, {
      dialect: 'relay',
      operation: 'lyrics',
      kind: 'lyrics',
      clips: [],
      lyrics: lyricsTask(b.prompt),
      onPhase: notifier(ctx, b.notify_hook),
    });
    answerSubmit(ctx, task, res, () => sendOk(res, 'relay', task.id));
  });

  r.get('/suno/fetch/:task_id', ...g('fetch'), (req, res) => {
    ctx.stats.statusQuery();
    const task = ctx.store.get(param(req, 'task_id'));
    if (!task) throw notFound(`Task not found: ${param(req, 'task_id')}`);
    ctx.store.countQuery([task]);
    sendOk(res, 'relay', render(ctx, task));
  });

  r.post('/suno/fetch', ...g('fetch_batch'), (req, res) => {
    const b = parseBody(batchBody, req.body);
    ctx.stats.statusQuery();
    const tasks = [...new Set(b.ids)]
      .map((id) => ctx.store.get(id))
      .filter((t): t is SimTask => t !== undefined);
    ctx.store.countQuery(tasks);
    sendOk(res, 'relay', tasks.map((t) => render(ctx, t)));
  });

  r.use(dialectErrors(ctx, 'relay'));
  return r;
}
