import type { SimConfigPatch, SimStats } from '@refrain/simulator';
import type { Crash } from './infra';
import type { Invariant } from './invariants';

/** What a chaos run is asked to do, and what its report says. */

export interface ChaosOptions {
  label: string;
  generations: number;
  workers: number;
  /** Submissions are spread over this window; the chaos events happen inside it. */
  windowMs: number;
  /** Worker kills (kill -9, then a restart), spread over the window. */
  kills: number;
  /** 429 bursts (rate429 raised to 0.5 for `burstMs`). */
  bursts: number;
  burstMs?: number;
  /** Bounded wait for every generation to be final once the faults stop. */
  settleMs: number;
  /** Share of generations whose prompt carries `[sim:never]`. */
  neverShare?: number;
  /**
   * Outages of the pool member `pb` (its simulator stops listening and cuts every
   * connection, then listens again on the same port `outageMs` later; default 1 of 3 s).
   */
  poolOutages?: number;
  outageMs?: number;
  workerConcurrency?: number;
  simDurationMs?: number;
  deadlineS?: number;
  pollIntervalMs?: number;
  faults?: SimConfigPatch['faults'];
  /** Keep the temp dir (logs of every process) even when the run passes. */
  keepDir?: boolean;
  log?: (line: string) => void;
}

export type Scenario = 'generate_custom' | 'generate_description' | 'extend_full' | 'cover' | 'upload_extend' | 'lyrics_song' | 'relay_generate' | 'never';

/** One generation as the clients posted it. */
export interface Submitted {
  n: number;
  scenario: Scenario;
  /** What the request's `provider` named: a provider, or the pool. */
  provider: string;
  /** When its first POST went out (epoch ms). */
  postedAt: number;
  tag: string;
  id: string | null;
  postTries: number;
  postFailures: string[];
  /** Why it could not be submitted at all (the suite's own failure). */
  gaveUp?: string;
}

export interface ChaosEvent {
  /** Since the start of the run. */
  at: number;
  what: string;
  ms: number;
  /** Generations not yet final just before the event. */
  inFlight: number;
  /** Accepted submissions whose task no step recorded, made during this event (the crash window). */
  orphaned?: number;
  /** Epoch ms, for attributing submissions to events. */
  startedAt: number;
}

export interface ChaosReport {
  label: string;
  elapsedMs: number;
  options: Omit<ChaosOptions, 'log'>;
  generations: number;
  byStatus: Record<string, number>;
  byScenario: Record<string, Record<string, number>>;
  failuresByCode: Record<string, number>;
  events: ChaosEvent[];
  kills: number;
  flushes: number;
  pgRestarts: number;
  poolOutages: number;
  postRetries: number;
  postFailureKinds: Record<string, number>;
  faultsInjected: Record<string, number>;
  /** Both simulators' counters summed (`rate` is simulator a's). */
  sim: SimStats;
  /** Each simulator's own: `a` serves sim, relay and pa; `b` serves pb. */
  sims: Record<string, SimStats>;
  pool: PoolReport;
  steps: {
    total: number;
    withTask: number;
    /** Sum of submit_attempts (intents recorded) over steps with a task. */
    intents: number;
    /** Steps with a task whose submit_attempts > 1 (retried after a fault or an interruption). */
    retriedIntents: number;
  };
  submissions: {
    accepted: number;
    /** Accepted submissions of a step that has its task recorded, made after it was recorded. Must be 0. */
    afterRecord: number;
    /** Accepted submissions that share their body with an earlier accepted one (same count as the simulator's). */
    duplicates: number;
    /** Accepted submissions whose task no step recorded: credits spent for nothing (the crash window). */
    orphaned: number;
  };
  never: { total: number; timedOut: number; notSubmitted: number };
  /** Non-never generations that failed with upstream_timeout (a task that finished, seen too late). */
  falseTimeouts: number;
  lingeringJobs: Record<string, Record<string, number>>;
  /** Processes that exited without being told to (each was restarted 1 s later, like a supervisor would). */
  crashes: Omit<Crash, 'tail'>[];
  /** Every broken invariant, one line each. Empty when the run passed. */
  violations: { invariant: Invariant; detail: string }[];
  dir: string;
}

/** What the report says about the pool's generations. */
export interface PoolReport {
  name: string;
  /** Members, best first: the one taken down is the first. */
  members: string[];
  generations: number;
  byStatus: Record<string, number>;
  /** Steps with a recorded task, per member. */
  stepsByMember: Record<string, number>;
  /** Failovers recorded in the steps' routes, by member and reason (its words up to the colon). */
  failovers: Record<string, number>;
  /** Succeeded pool generations of more than one step, each checked for its chain. */
  chainsChecked: number;
  /** Pool generations that failed with upstream_timeout (a task that finished, seen too late). */
  falseTimeouts: number;
  outages: {
    at: number;
    ms: number;
    /** Pool generations POSTed while the member was down. */
    poolPosts: number;
    /** Failovers away from the member because it could not be reached or was resting, from the outage to 12 s after it. */
    failovers: number;
    /** Steps whose task was on the member, not yet over for Refrain, when it went down: how each ended. */
    heldTasks: Record<string, number>;
  }[];
  /** Set when the failover could not be asserted (no pool generation was submitted during an outage). */
  note?: string;
}

/** When a pool member was down (epoch ms). */
export interface OutageWindow {
  from: number;
  to: number;
}
