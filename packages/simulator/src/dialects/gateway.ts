import { Router, type Request } from 'express';
import { z } from 'zod';
import { gatewayConcatFields, gatewayDescriptionFields, gatewayLyricsFields, gatewayMusicFields } from '@refrain/wire';
import type { SimContext } from '../context';
import { waitFinal } from '../hold';
import { badRequest, notFound, SimError } from '../errors';
import { dialectErrors, guard, param, sendOk } from '../http';
import { gatewayLyricsBare, gatewayQueryClip, gatewaySong, lyricsView } from '../render';
import { clipOrOdd } from '../render-records';
import { answerSubmit } from '../reply';
import { idList, model, parseBody } from '../schemas';
import { accept, concatClip, lyricsTask, songClips } from '../songs';
import type { SimTask } from '../types';

/** gateway (seed 001): header `api-key`, envelope `{code: 0, msg, data}`, one song per feed. */

/** The seed's documented upper bound for the blocking chatgpt endpoint. */
const CHATGPT_MAX_WAIT_MS = 220_000;
const DEFAULT_MODEL = 'chirp-v3-0';

const musicBody = z.object({ ...gatewayMusicFields, mv: model.nullish() });
const descBody = z.object({ ...gatewayDescriptionFields, mv: model.nullish() });
const lyricsBody = z.object(gatewayLyricsFields);
const concatBody = z.object(gatewayConcatFields);

function songs(ctx: SimContext, task: SimTask, forced?: 'submitted'): unknown[] {
  const phase = forced ?? ctx.store.phase(task);
  return task.clips.map((c) => gatewaySong(ctx.baseOf(task), c, phase));
}

function submitDescription(ctx: SimContext, req: Request, operation: string): SimTask {
  const b = parseBody(descBody, req.body);
  const clips = songClips({
    description: b.gpt_description_prompt,
    instrumental: b.make_instrumental,
    model: b.mv ?? DEFAULT_MODEL,
  });
  return accept(ctx, req, { dialect: 'gateway', operation, kind: 'music', clips, idFromFirstClip: true });
}


export function gatewayRouter(ctx: SimContext): Router {
  const r = Router();
  const g = (op: string) => guard(ctx, 'gateway', op);

  r.post('/gateway/generate/music', ...g('generate_custom'), (req, res) => {
    const b = parseBody(musicBody, req.body);
    const mv = b.mv ?? DEFAULT_MODEL;
    let source = null;
    if (b.continue_clip_id) {
      if (b.continue_at === undefined || b.continue_at === null) throw badRequest('Invalid body: continue_at is required with continue_clip_id');
      source = { clip: ctx.store.source(b.continue_clip_id).clip, continueAt: b.continue_at };
    }
    const clips = songClips({ lyrics: b.prompt, title: b.title, tags: b.tags, negativeTags: b.negative_tags, model: mv, source });
    const task = accept(ctx, req, {
      dialect: 'gateway',
      operation: source ? 'extend' : 'generate',
      kind: 'music',
      clips,
      idFromFirstClip: true,
    });
    answerSubmit(ctx, task, res, () => sendOk(res, 'gateway', songs(ctx, task, 'submitted')));
  });

  r.post('/gateway/generate/gpt_desc', ...g('generate_description'), (req, res) => {
    const task = submitDescription(ctx, req, 'generate');
    answerSubmit(ctx, task, res, () => sendOk(res, 'gateway', songs(ctx, task, 'submitted')));
  });

  r.post('/gateway/generate/concat', ...g('concat'), (req, res) => {
    const b = parseBody(concatBody, req.body);
    const src = ctx.store.source(b.clip_id).clip;
    const task = accept(ctx, req, { dialect: 'gateway', operation: 'concat', kind: 'music', clips: [concatClip(src)], idFromFirstClip: true });
    answerSubmit(ctx, task, res, () => sendOk(res, 'gateway', songs(ctx, task, 'submitted')));
  });

  // sunoaiapi's status query: the ids of one creation request, a bare array of Suno clips (`meta_data`).
  r.get('/gateway/query', ...g('query'), (req, res) => {
    const ids = idList(req.query.ids);
    if (ids.length === 0) throw badRequest('ids is required (comma-separated song ids of one request)');
    ctx.stats.statusQuery();
    const hits = ids.flatMap((id) => ctx.store.clip(id) ?? []);
    if (new Set(hits.map((h) => h.task.id)).size > 1) throw badRequest('ids must come from the same creation request');
    ctx.store.countQuery(hits.map((h) => h.task));
    res.json(hits.map(({ task, clip }) => clipOrOdd(task, clip, () => gatewayQueryClip(ctx.baseOf(task), clip, ctx.store.phase(task)))));
  });

  r.post('/gateway/generate/chatgpt', ...g('chatgpt'), async (req, res) => {
    const task = submitDescription(ctx, req, 'chatgpt');
    const outcome = await waitFinal(ctx, task, res, CHATGPT_MAX_WAIT_MS);
    if (outcome === 'aborted') {
      if (!res.writableEnded && !res.destroyed) throw new SimError(503, 'Simulator reset while waiting');
      return;
    }
    sendOk(res, 'gateway', songs(ctx, task));
  });

  r.get('/gateway/feed/:song_id', ...g('feed'), (req, res) => {
    ctx.stats.statusQuery();
    const hit = ctx.store.clip(param(req, 'song_id'));
    if (!hit) throw notFound(`Song not found: ${param(req, 'song_id')}`);
    ctx.store.countQuery([hit.task]);
    sendOk(res, 'gateway', gatewaySong(ctx.baseOf(hit.task), hit.clip, ctx.store.phase(hit.task)));
  });

  r.post('/gateway/generate/lyrics', ...g('lyrics'), (req, res) => {
    const b = parseBody(lyricsBody, req.body);
    const task = accept(ctx, req, { dialect: 'gateway', operation: 'lyrics', kind: 'lyrics', clips: [], lyrics: lyricsTask(b.prompt) });
    answerSubmit(ctx, task, res, () => sendOk(res, 'gateway', { id: task.id }));
  });

  r.get('/gateway/lyrics/:lid', ...g('lyrics_get'), (req, res) => {
    ctx.stats.statusQuery();
    const task = ctx.store.get(param(req, 'lid'));
    if (!task || task.kind !== 'lyrics') throw notFound(`Lyrics not found: ${param(req, 'lid')}`);
    ctx.store.countQuery([task]);
    const phase = ctx.store.phase(task);
    sendOk(res, 'gateway', ctx.config.shapes.gatewayLyrics === 'bare' ? gatewayLyricsBare(task, phase) : lyricsView(task, phase));
  });

  r.get('/gateway/limit', ...g('limit'), (_req, res) => {
    sendOk(res, 'gateway', { songs_left: ctx.songsLeft, points: 0 });
  });

  r.use(dialectErrors(ctx, 'gateway'));
  return r;
}
