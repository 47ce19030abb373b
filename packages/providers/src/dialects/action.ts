import type { ClipStatus, Op } from '@refrain/contracts';
import { z } from 'zod';
import { createProviderHttp, type Envelope } from '../http';
import { SUNO_MODELS, providerModels } from '../models';
import { fillPath, resolvePaths } from '../paths';
import { chunk, mapClipStatus, regroup, summarizeClips } from '../status';
import { readCustomSong, readFields, readSong, requireField, sourceClip, unsupported } from '../step-input';
import type { AdapterContext, ClipSnapshot, ProviderAdapter, SubmitRequest, TaskRef, TaskSnapshot } from '../types';
import { ACTION_WORDS, UPLOAD_EXTEND, actionExtendFields, actionInfillFields, actionSongFields, customFields } from './action-bodies';
import { urlOrNull } from './suno-clip';

/** Default paths (docs/providers.md, action; the query path is a gap in seed 004). */
export const ACTION_PATHS = {
  audios: '/suno/audios',
  query: '/suno/audios?ids={ids}',
} as const;

/** Action clip `state` words → Refrain's clip states. */
export const ACTION_STATUS: Record<string, ClipStatus> = {
  pending: 'queued',
  queued: 'queued',
  running: 'streaming',
  processing: 'streaming',
  streaming: 'streaming',
  succeeded: 'complete',
  complete: 'complete',
  failed: 'error',
  error: 'error',
};

export const ACTION_OPERATIONS: readonly Op[] = ['generate', 'extend', 'upload', 'concat', 'cover', 'replace_section', 'stems', 'persona'];
export const ACTION_MODELS: readonly string[] = SUNO_MODELS;
/** Seed 004's example model. */
export const ACTION_DEFAULT_MODEL = 'chirp-v4';
/** Clip ids per query request unless `query_batch_size` says otherwise: 100 ids keep the GET under 4 KB of URL. */
export const ACTION_QUERY_BATCH = 100;

const readWords = (body: unknown): string | undefined => {
  if (body === null || typeof body !== 'object') return typeof body === 'string' && body.trim() ? body : undefined;
  const { error, message } = body as { error?: unknown; message?: unknown };
  const nested = error !== null && typeof error === 'object' ? (error as { message?: unknown }).message : undefined;
  for (const w of [nested, message, error]) if (typeof w === 'string' && w.trim() !== '') return w;
  return undefined;
};

/** `{success, data}`; `success: false` carries the upstream's words in error.message / message / error. */
const actionEnvelope: Envelope = {
  errorWords: readWords,
  failure: (body) => {
    if (body === null || typeof body !== 'object' || (body as { success?: unknown }).success !== false) return undefined;
    return readWords(body) ?? 'the provider answered success: false';
  },
};

const actionClipSchema = z.looseObject({
  id: z.string().min(1),
  state: z.string(),
  title: z.string().nullish(),
  image_url: z.string().nullish(),
  lyric: z.string().nullish(),
  audio_url: z.string().nullish(),
  video_url: z.string().nullish(),
  model: z.string().nullish(),
  style: z.string().nullish(),
  duration: z.number().nullish(),
  error: z.union([z.string(), z.looseObject({ message: z.string() })]).nullish(),
});
type ActionClip = z.infer<typeof actionClipSchema>;

const answerSchema = z.looseObject({ success: z.literal(true), data: z.array(actionClipSchema) });
const submitAnswer = z.looseObject({ success: z.literal(true), data: z.array(actionClipSchema).min(1) });
const callbackSchema = z.looseObject({ success: z.boolean(), data: z.array(actionClipSchema).min(1) });

