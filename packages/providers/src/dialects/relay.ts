import type { Op } from '@refrain/contracts';
import { UpstreamError } from '@refrain/core';
import { z } from 'zod';
import { parseItems } from '../answer-items';
import { codeEnvelope, createProviderHttp, type Envelope } from '../http';
import { providerDefaultModel, providerModels, wireModel } from '../models';
import { fillPath, resolvePaths } from '../paths';
import { recoverNamedTask } from '../recovery';
import { chunk } from '../status';
import { readCustomSong, readFields, readSong, requireField, sourceClip, unsupported, withExtras } from '../step-input';
import type { AdapterContext, ProviderAdapter, SubmitRequest, TaskRef, TaskSnapshot } from '../types';
import { relayTaskSchema, relayTaskSnapshot, type RelayTask } from './relay-task';

export { RELAY_STATUS } from './relay-task';

/** Default paths (docs/providers.md, relay; seed 003 plus the common relays' fetch paths). */
export const RELAY_PATHS = {
  submit_music: '/suno/submit/music',
  submit_lyrics: '/suno/submit/lyrics',
  fetch: '/suno/fetch/{task_id}',
  fetch_batch: '/suno/fetch',
} as const;

export const RELAY_OPERATIONS: readonly Op[] = ['generate', 'extend', 'lyrics'];
/** Seed 003's `mv` list (chirp-v3-0, chirp-v3-5, chirp-v4, chirp-auk, chirp-crow), in Refrain's names. */
export const RELAY_MODELS: readonly string[] = ['chirp-v3-0', 'chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-v5'];
/** Seed 003's example value for mv. */
export const RELAY_DEFAULT_MODEL = 'chirp-v3-0';
/**
 * Task ids per `POST /suno/fetch` unless `query_batch_size` says otherwise. No cap is documented (new-api passes the whole list to
 * one database query); 1000 ids keep a request body near 40 KB.
 */
export const RELAY_QUERY_BATCH = 1000;

/** `{code: "success", message, data}`; another code is a refusal in `message`'s words. */
const relayEnvelope: Envelope = {
  ...codeEnvelope({ ok: ['success'], words: ['message', 'msg'], label: 'relay' }),
  // A submit answer's data is the task id, even when the rest of the answer is odd.
  taskIdOf: (body) => {
    const d = body !== null && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;
    return typeof d === 'string' && d !== '' ? d : undefined;
  },
};
const envelope = <T extends z.ZodType>(data: T) =>
  z.looseObject({ code: z.literal('success'), message: z.string().nullish(), data });

const submitAnswer = envelope(z.string().min(1));
const fetchAnswer = envelope(z.unknown());
/** Tasks of a batch answer are validated one by one (an odd one does not sink the others). */
const fetchBatchAnswer = envelope(z.array(z.unknown()));

/** A callback body: the task object, bare or in the fetch envelope (any code). */
const callbackSchema = z.union([
  relayTaskSchema,
  z.looseObject({ code: z.unknown(), message: z.string().nullish(), data: z.union([relayTaskSchema, z.array(relayTaskSchema)]) }),
]);

