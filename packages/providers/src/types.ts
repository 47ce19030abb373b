import type { Dialect, LyricsResult, Op, ProviderConfig, UpstreamClip, UpstreamTask } from '@refrain/contracts';
import type { UpstreamError } from '@refrain/core';
import type { Dispatcher } from 'undici';

/**
 * A step's input after planning: Suno field names, the model resolved, and the
 * clip it works on (taken from the step before when the user named none).
 */
export interface SubmitRequest {
  op: Op;
  /** Suno-named fields of the step (prompt, tags, title, mv, continue_at, infill_start_s, ...). */
  input: Record<string, unknown>;
  /** Model to use (already defaulted from the provider's default_model). */
  model: string;
  /** The clip this step continues / covers / concatenates, when the op needs one. */
  source?: {
    clipId: string;
    /** Upstream task id that produced the clip (relay continuation needs it). */
    taskId?: string;
    /** The clip came from an `upload` step (extending or covering it is its own request). */
    uploaded?: boolean;
    /** The clip came from a `replace_section` step (native concat then sends `is_infill: true`). */
    infill?: boolean;
  };
  /** When lyrics from a previous `lyrics` step are to be sung. */
  lyrics?: LyricsResult;
  /** notify_hook URL, when the provider has callbacks on and the dialect takes them. */
  notifyHook?: string;
}

/** One clip as an upstream reports it, already mapped onto Refrain's clip states. */
export interface ClipSnapshot extends UpstreamClip {
  /** The upstream's own status word, for logs. */
  rawStatus: string;
}

/** One upstream task: its clips (or lyrics), and a task-level summary. */
export type TaskSnapshot = UpstreamTask<ClipSnapshot>;

/** What a worker knows about a submitted step when it asks about it again. */
export interface TaskRef {
  taskId: string;
  clipIds: string[];
  op: Op;
}

/** One HTTP request about to go to a provider, as the request gate sees it. */
export interface GatedRequest {
  method: 'GET' | 'POST';
  /** Path and query (may hold ids: never a metric label). */
  path: string;
}

/**
 * The provider's shared request budget. Every HTTP request of an adapter (each chunk of
 * a chunked query, lyrics, uploads, credits) waits in `acquire` before it is sent, one
 * request at a time; a 429 is reported back so the budget shrinks for every worker.
 */
export interface RequestGate {
  acquire(request: GatedRequest): Promise<void>;
  throttled?(request: GatedRequest, retryAfterMs: number | undefined): void;
}

export interface AdapterContext {
  config: ProviderConfig;
  /** HTTP transport; tests inject an undici MockAgent. */
  dispatcher?: Dispatcher;
  /** The shared request gate (the engine's upstream budget); none: requests go out at once. */
  gate?: RequestGate;
  /** Per-request timeout in ms. */
  timeoutMs?: number;
  /**
   * Called for unknown upstream status words and similar oddities, including one task of a
   * batched status answer that does not match its schema (it is left out, not fatal).
   */
  warn?: (msg: string, data?: Record<string, unknown>) => void;
}

export interface Credits {
  songs_left: number | null;
  raw: unknown;
}

/** One upstream dialect. One file per dialect implements it. */
export interface ProviderAdapter {
  readonly dialect: Dialect;
  readonly operations: readonly Op[];
  /** Refrain's names of the models it offers (each dialect sends its own spelling). */
  readonly models: readonly string[];
  /** The model of a step that names none. */
  readonly defaultModel: string;
  /** The dialect can call us back (notify_hook) instead of being polled. */
  readonly supportsCallbacks: boolean;
  /** How many tasks (clip ids, where the dialect asks by clip) one status request carries (1 = no batching); `query_batch_size` overrides it. */
  readonly queryBatchSize: number;
  /** Submit one step upstream. Throws UpstreamError (classified) on failure. */
  submit(req: SubmitRequest): Promise<TaskSnapshot>;
  /**
   * After a submission whose outcome is unknown: find the task it may have made, by query,
   * where the dialect can (the error named a task id). Undefined when it cannot be found.
   * Never submits anything.
   */
  recover?(req: SubmitRequest, err: UpstreamError): Promise<TaskSnapshot | undefined>;
  /** Ask about many tasks; batches by queryBatchSize internally. Missing tasks are left out. */
  query(tasks: TaskRef[]): Promise<TaskSnapshot[]>;
  /** Remaining credits, where the dialect can tell; undefined otherwise. */
  credits?(): Promise<Credits>;
  /** Validate and read a callback body (zod). Throws on a body of the wrong shape. */
  parseCallback?(body: unknown): TaskSnapshot[];
}

export type AdapterFactory = (ctx: AdapterContext) => ProviderAdapter;
