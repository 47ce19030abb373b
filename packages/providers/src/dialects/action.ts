import type { Op } from '@refrain/contracts';
import { UpstreamError } from '@refrain/core';
import { z } from 'zod';
import { parseItems } from '../answer-items';
import { createProviderHttp } from '../http';
import { providerDefaultModel, providerModels, wireModel } from '../models';
import { resolvePaths } from '../paths';
import { recoverNamedTask } from '../recovery';
import { chunk } from '../status';
import { readCustomSong, readFields, readSong, requireField, sourceClip, unsupported, withExtras, type StepFields } from '../step-input';
import type { AdapterContext, ProviderAdapter, SubmitRequest, TaskRef, TaskSnapshot } from '../types';
import {
  actionEnvelope,
  actionReader,
  batchAnswer,
  callbackSchema,
  readWords,
  submitAnswer,
  taskRecordSchema,
  uploadAnswer,
  type TaskRecord,
} from './action-answers';
import { ACTION_WORDS, UPLOAD_COVER, UPLOAD_EXTEND, actionExtendFields, actionInfillFields, actionSongFields, customFields } from './action-bodies';

export { ACTION_STATUS } from './action-answers';

/**
 * Default paths (docs/providers.md, action): seed 004's one endpoint, and AceData's upload
 * and task query (the seed documents no query).
 */
export const ACTION_PATHS = {
  audios: '/suno/audios',
  upload: '/suno/upload',
  tasks: '/suno/tasks',
} as const;

export const ACTION_OPERATIONS: readonly Op[] = ['generate', 'extend', 'upload', 'concat', 'cover', 'replace_section', 'stems', 'persona'];
/** AceData's model list (its "model" parameter), in Refrain's names, which it spells the same. */
export const ACTION_MODELS: readonly string[] = ['chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-v4-5-plus', 'chirp-v5', 'chirp-v5-5'];
/** Seed 004's example model, and AceData's default. */
export const ACTION_DEFAULT_MODEL = 'chirp-v4';
/** Task ids per `retrieve_batch` unless `query_batch_size` says otherwise (AceData's own client recommends at most 50). */
export const ACTION_QUERY_BATCH = 50;
/**
 * A blocking submission (option `action_submit: "blocking"`, no callback) waits for the
 * songs: 1–2 minutes on AceData. Its timeout is well above that, so a slow answer is not
 * cut short (and never re-sent: its outcome would be unknown).
 */
export const ACTION_BLOCKING_TIMEOUT_MS = 300_000;

