import { MODELS, OPS, type ClipStatus, type Op } from '@refrain/contracts';
import { RefrainError, UpstreamError, canonicalModel } from '@refrain/core';
import { z } from 'zod';
import { parseItems } from '../answer-items';
import { createProviderHttp, wordsAt, type Envelope } from '../http';
import { badResponse, envelopeRejection } from '../http-errors';
import { providerDefaultModel, providerModels, wireModel } from '../models';
import { fillPath, resolvePaths } from '../paths';
import { chunk, mapLyricsStatus, regroup, summarizeClips } from '../status';
import { readCustomSong, readFields, readSong, requireField, sourceClip, withExtras, type StepFields } from '../step-input';
import type { AdapterContext, ProviderAdapter, SubmitRequest, TaskRef, TaskSnapshot } from '../types';
import {
  COVER_MODELS,
  UPLOAD_SUFFIX_MODELS,
  nativeCoverBody,
  nativeCustomBody,
  nativeDescriptionBody,
  nativeExtendBody,
  nativeInfillBody,
  nativePersonaBody,
  nativeStemsBody,
} from './native-bodies';
import { SUNO_CLIP_STATUS, sunoClipSchema, sunoClipSnapshot, type SunoClip } from './suno-clip';

/** Default paths (docs/providers.md, native). Keys are the path names `paths` may override. */
export const NATIVE_PATHS = {
  generate: '/v1/suno/generate',
  feed: '/v1/suno/feed?ids={ids}',
  upload: '/v1/suno/uploads/audio-url',
  concat: '/v1/suno/generate/concat',
  stems: '/v1/suno/edit/stems/{clip_id}',
  lyrics: '/v1/suno/generate/lyrics',
  lyrics_get: '/v1/suno/lyrics/{id}',
} as const;
/** The sibling proxies' feed (option `native_feed: "path"`): ids in the path, a bare array back. */
export const NATIVE_FEED_IN_PATH = '/suno/feed/{ids}';

/** Suno's clip status words → Refrain's clip states. */
export const NATIVE_STATUS: Record<string, ClipStatus> = { ...SUNO_CLIP_STATUS };

/** Every operation of SPEC section 4. */
export const NATIVE_OPERATIONS: readonly Op[] = OPS;
/** Suno's web API serves every model (v3.0 and v3.5 are offline on some proxies). */
export const NATIVE_MODELS: readonly string[] = MODELS;
/** chirp-auk: the model every proxy of this shape serves today (the v3 ones are going away). */
export const NATIVE_DEFAULT_MODEL = 'chirp-v4-5';
/** Clip ids per feed request unless `query_batch_size` says otherwise: 100 ids keep the GET under 4 KB of URL. */
export const NATIVE_FEED_BATCH = 100;

/** Bare Suno objects; errors are FastAPI-style `{detail}`. */
const nativeEnvelope: Envelope = {
  errorWords: (body) => wordsAt(body, ['detail', 'message', 'msg', 'error']),
};

const generateAnswer = z.looseObject({ id: z.string().min(1).optional(), clips: z.array(z.unknown()) });
/** tu-zi answers `{clips, num_total_results, current_page}`; sibling proxies a bare array. Both are read. */
const feedAnswer = z.union([z.array(z.unknown()), z.looseObject({ clips: z.array(z.unknown()) })]);
/** tu-zi's upload answer: `{code: "success", message, data: "<clip id>"}`. */
const uploadEnvelope = z.looseObject({ code: z.unknown(), message: z.string().nullish(), data: z.unknown() });
const lyricsSubmitAnswer = z.looseObject({ id: z.string().min(1) });
const lyricsAnswer = z.looseObject({
  id: z.string().optional(),
  status: z.string(),
  title: z.string().nullish(),
  text: z.string().nullish(),
  error_message: z.string().nullish(),
});

