import type { ClipStatus, Op } from '@refrain/contracts';
import { UpstreamError } from '@refrain/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { codeEnvelope, createProviderHttp, type Envelope, type HttpCall } from '../http';
import { SUNO_MODELS, providerModels } from '../models';
import { fillPath, resolvePaths } from '../paths';
import { mapClipStatus, mapLyricsStatus, regroup, summarizeClips } from '../status';
import { readCustomSong, readFields, readSong, requireField, sourceClip, unsupported } from '../step-input';
import type { AdapterContext, ClipSnapshot, ProviderAdapter, SubmitRequest, TaskRef, TaskSnapshot } from '../types';
import { SUNO_CLIP_STATUS, urlOrNull } from './suno-clip';

/** Default paths (docs/providers.md, gateway; seed 001). */
export const GATEWAY_PATHS = {
  generate_custom: '/gateway/generate/music',
  generate_description: '/gateway/generate/gpt_desc',
  chatgpt: '/gateway/generate/chatgpt',
  feed: '/gateway/feed/{song_id}',
  lyrics: '/gateway/generate/lyrics',
  lyrics_get: '/gateway/lyrics/{lid}',
  limit: '/gateway/limit',
} as const;

/** Song status words: Suno's own, as native. */
export const GATEWAY_STATUS: Record<string, ClipStatus> = { ...SUNO_CLIP_STATUS };

export const GATEWAY_OPERATIONS: readonly Op[] = ['generate', 'extend', 'lyrics'];
export const GATEWAY_MODELS: readonly string[] = SUNO_MODELS;
/** Seed 001: "默认值为 chirp-v3-0". */
export const GATEWAY_DEFAULT_MODEL = 'chirp-v3-0';
/** One song per feed request. */
export const GATEWAY_QUERY_BATCH = 1;

/** `{code: 0, msg, data}`; any other code is a refusal in `msg`'s words. */
const gatewayEnvelope: Envelope = codeEnvelope({ ok: [0, '0'], words: ['msg', 'message'], label: 'gateway' });
const envelope = <T extends z.ZodType>(data: T) => z.looseObject({ code: z.union([z.literal(0), z.literal('0')]), msg: z.string().nullish(), data });

const songSchema = z.looseObject({
  song_id: z.string().min(1),
  status: z.string(),
  title: z.string().nullish(),
  audio_url: z.string().nullish(),
  video_url: z.string().nullish(),
  image_url: z.string().nullish(),
  image_large_url: z.string().nullish(),
  model_name: z.string().nullish(),
  meta_tags: z.string().nullish(),
  meta_prompt: z.string().nullish(),
  meta_duration: z.number().nullish(),
  meta_error_msg: z.string().nullish(),
  meta_error_type: z.string().nullish(),
});
type Song = z.infer<typeof songSchema>;

const songsAnswer = envelope(z.array(songSchema).min(1));
const feedAnswer = envelope(songSchema);
const lyricsSubmitAnswer = envelope(z.looseObject({ id: z.string().min(1) }));
const lyricsAnswer = envelope(
  z.looseObject({ text: z.string().nullish(), title: z.string().nullish(), status: z.string(), error_message: z.string().nullish() }),
);
const limitAnswer = envelope(z.looseObject({ songs_left: z.number().nullish(), points: z.number().nullish() }));