export function createActionAdapter(ctx: AdapterContext): ProviderAdapter {
  const { config, warn } = ctx;
  const paths = resolvePaths(ACTION_PATHS, config, warn);
  const http = createProviderHttp(ctx, actionEnvelope, { authorization: `Bearer ${config.api_key}` });
  const batch = config.query_batch_size ?? ACTION_QUERY_BATCH;

  const clipSnapshot = (c: ActionClip): ClipSnapshot => ({
    id: c.id,
    status: mapClipStatus(ACTION_STATUS, c.state, { dialect: 'action', clipId: c.id, audioUrl: c.audio_url, warn }),
    rawStatus: c.state,
    title: c.title ?? null,
    tags: c.style ?? null,
    lyrics: c.lyric ?? null,
    audio_url: urlOrNull(c.audio_url),
    video_url: urlOrNull(c.video_url),
    image_url: urlOrNull(c.image_url),
    duration: c.duration ?? null,
    model: c.model ?? null,
    error_message: typeof c.error === 'string' ? c.error : (c.error?.message ?? null),
  });

  /** The task id is the first clip's id; an all-succeeded answer is already final. */
  function taskOf(clips: readonly ActionClip[]): TaskSnapshot {
    const snaps = clips.map(clipSnapshot);
    return { taskId: clips[0]?.id ?? '', clips: snaps, ...summarizeClips(snaps) };
  }

  function bodyFor(req: SubmitRequest): Record<string, unknown> {
    const f = readFields(req);
    const model = req.model;
    switch (req.op) {
      case 'generate':
        return { action: ACTION_WORDS.generate, ...actionSongFields(readSong(req, f), model) };
      case 'extend': {
        const action = req.source?.uploaded ? UPLOAD_EXTEND : ACTION_WORDS.extend;
        return { action, ...actionExtendFields(readCustomSong(req, f), model, sourceClip(req, f, config.name), f) };
      }
      case 'upload':
        return { action: ACTION_WORDS.upload, audio_url: requireField(f.audio_url, 'audio_url', 'upload'), model };
      case 'concat':
        return { action: ACTION_WORDS.concat, audio_id: sourceClip(req, f, config.name) };
      case 'stems':
        return { action: ACTION_WORDS.stems, audio_id: sourceClip(req, f, config.name) };
      case 'cover':
        return { action: ACTION_WORDS.cover, ...customFields(readCustomSong(req, f), model), audio_id: sourceClip(req, f, config.name) };
      case 'replace_section':
        return { action: ACTION_WORDS.replace_section, ...actionInfillFields(readCustomSong(req, f), model, sourceClip(req, f, config.name), f) };
      case 'persona': {
        const clipId = req.source?.clipId ?? f.clip_id;
        return {
          action: ACTION_WORDS.persona,
          ...customFields(readCustomSong(req, f), model),
          persona_id: requireField(f.persona_id, 'persona_id', 'persona'),
          ...(clipId ? { audio_id: clipId } : {}),
        };
      }
      case 'lyrics':
        throw unsupported(config.name, 'action', req.op);
    }
  }

  async function submit(req: SubmitRequest): Promise<TaskSnapshot> {
    const body = bodyFor(req);
    // Results are posted to callback_url; Refrain passes its notify_hook URL there.
    if (req.notifyHook) body.callback_url = req.notifyHook;
    const answer = await http.call({ method: 'POST', path: paths.audios, body, schema: submitAnswer });
    return taskOf(answer.data);
  }

  async function query(tasks: TaskRef[]): Promise<TaskSnapshot[]> {
    const ids = [...new Set(tasks.flatMap((t) => t.clipIds))];
    const byId = new Map<string, ActionClip>();
    for (const some of chunk(ids, batch)) {
      const answer = await http.call({ method: 'GET', path: fillPath(paths.query, { ids: some }), schema: answerSchema });
      for (const c of answer.data) byId.set(c.id, c);
    }
    return regroup(tasks, byId, clipSnapshot);
  }

  function parseCallback(body: unknown): TaskSnapshot[] {
    const parsed = callbackSchema.safeParse(body);
    if (!parsed.success) {
      const words = readWords(body);
      const why = words ? `the provider says: ${words}` : z.prettifyError(parsed.error);
      throw new Error(`action callback: expected {success, data: [clips]}: ${why}`);
    }
    return [taskOf(parsed.data.data)];
  }

  return {
    dialect: 'action',
    operations: ACTION_OPERATIONS,
    models: providerModels(config, ACTION_MODELS),
    supportsCallbacks: true,
    queryBatchSize: batch,
    submit,
    query,
    parseCallback,
  };
}