export function createNativeAdapter(ctx: AdapterContext): ProviderAdapter {
  const { config, warn } = ctx;
  const options = config.options ?? {};
  const defaults = options.native_feed === 'path' ? { ...NATIVE_PATHS, feed: NATIVE_FEED_IN_PATH } : NATIVE_PATHS;
  const paths = resolvePaths(defaults, config, warn);
  const http = createProviderHttp(ctx, nativeEnvelope, { authorization: `Bearer ${config.api_key}` });
  const timeoutMs = config.submit_timeout_s ? config.submit_timeout_s * 1000 : undefined;
  const clipSnapshot = (c: SunoClip) => sunoClipSnapshot(c, { dialect: 'native', warn, table: NATIVE_STATUS });
  const clipsOf = (items: readonly unknown[]) => parseItems(items, sunoClipSchema, { dialect: 'native', what: 'clip', warn });
  const batch = config.query_batch_size ?? NATIVE_FEED_BATCH;

  function taskOfClips(taskId: string, clips: SunoClip[]): TaskSnapshot {
    const snaps = clips.map(clipSnapshot);
    return { taskId, clips: snaps, ...summarizeClips(snaps) };
  }

  async function post<T>(path: string, body: Record<string, unknown>, f: StepFields, schema: z.ZodType<T>): Promise<T> {
    return http.call({ method: 'POST', path, body: withExtras(body, f, warn), schema, timeoutMs });
  }

  /** A generate-shaped answer: its id (else the first clip's) and its clips. */
  async function generate(body: Record<string, unknown>, f: StepFields): Promise<TaskSnapshot> {
    const answer = await post(paths.generate, body, f, generateAnswer);
    const clips = clipsOf(answer.clips);
    const first = clips[0];
    if (!first) throw badResponse(config.name, `POST ${paths.generate}`, 200, 'no readable clip in the answer', [config.api_key]);
    return taskOfClips(answer.id ?? first.id, clips);
  }

  /** Extending an upload: `task: "upload_extend"`, or seed 002's `-upload` model where it exists. */
  function uploadExtendVariant(req: SubmitRequest): 'task' | 'model_suffix' | undefined {
    if (!req.source?.uploaded) return undefined;
    const variant = options.native_upload_extend ?? 'task';
    if (variant === 'model_suffix' && !UPLOAD_SUFFIX_MODELS.includes(canonicalModel(req.model))) {
      throw new RefrainError({
        code: 'upstream_rejected',
        retry: false,
        message: `provider ${config.name} continues uploads with the -upload model, which exists only for ${UPLOAD_SUFFIX_MODELS.join(' and ')}; ${req.model} has none`,
      });
    }
    return variant;
  }

  async function upload(f: StepFields): Promise<TaskSnapshot> {
    const body = { url: requireField(f.audio_url, 'audio_url', 'upload') };
    if (options.native_upload === 'clip') {
      const [clip] = clipsOf([await post(paths.upload, body, f, z.unknown())]);
      if (!clip) throw badResponse(config.name, `POST ${paths.upload}`, 200, 'the answer is not a clip', [config.api_key]);
      return taskOfClips(clip.id, [clip]);
    }
    const answer = await post(paths.upload, body, f, uploadEnvelope);
    if (answer.code !== 'success' || typeof answer.data !== 'string' || answer.data === '') {
      throw envelopeRejection(config.name, 200, answer.message || `upload answered code ${String(answer.code)}`, [config.api_key]);
    }
    // Only the clip id comes back; the feed tells its status from here on.
    return { taskId: answer.data, state: 'running', clips: [{ id: answer.data, status: 'submitted', rawStatus: 'submitted' }] };
  }

  async function submit(req: SubmitRequest): Promise<TaskSnapshot> {
    const f = readFields(req);
    const mv = wireModel(req.model, 'codename');
    const clip = () => sourceClip(req, f, config.name);
    switch (req.op) {
      case 'generate': {
        const song = readSong(req, f);
        return generate(song.mode === 'description' ? nativeDescriptionBody(song, mv) : nativeCustomBody(song, mv), f);
      }
      case 'extend':
        return generate(nativeExtendBody(readCustomSong(req, f), mv, clip(), f, uploadExtendVariant(req)), f);
      case 'cover':
        return generate(nativeCoverBody(readCustomSong(req, f), COVER_MODELS[canonicalModel(req.model)] ?? mv, clip()), f);
      case 'replace_section':
        return generate(nativeInfillBody(readCustomSong(req, f), mv, clip(), f), f);
      case 'persona': {
        const personaId = requireField(f.persona_id, 'persona_id', 'persona');
        return generate(nativePersonaBody(readCustomSong(req, f), mv, personaId, req.source?.clipId ?? f.clip_id), f);
      }
      case 'upload':
        return upload(f);
      case 'concat': {
        // is_infill: true is what makes a replaced section into the whole song again.
        const body = { clip_id: clip(), is_infill: req.source?.infill ?? false };
        const [whole] = clipsOf([await post(paths.concat, body, f, z.unknown())]);
        if (!whole) throw badResponse(config.name, `POST ${paths.concat}`, 200, 'the answer is not a clip', [config.api_key]);
        return taskOfClips(whole.id, [whole]);
      }
      case 'stems': {
        if (options.native_stems !== 'edit') return generate(nativeStemsBody(clip()), f);
        const id = clip();
        const answer = await post(fillPath(paths.stems, { clip_id: id, id }), {}, f, generateAnswer);
        const clips = clipsOf(answer.clips);
        return taskOfClips(answer.id ?? clips[0]?.id ?? id, clips);
      }
      case 'lyrics': {
        const answer = await post(paths.lyrics, { prompt: f.prompt ?? '' }, f, lyricsSubmitAnswer);
        return { taskId: answer.id, state: 'running', clips: [] };
      }
    }
  }

  async function queryLyrics(ref: TaskRef): Promise<TaskSnapshot | undefined> {
    const path = fillPath(paths.lyrics_get, { id: ref.taskId, lid: ref.taskId });
    let answer: z.infer<typeof lyricsAnswer>;
    try {
      answer = await http.call({ method: 'GET', path, schema: lyricsAnswer });
    } catch (e) {
      if (e instanceof UpstreamError && e.httpStatus === 404) return undefined; // unknown upstream: left out
      throw e;
    }
    const state = mapLyricsStatus(answer.status, { dialect: 'native', id: ref.taskId, warn });
    if (state === 'complete') return { taskId: ref.taskId, state, clips: [], lyrics: { title: answer.title ?? '', text: answer.text ?? '' } };
    if (state === 'error') return { taskId: ref.taskId, state, clips: [], error: answer.error_message || 'lyrics generation failed upstream' };
    return { taskId: ref.taskId, state, clips: [] };
  }

  async function queryClips(refs: TaskRef[]): Promise<TaskSnapshot[]> {
    const ids = [...new Set(refs.flatMap((r) => r.clipIds))];
    const byId = new Map<string, SunoClip>();
    for (const some of chunk(ids, batch)) {
      const path = fillPath(paths.feed, { ids: some });
      const answer = await http.call({ method: 'GET', path, schema: feedAnswer });
      for (const clip of clipsOf(Array.isArray(answer) ? answer : answer.clips)) byId.set(clip.id, clip);
    }
    return regroup(refs, byId, clipSnapshot);
  }

  async function query(tasks: TaskRef[]): Promise<TaskSnapshot[]> {
    const out: TaskSnapshot[] = [];
    out.push(...(await queryClips(tasks.filter((t) => t.op !== 'lyrics'))));
    // Lyrics have no batch endpoint; one by one keeps the request rate bounded.
    for (const ref of tasks.filter((t) => t.op === 'lyrics')) {
      const snap = await queryLyrics(ref);
      if (snap) out.push(snap);
    }
    return out;
  }

  return {
    dialect: 'native',
    operations: NATIVE_OPERATIONS,
    models: providerModels(config, NATIVE_MODELS),
    defaultModel: providerDefaultModel(config, NATIVE_DEFAULT_MODEL),
    supportsCallbacks: false,
    queryBatchSize: batch,
    submit,
    query,
  };
}
