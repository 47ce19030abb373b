/** Shared types of the simulator. Kept free of logic so every module can import them. */

export const SIM_DIALECTS = ['native', 'gateway', 'relay', 'action'] as const;
export type SimDialect = (typeof SIM_DIALECTS)[number];

export interface SimLogger {
  info: (o: object, m?: string) => void;
  warn: (o: object, m?: string) => void;
}

export interface SimulatorOptions {
  /** The one accepted key; default 'sim-key'. */
  apiKey?: string;
  /** Default per-task duration in ms, default 3000; 0 completes at once. */
  durationMs?: number;
  /** Origin used in audio_url etc. Unset: startSimulator uses its own address, a mounted app the request's Host. */
  publicUrl?: string;
  logger?: SimLogger;
  /** Clock used for status-over-time (tests inject a fake one). Callback timers still use real time. */
  now?: () => number;
  /** Random source in [0, 1) for fault rates; default Math.random. */
  random?: () => number;
}

export interface SimFaults {
  rate5xx: number;
  rateTimeout: number;
  rateGarbage: number;
  rate429: number;
  retryAfterS: number;
  timeoutMs: number;
  neverFinishRate: number;
  errorRate: number;
}

/**
 * Answer shapes where live providers of one dialect differ and the request cannot tell
 * (docs/providers.md). Each default is the live services' most documented shape.
 */
export interface SimShapes {
  /** native upload answer: tu-zi's `{code, message, data: "<clip id>"}`, or a bare clip. */
  nativeUpload: 'envelope' | 'clip';
  /** relay clips: Suno's `status`, or `state: "succeeded"` as some relays send. */
  relayClipStatus: 'status' | 'state';
  /** relay LYRICS task `data`: the object, or a one-item array as some relays send. */
  relayLyricsData: 'object' | 'array';
  /** relay `notify_hook`: called back, or dropped as new-api relays do. */
  relayNotifyHook: 'honoured' | 'dropped';
  /** gateway lyrics answer: `{user_id, text, id, title, lyrics_id}` (live), or seed 001's `{text, title, status}`. */
  gatewayLyrics: 'bare' | 'status';
}

/** A provider's rate limit: above `perSecond` requests (per dialect), 429 with Retry-After. */
export interface SimRateLimit {
  perSecond: number;
  /** 'second': per calendar second of the simulator's clock (default); 'sliding': per any 1000 ms. */
  window: 'second' | 'sliding';
  retryAfterS: number;
}

export interface SimConfig {
  durationMs: number;
  faults: SimFaults;
  dropCallbacks: boolean;
  callbackEnvelope: boolean;
  shapes: SimShapes;
  /** How long a blocking action submission waits for its songs before answering 504 with its task_id. */
  actionBlockMs: number;
  /** null: no limit. */
  rateLimit: SimRateLimit | null;
  /**
   * The account's balance in songs. null (default): `/gateway/limit` counts down from 1000
   * and nothing is ever refused. A number: the account holds that many songs; each accepted
   * music submission spends one, and at 0 music submissions are refused with 402.
   * Setting it (configure / POST /_sim/config) resets the balance to it.
   */
  credits: number | null;
}

/** What POST /_sim/config and configure() accept: any subset, faults and shapes merged key by key, rateLimit replaced (null removes it), credits set (the balance reset to it). */
export type SimConfigPatch = Partial<Omit<SimConfig, 'faults' | 'shapes' | 'rateLimit'>> & {
  faults?: Partial<SimFaults>;
  shapes?: Partial<SimShapes>;
  rateLimit?: (Pick<SimRateLimit, 'perSecond'> & Partial<SimRateLimit>) | null;
};

/** One dialect's traffic: requests received, the busiest calendar second and sliding second, 429s for the rate limit. */
export interface SimRateStats {
  requests: number;
  busiestSecond: { at: number; requests: number } | null;
  busiestWindow: number;
  limited: number;
}

export interface SimStats {
  requests: Record<string, number>;
  submissions: number;
  duplicates: number;
  statusQueries: number;
  callbacks: { sent: number; failed: number; dropped: number };
  tasks: number;
  /** Per dialect: per-second counts (GET /_sim/seconds has the series). */
  rate: Partial<Record<SimDialect, SimRateStats>>;
}

/** A clip's life phase, computed from the clock (never stored). */
export type Phase = 'submitted' | 'queued' | 'streaming' | 'complete' | 'error';

export type ClipKind = 'gen' | 'upload' | 'concat' | 'stem';

export interface SimClip {
  id: string;
  kind: ClipKind;
  title: string;
  tags: string;
  negativeTags: string;
  /** Lyrics sung by the clip ('' = instrumental). */
  lyrics: string;
  /** The description in description mode, else null. */
  description: string | null;
  /** Model as submitted (may carry the -upload suffix). */
  model: string;
  createdAt: number;
  /** Seconds of the generated WAV (what `duration` reports). */
  seconds: number;
  /** Source clip for extend / cover / infill / concat / stems. */
  sourceClipId: string | null;
  /** Kind of the source clip (an extend of an upload shows history type "upload"). */
  sourceKind: ClipKind | null;
  continueAt: number | null;
  task: string | null;
  stemType: 'vocals' | 'instrumental' | null;
  uploadUrl: string | null;
}

export interface SimTask {
  id: string;
  dialect: SimDialect;
  /** Dialect operation that created it (generate, upload, concat, stems, lyrics, ...). */
  operation: string;
  kind: 'music' | 'lyrics';
  clips: SimClip[];
  /** Lyrics tasks only. */
  lyrics: { title: string; text: string } | null;
  createdAt: number;
  durationMs: number;
  never: boolean;
  fails: boolean;
  /** `[sim:odd]`: status answers show this task in a shape no schema expects (one odd task in a batch). */
  odd: boolean;
  /** The submission's body as accepted (action's task records carry it; tests read extras from it). */
  request: unknown;
  /** `[sim:hold=<ms>]`: the submit answer is held this long after the task was made. */
  holdMs: number | null;
  /** Origin of the submitting request, used when no publicUrl is set. */
  origin: string;
  statusQueries: number;
  callbacksSent: number;
  /** Wall-clock ms when the final callback that the receiver accepted was sent; null when none was. */
  finalCallbackAt: number | null;
  timers: NodeJS.Timeout[];
}

export interface TaskSummary {
  taskId: string;
  dialect: SimDialect;
  operation: string;
  clipIds: string[];
  statusQueries: number;
  callbacksSent: number;
  finalCallbackAt: number | null;
  createdAt: number;
  durationMs: number;
  state: Phase;
  request: unknown;
}
