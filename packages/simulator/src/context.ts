import type { Request } from 'express';
import { CallbackSender } from './callbacks';
import { DEFAULT_DURATION_MS, defaultConfig, mergeConfig } from './config';
import { SimError } from './errors';
import { FaultInjector } from './faults';
import { Stats } from './stats';
import { TaskStore } from './tasks';
import type { SimConfig, SimConfigPatch, SimLogger, SimTask, SimulatorOptions } from './types';

export const DEFAULT_API_KEY = 'sim-key';
/** What `/gateway/limit` starts at while `credits` is null (a figure only: nothing is refused). */
export const INITIAL_SONGS_LEFT = 1000;
export const INSUFFICIENT_CREDITS_MESSAGE = 'insufficient credits: 0 songs left';

const silent: SimLogger = { info: () => undefined, warn: () => undefined };

/** Everything the routers share. One per simulator instance: no module-level state. */
export class SimContext {
  readonly apiKey: string;
  readonly now: () => number;
  readonly random: () => number;
  readonly logger: SimLogger;
  readonly stats = new Stats();
  readonly store: TaskStore;
  readonly callbacks: CallbackSender;
  readonly faults: FaultInjector;
  /** Settable: startSimulator only learns its port after listening. */
  publicUrl: string | undefined;
  /** The balance `/gateway/limit` reports: `credits` when set (reset to it each time it is set), else counting down from 1000. */
  songsLeft = INITIAL_SONGS_LEFT;
  /** Requests waiting on a task (gateway chatgpt, blocking action); aborted on reset / close. */
  readonly waiters = new Set<AbortController>();
  /** Submit answers held by `[sim:hold]`; dropped on reset / close. */
  readonly held = new Map<NodeJS.Timeout, { destroy(): void }>();
  private cfg: SimConfig;

  constructor(private readonly opts: SimulatorOptions) {
    this.apiKey = opts.apiKey ?? DEFAULT_API_KEY;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.logger = opts.logger ?? silent;
    this.publicUrl = opts.publicUrl?.replace(/\/+$/, '');
    this.cfg = this.initialConfig();
    const config = (): SimConfig => this.cfg;
    this.store = new TaskStore({ now: this.now, random: this.random, config, logger: this.logger });
    this.callbacks = new CallbackSender({
      stats: this.stats,
      logger: this.logger,
      dropCallbacks: () => this.cfg.dropCallbacks,
    });
    this.faults = new FaultInjector({ config, random: this.random, logger: this.logger });
  }

  private initialConfig(): SimConfig {
    return mergeConfig(defaultConfig(DEFAULT_DURATION_MS), { durationMs: this.opts.durationMs ?? DEFAULT_DURATION_MS });
  }

  get config(): SimConfig {
    return this.cfg;
  }

  /** Throws an Error with a readable message when the patch is invalid. */
  configure(patch: SimConfigPatch): SimConfig {
    this.cfg = mergeConfig(this.cfg, patch);
    // Only a patch that names credits touches the balance; null brings back the 1000 countdown.
    if (patch.credits !== undefined) this.songsLeft = this.cfg.credits ?? INITIAL_SONGS_LEFT;
    this.logger.info({ config: this.cfg }, 'simulator configured');
    return this.cfg;
  }

  /** The origin a new task's URLs use when no publicUrl is set: where the client reached us. */
  originOf(req: Request): string {
    return this.publicUrl ?? `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
  }

  baseOf(task: SimTask): string {
    return this.publicUrl ?? task.origin;
  }

  /**
   * Before a music submission makes its task: with `credits` set and spent, refuses it
   * (402 in the dialect's envelope). With `credits` null it never refuses.
   */
  checkCredits(): void {
    if (this.cfg.credits !== null && this.songsLeft <= 0) throw new SimError(402, INSUFFICIENT_CREDITS_MESSAGE);
  }

  /** A music submission was accepted: one song less on the account (never below 0). */
  spendSong(): void {
    this.songsLeft = Math.max(0, this.songsLeft - 1);
  }

  /** Stops everything in flight: timers, held requests, callbacks, waiting requests. */
  stopAll(): void {
    this.store.clear();
    this.faults.releaseAll();
    this.callbacks.abortAll();
    for (const w of this.waiters) w.abort();
    this.waiters.clear();
    for (const [timer, res] of this.held) {
      clearTimeout(timer);
      res.destroy();
    }
    this.held.clear();
  }

  reset(): void {
    this.stopAll();
    this.stats.reset();
    this.songsLeft = INITIAL_SONGS_LEFT;
    this.cfg = this.initialConfig();
    this.logger.info({}, 'simulator reset');
  }
}