export function createRelayAdapter(ctx: AdapterContext): ProviderAdapter {
  const { config, warn } = ctx;
  const paths = resolvePaths(RELAY_PATHS, config, warn);
  const http = createProviderHttp(ctx, relayEnvelope, { authorization: `Bearer ${config.api_key}` });
  const snapshot = (t: RelayTask, op?: Op) => relayTaskSnapshot(t, { op, warn });
  const timeoutMs = config.submit_timeout_s ? config.submit_timeout_s * 1000 : undefined;
  const batch = config.query_batch_size ?? RELAY_QUERY_BATCH;

  async function submitTask(path: string, body: Record<string, unknown>, req: SubmitRequest): Promise<TaskSnapshot> {
    // new-api relays drop notify_hook (no such field in their submit body): leave callbacks off for them.
    const sent = withExtras(body, readFields(req), warn);
    const withHook = req.notifyHook ? { ...sent, notify_hook: req.notifyHook } : sent;
    const answer = await http.call({ method: 'POST', path, body: withHook, schema: submitAnswer, timeoutMs });
    return { taskId: answer.data, state: 'running', clips: [] };
  }

  async function submit(req: SubmitRequest): Promise<TaskSnapshot> {
    const f = readFields(req);
    const mv = wireModel(req.model, 'codename');
    switch (req.op) {
      case 'generate': {
        const song = readSong(req, f);
        // Seed 003: inspiration mode, or custom mode where an empty prompt means instrumental.
        const body =
          song.mode === 'description'
            ? { gpt_description_prompt: song.description, make_instrumental: song.instrumental, mv }
            : { prompt: song.lyrics, tags: song.tags, mv, title: song.title };
        return submitTask(paths.submit_music, body, req);
      }
      case 'extend': {
        const song = readCustomSong(req, f);
        const taskId = req.source?.taskId;
        if (!taskId) warn?.(`relay: extend of clip without its task id; the relay may refuse it`, { provider: config.name });
        const body = {
          prompt: song.lyrics,
          tags: song.tags,
          mv,
          title: song.title,
          ...(taskId ? { task_id: taskId } : {}),
          continue_clip_id: sourceClip(req, f, config.name),
          continue_at: requireField(f.continue_at, 'continue_at', 'extend'),
        };
        return submitTask(paths.submit_music, body, req);
      }
      case 'lyrics':
        return submitTask(paths.submit_lyrics, { prompt: f.prompt ?? '' }, req);
      default:
        throw unsupported(config.name, 'relay', req.op);
    }
  }

  /** One task: the single fetch (a 404 leaves it out); many: the batch fetch. */
  async function fetchTasks(ids: string[]): Promise<RelayTask[]> {
    const [only] = ids;
    if (ids.length === 1 && only !== undefined) {
      try {
        const path = fillPath(paths.fetch, { task_id: only, id: only });
        const answer = await http.call({ method: 'GET', path, schema: fetchAnswer });
        return parseItems([answer.data], relayTaskSchema, { dialect: 'relay', what: 'task', warn });
      } catch (e) {
        if (e instanceof UpstreamError && e.httpStatus === 404) return [];
        throw e;
      }
    }
    const answer = await http.call({ method: 'POST', path: paths.fetch_batch, body: { ids }, schema: fetchBatchAnswer });
    return parseItems(answer.data, relayTaskSchema, { dialect: 'relay', what: 'task', warn });
  }

  async function query(tasks: TaskRef[]): Promise<TaskSnapshot[]> {
    const refs = new Map(tasks.map((t) => [t.taskId, t]));
    const out: TaskSnapshot[] = [];
    for (const ids of chunk([...refs.keys()], batch)) {
      for (const task of await fetchTasks(ids)) {
        const ref = refs.get(task.task_id);
        if (ref) out.push(snapshot(task, ref.op)); // answers about tasks we did not ask for are ignored
      }
    }
    return out;
  }

  function parseCallback(body: unknown): TaskSnapshot[] {
    const parsed = callbackSchema.safeParse(body);
    if (!parsed.success) {
      throw new Error(
        `relay callback: expected a task object, bare or as {code, message, data}: ${z.prettifyError(parsed.error)}`,
      );
    }
    const value = parsed.data;
    const tasks = 'task_id' in value ? [value as RelayTask] : [value.data].flat();
    return tasks.map((t) => snapshot(t));
  }

  return {
    dialect: 'relay',
    operations: RELAY_OPERATIONS,
    models: providerModels(config, RELAY_MODELS),
    defaultModel: providerDefaultModel(config, RELAY_DEFAULT_MODEL),
    supportsCallbacks: true,
    queryBatchSize: batch,
    submit,
    query,
    recover: (req, err) => recoverNamedTask(query, req, err),
    parseCallback,
  };
}
