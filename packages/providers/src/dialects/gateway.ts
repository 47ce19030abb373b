import type { Op } from '@refrain/contracts';
import { UpstreamError } from '@refrain/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseItems } from '../answer-items';
import { createProviderHttp, type HttpCall } from '../http';
import { providerDefaultModel, providerModels, wireModel } from '../models';
import { fillPath, resolvePaths } from '../paths';
import { regroup, summarizeClips } from '../status';
import { readCustomSong, readFields, readSong, requireField, sourceClip, unsupported, withExtras, type StepFields } from '../step-input';
import type { AdapterContext, ProviderAdapter, SubmitRequest, TaskRef, TaskSnapshot } from '../types';
import {
  concatAnswer,
  feedAnswer,
  gatewayEnvelope,
  gatewayReader,
  limitAnswer,
  lyricsAnswer,
  lyricsSubmitAnswer,
  queryAnswer,
  songsAnswer,
  type Song,
} from './gateway-answers';
import { sunoClipSchema, type SunoClip } from './suno-clip';

export { GATEWAY_STATUS } from './gateway-answers';

/** Default paths (docs/providers.md, gateway; seed 001 and sunoaiapi's query and concat). */
export const GATEWAY_PATHS = {
  generate_custom: '/gateway/generate/music',
  generate_description: '/gateway/generate/gpt_desc',
  chatgpt: '/gateway/generate/chatgpt',
  concat: '/gateway/generate/concat',
  query: '/gateway/query?ids={ids}',
  feed: '/gateway/feed/{song_id}',
  lyrics: '/gateway/generate/lyrics',
  lyrics_get: '/gateway/lyrics/{lid}',
  limit: '/gateway/limit',
} as const;

export const GATEWAY_OPERATIONS: readonly Op[] = ['generate', 'extend', 'concat', 'lyrics'];
/** Seed 001 names only its default; these are the models of Suno's web API it wraps up to v4.5. */
export const GATEWAY_MODELS: readonly string[] = ['chirp-v3-0', 'chirp-v3-5', 'chirp-v4', 'chirp-v4-5'];
/** Seed 001: "默认值为 chirp-v3-0". */
export const GATEWAY_DEFAULT_MODEL = 'chirp-v3-0';
/**
 * Tasks per status request: `/gateway/query` takes the ids of one creation request only
 * ("song_id1 and song_id2 must come from the same request"), so one task per request.
 */
export const GATEWAY_QUERY_BATCH = 1;

export function createGatewayAdapter(ctx: AdapterContext): ProviderAdapter {
  const { config, warn } = ctx;
  const paths = resolvePaths(GATEWAY_PATHS, config, warn);
  const http = createProviderHttp(ctx, gatewayEnvelope, { 'api-key': config.api_key });
  const read = gatewayReader(warn);
  const perSong = config.options?.gateway_status === 'feed';
  const timeoutMs = config.submit_timeout_s ? config.submit_timeout_s * 1000 : undefined;
  // Status requests go one at a time: pace them so a big poll stays within max_rps.
  const gapMs = Math.ceil(1000 / (config.max_rps ?? 10));

  function songsTask(songs: Song[]): TaskSnapshot {
    const clips = songs.map(read.songSnapshot);
    // The task id of a gateway submission is its first song_id (docs/providers.md).
    return { taskId: songs[0]?.song_id ?? '', clips, ...summarizeClips(clips) };
  }

  async function submitSongs(path: string, body: Record<string, unknown>, f: StepFields): Promise<TaskSnapshot> {
    const answer = await http.call({ method: 'POST', path, body: withExtras(body, f, warn), schema: songsAnswer, timeoutMs });
    return songsTask(answer.data);
  }

  async function submit(req: SubmitRequest): Promise<TaskSnapshot> {
    const f = readFields(req);
    const mv = wireModel(req.model, 'codename');
    switch (req.op) {
      case 'generate': {
        const song = readSong(req, f);
        if (song.mode === 'description') {
          const body = { gpt_description_prompt: song.description, make_instrumental: song.instrumental, mv, prompt: '' };
          return submitSongs(paths.generate_description, body, f);
        }
        return submitSongs(paths.generate_custom, { title: song.title, tags: song.tags, prompt: song.lyrics, mv }, f);
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
        return submitSongs(paths.generate_custom, body, f);
      }
      case 'concat': {
        const body = withExtras({ clip_id: sourceClip(req, f, config.name) }, f, warn);
        const answer = await http.call({ method: 'POST', path: paths.concat, body, schema: concatAnswer, timeoutMs });
        return songsTask([answer.data].flat());
      }
      case 'lyrics': {
        const body = withExtras({ prompt: f.prompt ?? '' }, f, warn);
        const answer = await http.call({ method: 'POST', path: paths.lyrics, body, schema: lyricsSubmitAnswer, timeoutMs });
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
    return answer ? read.lyrics(ref.taskId, answer.data) : undefined;
  }

  /** One task's songs in one request (`/gateway/query`), or seed 001's one song per request. */
  async function querySongs(ref: TaskRef, pace: () => Promise<void>): Promise<TaskSnapshot[]> {
    if (perSong) {
      const songs = new Map<string, Song>();
      for (const id of ref.clipIds) {
        await pace();
        const answer = await getOrMissing({ method: 'GET', path: fillPath(paths.feed, { song_id: id, id }), schema: feedAnswer });
        if (answer) songs.set(id, answer.data);
      }
      return regroup([ref], songs, read.songSnapshot);
    }
    if (ref.clipIds.length === 0) return [];
    await pace();
    const answer = await getOrMissing({ method: 'GET', path: fillPath(paths.query, { ids: ref.clipIds }), schema: queryAnswer });
    const items = answer === undefined ? [] : Array.isArray(answer) ? answer : answer.data;
    const clips = new Map<string, SunoClip>(parseItems(items, sunoClipSchema, { dialect: 'gateway', what: 'clip', warn }).map((c) => [c.id, c]));
    return regroup([ref], clips, read.querySnapshot);
  }

  async function query(tasks: TaskRef[]): Promise<TaskSnapshot[]> {
    const out: TaskSnapshot[] = [];
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
      } else {
        out.push(...(await querySongs(ref, pace)));
      }
    }
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
    defaultModel: providerDefaultModel(config, GATEWAY_DEFAULT_MODEL),
    supportsCallbacks: false,
    queryBatchSize: GATEWAY_QUERY_BATCH,
    submit,
    query,
    credits,
  };
}
