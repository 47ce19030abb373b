import { Router } from 'express';
import { z } from 'zod';
import type { SimContext } from '../context';
import { badRequest } from '../errors';
import { dialectErrors, guard, sendOk } from '../http';
import { actionClip } from '../render';
import { hookUrl, idList, model, parseBody, seconds, text } from '../schemas';
import { accept, concatClip, songClips, stemClips, uploadClip } from '../songs';
import { eventPhase, type NewClip, type NewTask, type PhaseEvent } from '../tasks';
import type { Phase, SimClip, SimTask } from '../types';

/** action (seed 004): one endpoint with `action`, Bearer auth, envelope `{success, data}`. */

const ACTIONS = [
  'generate', 'extend', 'upload_generate', 'concat', 'replace_section', 'upload_extend', 'stems', 'artist_consistency', 'cover',
] as const;
type Action = (typeof ACTIONS)[number];
const DEFAULT_MODEL = 'chirp-v4';

const audiosBody = z.object({
  action: z.enum(ACTIONS, { error: `action is required: one of ${ACTIONS.join(', ')}` }),
  prompt: text,
  model: model.nullish(),
  custom: z.boolean().nullish(),
  instrumental: z.boolean().nullish(),
  audio_id: text,
  audio_url: z.url({ protocol: /^https?$/, error: 'audio_url must be an http(s) URL' }).nullish(),
  continue_at: seconds,
  style: text,
  lyric: text,
  title: text,
  is_pro: z.boolean().nullish(),
  style_negative: text,
  persona_id: text,
  infill_start_s: seconds,
  infill_end_s: seconds,
  callback_url: hookUrl.nullish(),
});
type AudiosBody = z.infer<typeof audiosBody>;

const need = (v: unknown, field: string, action: Action): void => {
  if (v === undefined || v === null || v === '') throw badRequest(`Invalid body: ${field} is required for action "${action}"`);
};

/** The source clip of an edit; `extend` and `upload_extend` are not interchangeable. */
function sourceOf(ctx: SimContext, b: AudiosBody): SimClip {
  need(b.audio_id, 'audio_id', b.action);
  const src = ctx.store.source(b.audio_id ?? '').clip;
  if (b.action === 'extend' && src.kind === 'upload') throw badRequest(`Clip ${src.id} is an uploaded clip: use action "upload_extend"`);
  if (b.action === 'upload_extend' && src.kind !== 'upload') throw badRequest(`Clip ${src.id} is not an uploaded clip: use action "extend"`);
  return src;
}

/** Custom-mode fields; lyrics come in `lyric`, or in `prompt` (docs/providers.md). */
function custom(b: AudiosBody, mv: string, source: SimClip | null, task: string | null): NewClip[] {
  return songClips({
    lyrics: b.lyric ?? b.prompt ?? '',
    instrumental: b.instrumental,
    title: b.title,
    tags: b.style,
    negativeTags: b.style_negative,
    model: mv,
    source: source ? { clip: source, continueAt: b.continue_at ?? b.infill_start_s ?? null } : null,
    task,
  });
}

function clipsFor(ctx: SimContext, b: AudiosBody): NewClip[] {
  const mv = b.model ?? DEFAULT_MODEL;
  switch (b.action) {
    case 'generate':
      if (b.custom) return custom(b, mv, null, null);
      need(b.prompt, 'prompt (the description, custom: false)', b.action);
      return songClips({ description: b.prompt, instrumental: b.instrumental, model: mv });
    case 'extend':
    case 'upload_extend': {
      const src = sourceOf(ctx, b);
      need(b.continue_at, 'continue_at', b.action);
      return custom(b, b.action === 'upload_extend' ? `${mv.replace(/-upload$/, '')}-upload` : mv, src, null);
    }
    case 'upload_generate':
      need(b.audio_url, 'audio_url', b.action);
      return [uploadClip(b.audio_url ?? '', mv)];
    case 'concat':
      return [concatClip(sourceOf(ctx, b))];
    case 'stems':
      return stemClips(sourceOf(ctx, b));
    case 'cover':
      return custom(b, mv, sourceOf(ctx, b), 'cover');
    case 'replace_section': {
      const src = sourceOf(ctx, b);
      if (b.infill_start_s != null && b.infill_end_s != null && b.infill_end_s <= b.infill_start_s) {
        throw badRequest('Invalid body: infill_end_s must be greater than infill_start_s');
      }
      return custom(b, mv, src, 'infill');
    }
    case 'artist_consistency':
      need(b.persona_id, 'persona_id', b.action);
      return custom(b, mv, null, 'artist_consistency');
  }
}

function answer(ctx: SimContext, task: SimTask, phase: Phase): unknown[] {
  return task.clips.map((c) => actionClip(ctx.baseOf(task), c, phase));
}

/** Callback body: the same `{success, data}` object the endpoint answers. */
function notifier(ctx: SimContext, url: string | null | undefined): NewTask['onPhase'] {
  if (!url) return undefined;
  return (task: SimTask, event: PhaseEvent) => {
    const body = { success: true, data: answer(ctx, task, eventPhase(task, event)) };
    const sentAt = Date.now();
    void ctx.callbacks.send(url, body, task.id).then((ok) => {
      if (!ok) return;
      task.callbacksSent++;
      if (event === 'final') task.finalCallbackAt = sentAt;
    });
  };
}

export function actionRouter(ctx: SimContext): Router {
  const r = Router();
  const g = (op: string) => guard(ctx, 'action', op);

  r.post('/suno/audios', ...g('audios'), (req, res) => {
    const b = parseBody(audiosBody, req.body);
    const clips = clipsFor(ctx, b);
    const task = accept(ctx, req, {
      dialect: 'action',
      operation: b.action,
      kind: 'music',
      clips,
      idFromFirstClip: true,
      onPhase: notifier(ctx, b.callback_url),
    });
    // Unlike the other dialects the answer shows the real state: with D = 0 it is final.
    sendOk(res, 'action', answer(ctx, task, ctx.store.phase(task)));
  });

  r.get('/suno/audios', ...g('query'), (req, res) => {
    const ids = idList(req.query.ids);
    if (ids.length === 0) throw badRequest('ids is required (comma-separated clip ids)');
    ctx.stats.statusQuery();
    const hits = ids.flatMap((id) => ctx.store.clip(id) ?? []);
    ctx.store.countQuery(hits.map((h) => h.task));
    sendOk(res, 'action', hits.map((h) => actionClip(ctx.baseOf(h.task), h.clip, ctx.store.phase(h.task))));
  });

  r.use(dialectErrors(ctx, 'action'));
  return r;
}
