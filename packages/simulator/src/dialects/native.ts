import { Router, type Request } from 'express';
import { z } from 'zod';
import { nativeConcatFields, nativeGenerateFields, nativeLyricsFields, nativeUploadFields } from '@refrain/wire';
import type { SimContext } from '../context';
import { badRequest, notFound } from '../errors';
import { dialectErrors, guard, param, sendOk } from '../http';
import { lyricsView, nativeBatch, nativeClip, nativeFeedPage } from '../render';
import { clipOrOdd } from '../render-records';
import { answerSubmit } from '../reply';
import { COVER_MODELS, hookUrl, idList, model, parseBody } from '../schemas';
import { accept, checkUploadExtend, concatClip, isDescriptionMode, lyricsTask, songClips, stemClips, uploadClip, type SongRequest } from '../songs';
import type { NewClip } from '../tasks';
import type { SimClip, SimTask } from '../types';

/** native: Suno's own web API shape (seeds 002 and 000, tu-zi), Bearer auth, bare objects. */

const generateBody = z.object({ ...nativeGenerateFields, mv: model });
type GenerateBody = z.infer<typeof generateBody>;

const uploadBody = z.object({ ...nativeUploadFields, url: hookUrl, mv: model.nullish() });
const concatBody = z.object(nativeConcatFields);
const lyricsBody = z.object(nativeLyricsFields);

const required = (v: unknown, what: string): void => {
  if (v === undefined || v === null || v === '') throw badRequest(`Invalid body: ${what} is required`);
};

/** Which edit a generate body asks for, its source clip, and the task's operation name. */
function plan(ctx: SimContext, b: GenerateBody): { operation: string; source: SimClip | null } {
  if (b.task === 'cover') {
    required(b.cover_clip_id, 'cover_clip_id (task "cover")');
    if (!COVER_MODELS.includes(b.mv)) throw badRequest(`Model ${b.mv} cannot cover; use one of ${COVER_MODELS.join(', ')}`);
    return { operation: 'cover', source: ctx.store.source(b.cover_clip_id ?? '').clip };
  }
  if (b.task === 'infill') {
    required(b.continue_clip_id, 'continue_clip_id (task "infill")');
    required(b.infill_start_s, 'infill_start_s');
    required(b.infill_end_s, 'infill_end_s');
    if ((b.infill_end_s ?? 0) <= (b.infill_start_s ?? 0)) throw badRequest('Invalid body: infill_end_s must be greater than infill_start_s');
    return { operation: 'replace_section', source: ctx.store.source(b.continue_clip_id ?? '').clip };
  }
  if (b.task === 'artist_consistency') {
    required(b.persona_id, 'persona_id (task "artist_consistency")');
    return { operation: 'persona', source: b.artist_clip_id ? ctx.store.source(b.artist_clip_id).clip : null };
  }
  if (b.task === 'gen_stem') {
    required(b.continue_clip_id, 'continue_clip_id (task "gen_stem")');
    if (b.stem_task !== 'two') throw badRequest('Invalid body: stem_task must be "two" (vocals and instrumental)');
    return { operation: 'stems', source: ctx.store.source(b.continue_clip_id ?? '').clip };
  }
  if (b.continue_clip_id) {
    required(b.continue_at, 'continue_at (with continue_clip_id)');
    const src = ctx.store.source(b.continue_clip_id).clip;
    checkUploadExtend(src, b.mv, b.task);
    return { operation: b.task === 'upload_extend' ? 'upload_extend' : 'extend', source: src };
  }
  if (b.task === 'upload_extend') throw badRequest('Invalid body: task "upload_extend" needs continue_clip_id');
  return { operation: 'generate', source: null };
}

function clipsFor(b: GenerateBody, operation: string, source: SimClip | null): NewClip[] {
  if (operation === 'stems' && source) return stemClips(source);
  const description = b.gpt_description_prompt;
  const song: SongRequest = {
    description,
    instrumental: isDescriptionMode({ description }) ? b.make_instrumental : false,
    lyrics: b.prompt,
    title: b.title,
    tags: b.tags,
    negativeTags: b.negative_tags,
    model: b.mv,
    source: source ? { clip: source, continueAt: b.continue_at ?? b.infill_start_s ?? null } : null,
    task: b.task === 'extend' || b.task === 'upload_extend' ? null : b.task,
  };
  return songClips(song);
}

/** Feed hits; an `[sim:odd]` task's clips come in a shape no schema expects. */
function feed(ctx: SimContext, raw: unknown): unknown[] {
  const ids = idList(raw);
  if (ids.length === 0) throw badRequest('ids is required (comma-separated clip ids)');
  ctx.stats.statusQuery();
  const hits = ids.map((id) => ctx.store.clip(id)).filter((h): h is { task: SimTask; clip: SimClip } => !!h);
  ctx.store.countQuery(hits.map((h) => h.task));
  return hits.map(({ task, clip }) => clipOrOdd(task, clip, () => nativeClip(ctx.baseOf(task), clip, ctx.store.phase(task))));
}

