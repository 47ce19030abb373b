import { OPS, type ClipStatus, type Op } from '@refrain/contracts';
import { UpstreamError } from '@refrain/core';
import { z } from 'zod';
import { createProviderHttp, wordsAt, type Envelope } from '../http';
import { SUNO_MODELS, providerModels } from '../models';
import { fillPath, resolvePaths } from '../paths';
import { chunk, mapLyricsStatus, regroup, summarizeClips } from '../status';
import { readCustomSong, readFields, readSong, requireField, sourceClip } from '../step-input';
import type { AdapterContext, ProviderAdapter, SubmitRequest, TaskRef, TaskSnapshot } from '../types';
import {
  nativeCoverBody,
  nativeCustomBody,
  nativeDescriptionBody,
  nativeExtendBody,
  nativeInfillBody,
  nativePersonaBody,
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

/** Suno's clip status words → Refrain's clip states. */
export const NATIVE_STATUS: Record<string, ClipStatus> = { ...SUNO_CLIP_STATUS };

/** Every operation of SPEC section 4. */
export const NATIVE_OPERATIONS: readonly Op[] = OPS;
export const NATIVE_MODELS: readonly string[] = SUNO_MODELS;
export const NATIVE_DEFAULT_MODEL = 'chirp-v3-5';
/** Clip ids per feed request unless `query_batch_size` says otherwise: 100 ids keep the GET under 4 KB of URL. */
export const NATIVE_FEED_BATCH = 100;

/** Bare Suno objects; errors are FastAPI-style `{detail}`. */
const nativeEnvelope: Envelope = {
  errorWords: (body) => wordsAt(body, ['detail', 'message', 'msg', 'error']),
};

const generateAnswer = z.looseObject({ id: z.string().min(1), clips: z.array(sunoClipSchema) });
/** The doc says an array of clips; some proxies wrap it as `{clips}`. Both are read. */
const feedAnswer = z.union([z.array(sunoClipSchema), z.looseObject({ clips: z.array(sunoClipSchema) })]);
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
  const paths = resolvePaths(NATIVE_PATHS, config, warn);
  const http = createProviderHttp(ctx, nativeEnvelope, { authorization: `Bearer ${config.api_key}` });
  const clipSnapshot = (c: SunoClip) => sunoClipSnapshot(c, { dialect: 'native', warn, table: NATIVE_STATUS });
  const batch = config.query_batch_size ?? NATIVE_FEED_BATCH;

  function taskOfClips(taskId: string, clips: SunoClip[]): TaskSnapshot {
    const snaps = clips.map(clipSnapshot);
    return { taskId, clips: snaps, ...summarizeClips(snaps) };
  }

  async function generate(body: object): Promise<TaskSnapshot> {
    const answer = await http.call({ method: 'POST', path: paths.generate, body, schema: generateAnswer });
    return taskOfClips(answer.id, answer.clips);
  }

  async function submit(req: SubmitRequest): Promise<TaskSnapshot> {
    const f = readFields(req);
    const mv = req.model;
    switch (req.op) {
      case 'generate': {
        const song = readSong(req, f);
        return generate(song.mode === 'description' ? nativeDescriptionBody(song, mv) : nativeCustomBody(song, mv));
      }
      case 'extend':
        return generate(nativeExtendBody(readCustomSong(req, f), mv, sourceClip(req, f, config.name), f, req.source?.uploaded));
      case 'cover':
        return generate(nativeCoverBody(readCustomSong(req, f), mv, sourceClip(req, f, config.name)));
      case 'replace_section':
        return generate(nativeInfillBody(readCustomSong(req, f), mv, sourceClip(req, f, config.name), f));
      case 'persona': {
        const personaId = requireField(f.persona_id, 'persona_id', 'persona');
        const clipId = req.source?.clipId ?? f.clip_id;
        return generate(nativePersonaBody(readCustomSong(req, f), mv, personaId, clipId));
      }
      case 'upload': {
        const body = { url: requireField(f.audio_url, 'audio_url', 'upload') };
        const clip = await http.call({ method: 'POST', path: paths.upload, body, schema: sunoClipSchema });
        return taskOfClips(clip.id, [clip]);
      }
      case 'concat': {
        const body = { clip_id: sourceClip(req, f, config.name) };
        const clip = await http.call({ method: 'POST', path: paths.concat, body, schema: sunoClipSchema });
        return taskOfClips(clip.id, [clip]);
      }
      case 'stems': {
        const clipId = sourceClip(req, f, config.name);
        const path = fillPath(paths.stems, { clip_id: clipId, id: clipId });
        const answer = await http.call({ method: 'POST', path, body: {}, schema: generateAnswer });
        return taskOfClips(answer.id, answer.clips);
      }
      case 'lyrics': {
        const body = { prompt: f.prompt ?? '' };
        const answer = await http.call({ method: 'POST', path: paths.lyrics, body, schema: lyricsSubmitAnswer });
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
      for (const clip of Array.isArray(answer) ? answer : answer.clips) byId.set(clip.id, clip);
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
    supportsCallbacks: false,
    queryBatchSize: batch,
    submit,
    query,
  };
}