export function createActionAdapter(ctx: AdapterContext): ProviderAdapter {
  const { config, warn } = ctx;
  const options = config.options ?? {};
  const paths = resolvePaths(ACTION_PATHS, config, warn);
  const http = createProviderHttp(ctx, actionEnvelope, { authorization: `Bearer ${config.api_key}` });
  const read = actionReader(warn);
  const blocking = options.action_submit === 'blocking';
  const batch = config.query_batch_size ?? ACTION_QUERY_BATCH;

  function bodyFor(req: SubmitRequest, f: StepFields): Record<string, unknown> {
    const model = wireModel(req.model, 'version');
    const clip = () => sourceClip(req, f, config.name);
    switch (req.op) {
      case 'generate':
        return { action: ACTION_WORDS.generate, ...actionSongFields(readSong(req, f), model) };
      case 'extend': {
        const action = req.source?.uploaded ? UPLOAD_EXTEND : ACTION_WORDS.extend;
        return { action, ...actionExtendFields(readCustomSong(req, f), model, clip(), f) };
      }
      case 'upload':
        return { action: ACTION_WORDS.upload, audio_url: requireField(f.audio_url, 'audio_url', 'upload'), model };
      case 'concat':
        return { action: ACTION_WORDS.concat, audio_id: clip() };
      case 'stems':
        return { action: ACTION_WORDS.stems, audio_id: clip() };
      case 'cover': {
        const action = req.source?.uploaded ? UPLOAD_COVER : ACTION_WORDS.cover;
        return { action, ...customFields(readCustomSong(req, f), model), audio_id: clip() };
      }
      case 'replace_section':
        return { action: ACTION_WORDS.replace_section, ...actionInfillFields(readCustomSong(req, f), model, clip(), f) };
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

  /** AceData's upload: `POST /suno/upload {audio_url}` answers the clip, ready at once. */
  async function upload(req: SubmitRequest, f: StepFields): Promise<TaskSnapshot> {
    const body = withExtras({ audio_url: requireField(f.audio_url, 'audio_url', 'upload') }, f, warn);
    const answer = await http.call({ method: 'POST', path: paths.upload, body, schema: uploadAnswer });
    const d = answer.data;
    const clip = read.clipSnapshot({ id: d.audio_id, state: 'succeeded', title: d.title, audio_url: d.audio_url, image_url: d.image_url, lyric: d.lyric, style: d.style, duration: d.duration });
    return { taskId: answer.task_id || d.audio_id, state: 'complete', clips: [clip] };
  }

  async function submit(req: SubmitRequest): Promise<TaskSnapshot> {
    const f = readFields(req);
    if (req.op === 'upload' && options.action_upload !== 'upload_generate') return upload(req, f);
    const body = withExtras(bodyFor(req, f), f, warn);
    // Answered at once: with the notify_hook as callback_url, else `async: true`; blocking only when chosen.
    if (req.notifyHook) body.callback_url = req.notifyHook;
    else if (!blocking) body.async = true;
    const waits = blocking && !req.notifyHook;
    const timeoutMs = config.submit_timeout_s ? config.submit_timeout_s * 1000 : waits ? ACTION_BLOCKING_TIMEOUT_MS : undefined;
    let answer: z.infer<typeof submitAnswer>;
    try {
      answer = await http.call({ method: 'POST', path: paths.audios, body, schema: submitAnswer, timeoutMs });
    } catch (e) {
      // A 500 that names its task is that task failing (AceData: "job failed ..."): record it, do not make a second one.
      if (e instanceof UpstreamError && e.httpStatus === 500 && e.taskId) return { taskId: e.taskId, state: 'error', clips: [], error: e.message };
      throw e;
    }
    const clips = read.clipsOf(answer.data);
    // The task id is the answer's task_id; seed 004's example has none, then its first clip's id.
    const taskId = answer.task_id ?? clips[0]?.id;
    if (!taskId) throw new UpstreamError({ provider: config.name, code: 'upstream_bad_response', retry: true, outcome: 'unknown', message: `${config.name} answered a submission with neither task_id nor a readable clip` });
    return read.task(taskId, clips);
  }

  async function fetchRecords(ids: string[]): Promise<TaskRecord[]> {
    const [only] = ids;
    if (ids.length === 1 && only !== undefined) {
      try {
        const answer = await http.call({ method: 'POST', path: paths.tasks, body: { id: only, action: 'retrieve' }, schema: z.unknown() });
        return parseItems([answer], taskRecordSchema, { dialect: 'action', what: 'task', warn });
      } catch (e) {
        if (e instanceof UpstreamError && e.httpStatus === 404) return []; // unknown upstream: left out
        throw e;
      }
    }
    const answer = await http.call({ method: 'POST', path: paths.tasks, body: { ids, action: 'retrieve_batch' }, schema: batchAnswer });
    return parseItems(answer.items, taskRecordSchema, { dialect: 'action', what: 'task', warn });
  }

  async function query(tasks: TaskRef[]): Promise<TaskSnapshot[]> {
    const asked = new Set(tasks.map((t) => t.taskId));
    const out: TaskSnapshot[] = [];
    for (const ids of chunk([...asked], batch)) {
      for (const r of await fetchRecords(ids)) if (asked.has(r.id)) out.push(read.record(r));
    }
    return out;
  }

  function parseCallback(body: unknown): TaskSnapshot[] {
    const parsed = callbackSchema.safeParse(body);
    const clips = parsed.success ? read.clipsOf(parsed.data.data) : [];
    const taskId = parsed.success ? (parsed.data.task_id ?? clips[0]?.id) : undefined;
    if (!parsed.success || !taskId) {
      const words = readWords(body);
      const why = words ? `the provider says: ${words}` : parsed.success ? 'no task_id and no clip' : z.prettifyError(parsed.error);
      throw new Error(`action callback: expected {success, task_id, data: [clips]}: ${why}`);
    }
    if (!parsed.data.success) return [{ taskId, state: 'error', clips: clips.map(read.clipSnapshot), error: readWords(body) ?? 'the task failed upstream' }];
    return [read.task(taskId, clips)];
  }

  return {
    dialect: 'action',
    operations: ACTION_OPERATIONS,
    models: providerModels(config, ACTION_MODELS),
    defaultModel: providerDefaultModel(config, ACTION_DEFAULT_MODEL),
    supportsCallbacks: true,
    queryBatchSize: batch,
    submit,
    query,
    recover: (req, err) => recoverNamedTask(query, req, err),
    parseCallback,
  };
}