function upload(ctx: SimContext, req: Request): { task: SimTask; answer: unknown } {
  const b = parseBody(uploadBody, req.body);
  const task = accept(ctx, req, {
    dialect: 'native',
    operation: 'upload',
    kind: 'music',
    clips: [uploadClip(b.url, b.mv ?? 'chirp-v3-5')],
    idFromFirstClip: true,
  });
  const clip = task.clips[0] as SimClip;
  // tu-zi answers the new clip's id in its envelope; some proxies answer the clip itself.
  const answer = ctx.config.shapes.nativeUpload === 'envelope' ? { code: 'success', message: '', data: clip.id } : nativeClip(ctx.baseOf(task), clip, 'submitted');
  return { task, answer };
}

export function nativeRouter(ctx: SimContext): Router {
  const r = Router();
  const g = (op: string) => guard(ctx, 'native', op);

  r.post('/v1/suno/generate', ...g('generate'), (req, res) => {
    const b = parseBody(generateBody, req.body);
    if (!isDescriptionMode({ description: b.gpt_description_prompt }) && typeof b.prompt !== 'string') {
      throw badRequest('Invalid body: prompt is required in custom mode (empty string = instrumental), or give gpt_description_prompt');
    }
    const { operation, source } = plan(ctx, b);
    const task = accept(ctx, req, { dialect: 'native', operation, kind: 'music', clips: clipsFor(b, operation, source) });
    // The submit answer always shows the clips as just submitted, even when D = 0.
    answerSubmit(ctx, task, res, () => sendOk(res, 'native', nativeBatch(ctx.baseOf(task), task, 'submitted')));
  });

  // tu-zi: `?ids=a,b` answers a page `{clips, ...}`; the path forms answer the bare array, as sibling proxies do.
  r.get('/v1/suno/feed', ...g('feed'), (req, res) => sendOk(res, 'native', nativeFeedPage(feed(ctx, req.query.ids))));
  r.get('/v1/suno/feed/:ids', ...g('feed'), (req, res) => sendOk(res, 'native', feed(ctx, param(req, 'ids'))));
  r.get('/suno/feed/:ids', ...g('feed'), (req, res) => sendOk(res, 'native', feed(ctx, param(req, 'ids'))));

  r.post('/v1/suno/uploads/audio-url', ...g('upload'), (req, res) => {
    const { task, answer } = upload(ctx, req);
    answerSubmit(ctx, task, res, () => sendOk(res, 'native', answer));
  });

  r.post('/v1/suno/generate/concat', ...g('concat'), (req, res) => {
    const b = parseBody(concatBody, req.body);
    const src = ctx.store.source(b.clip_id).clip;
    if (src.task === 'infill' && b.is_infill !== true) throw badRequest(`Clip ${src.id} is a replaced section: concat it with is_infill: true`);
    const task = accept(ctx, req, { dialect: 'native', operation: 'concat', kind: 'music', clips: [concatClip(src)], idFromFirstClip: true });
    answerSubmit(ctx, task, res, () => sendOk(res, 'native', nativeClip(ctx.baseOf(task), task.clips[0] as SimClip, 'submitted')));
  });

  // Suno's own web path for stems (option native_stems: "edit"); the proxies' way is generate with task "gen_stem".
  r.post('/v1/suno/edit/stems/:clip_id', ...g('stems'), (req, res) => {
    const src = ctx.store.source(param(req, 'clip_id')).clip;
    const task = accept(ctx, req, { dialect: 'native', operation: 'stems', kind: 'music', clips: stemClips(src) });
    answerSubmit(ctx, task, res, () => sendOk(res, 'native', nativeBatch(ctx.baseOf(task), task, 'submitted')));
  });

  r.post('/v1/suno/generate/lyrics', ...g('lyrics'), (req, res) => {
    const b = parseBody(lyricsBody, req.body);
    const task = accept(ctx, req, { dialect: 'native', operation: 'lyrics', kind: 'lyrics', clips: [], lyrics: lyricsTask(b.prompt) });
    answerSubmit(ctx, task, res, () => sendOk(res, 'native', { id: task.id }));
  });

  r.get('/v1/suno/lyrics/:id', ...g('lyrics_get'), (req, res) => {
    ctx.stats.statusQuery();
    const task = ctx.store.get(param(req, 'id'));
    if (!task || task.kind !== 'lyrics') throw notFound(`Lyrics not found: ${param(req, 'id')}`);
    ctx.store.countQuery([task]);
    sendOk(res, 'native', { id: task.id, ...lyricsView(task, ctx.store.phase(task)) });
  });

  r.use(dialectErrors(ctx, 'native'));
  return r;
}