export function createGatewayAdapter(ctx: AdapterContext): ProviderAdapter {
  const { config, warn } = ctx;
  const paths = resolvePaths(GATEWAY_PATHS, config, warn);
  const http = createProviderHttp(ctx, gatewayEnvelope, { 'api-key': config.api_key });
  // The feed takes one song per request: pace them so a big poll stays within max_rps.
  const gapMs = Math.ceil(1000 / (config.max_rps ?? 10));

  const songSnapshot = (s: Song): ClipSnapshot => ({
    id: s.song_id,
    status: mapClipStatus(GATEWAY_STATUS, s.status, { dialect: 'gateway', clipId: s.song_id, audioUrl: s.audio_url, warn }),
    rawStatus: s.status,
    title: s.title ?? null,
    tags: s.meta_tags ?? null,
    lyrics: s.meta_prompt ?? null,
    audio_url: urlOrNull(s.audio_url),
    video_url: urlOrNull(s.video_url),
    image_url: urlOrNull(s.image_url) ?? urlOrNull(s.image_large_url),
    duration: s.meta_duration ?? null,
    model: s.model_name ?? null,
    error_message: s.meta_error_msg ?? s.meta_error_type ?? null,
  });

  async function submitSongs(path: string, body: object): Promise<TaskSnapshot> {
    const answer = await http.call({ method: 'POST', path, body, schema: songsAnswer });
    const clips = answer.data.map(songSnapshot);
    // The task id of a gateway submission is its first song_id (docs/providers.md).
    return { taskId: answer.data[0]?.song_id ?? '', clips, ...summarizeClips(clips) };
  }

  async function submit(req: SubmitRequest): Promise<TaskSnapshot> {
    const f = readFields(req);
    const mv = req.model;
    switch (req.op) {
      case 'generate': {
        const song = readSong(req, f);
        if (song.mode === 'description') {
          const body = { gpt_description_prompt: song.description, make_instrumental: song.instrumental, mv, prompt: '' };
          return submitSongs(paths.generate_description, body);
        }
        return submitSongs(paths.generate_custom, { title: song.title, tags: song.tags, prompt: song.lyrics, mv });
      }
      case 'extend': {
        const song = readCustomSong(req, f);
        const body = {
          title: song.title,
          tags: song.tags,
          prompt: song.lyrics,
          mv,
          continue_at: requireField(f.continue_at, 'continue_at', 'extend'),
          continue_clip_id: sourceClip(req, f, config.name),
        };
        return submitSongs(paths.generate_custom, body);
      }
      case 'lyrics': {
        const answer = await http.call({ method: 'POST', path: paths.lyrics, body: { prompt: f.prompt ?? '' }, schema: lyricsSubmitAnswer });
        return { taskId: answer.data.id, state: 'running', clips: [] };
      }
      default:
        throw unsupported(config.name, 'gateway', req.op);
    }
  }

  /** A 404 means the upstream does not know the id: left out, as the interface says. */
  async function getOrMissing<T>(c: HttpCall<T>): Promise<T | undefined> {
    try {
      return await http.call(c);
    } catch (e) {
      if (e instanceof UpstreamError && e.httpStatus === 404) return undefined;
      throw e;
    }
  }

  async function queryLyrics(ref: TaskRef): Promise<TaskSnapshot | undefined> {
    const path = fillPath(paths.lyrics_get, { lid: ref.taskId, id: ref.taskId });
    const answer = await getOrMissing({ method: 'GET', path, schema: lyricsAnswer });
    if (!answer) return undefined;
    const d = answer.data;
    const state = mapLyricsStatus(d.status, { dialect: 'gateway', id: ref.taskId, warn });
    if (state === 'complete') return { taskId: ref.taskId, state, clips: [], lyrics: { title: d.title ?? '', text: d.text ?? '' } };
    if (state === 'error') return { taskId: ref.taskId, state, clips: [], error: d.error_message || 'lyrics generation failed upstream' };
    return { taskId: ref.taskId, state, clips: [] };
  }

  async function query(tasks: TaskRef[]): Promise<TaskSnapshot[]> {
    const out: TaskSnapshot[] = [];
    const songs = new Map<string, Song>();
    let first = true;
    const pace = async () => {
      if (!first) await sleep(gapMs);
      first = false;
    };
    // Sequential on purpose: one request at a time, gapMs apart.
    for (const ref of tasks) {
      if (ref.op === 'lyrics') {
        await pace();
        const snap = await queryLyrics(ref);
        if (snap) out.push(snap);
        continue;
      }
      for (const id of ref.clipIds) {
        if (songs.has(id)) continue;
        await pace();
        const answer = await getOrMissing({ method: 'GET', path: fillPath(paths.feed, { song_id: id, id }), schema: feedAnswer });
        if (answer) songs.set(id, answer.data);
      }
    }
    out.push(...regroup(tasks.filter((t) => t.op !== 'lyrics'), songs, songSnapshot));
    return out;
  }

  async function credits() {
    const answer = await http.call({ method: 'GET', path: paths.limit, schema: limitAnswer });
    return { songs_left: answer.data.songs_left ?? null, raw: answer.data };
  }

  return {
    dialect: 'gateway',
    operations: GATEWAY_OPERATIONS,
    models: providerModels(config, GATEWAY_MODELS),
    supportsCallbacks: false,
    queryBatchSize: GATEWAY_QUERY_BATCH,
    submit,
    query,
    credits,
  };
}
