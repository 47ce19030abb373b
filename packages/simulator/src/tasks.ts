import { randomUUID } from 'node:crypto';
import { audioSeconds } from './audio';
import { badRequest } from './errors';
import type { Markers } from './markers';
import type { ClipKind, Phase, SimClip, SimConfig, SimDialect, SimLogger, SimTask, TaskSummary } from './types';

/**
 * The task store and its clock. A task's status is never stored: it is computed from
 * its age, so a fake clock moves every task forward at once and nothing can drift.
 */

export interface NewClip {
  kind: ClipKind;
  title: string;
  tags: string;
  lyrics: string;
  model: string;
  negativeTags?: string;
  description?: string | null;
  sourceClipId?: string | null;
  sourceKind?: ClipKind | null;
  continueAt?: number | null;
  task?: string | null;
  stemType?: 'vocals' | 'instrumental' | null;
  uploadUrl?: string | null;
}

export type PhaseEvent = 'streaming' | 'final';

export interface NewTask {
  dialect: SimDialect;
  operation: string;
  kind: 'music' | 'lyrics';
  clips: NewClip[];
  lyrics?: { title: string; text: string };
  markers: Markers;
  origin: string;
  /** gateway, action and single-clip native answers: the task id is the first clip's id. */
  idFromFirstClip?: boolean;
  /** Called when the task starts streaming and when it is final (callbacks hang here). */
  onPhase?: (task: SimTask, event: PhaseEvent) => void;
  /** The submission's body (action task records and `/_sim/tasks` show it). */
  request?: unknown;
  /** Overrides the configured duration (an AceData upload is ready at once). */
  durationMs?: number;
}

export interface StoreDeps {
  now: () => number;
  random: () => number;
  config: () => SimConfig;
  logger: SimLogger;
}

/** Status at time `at`: submitted (first 25%), queued (to 50%), streaming, then final at D. */
export function phaseAt(task: Pick<SimTask, 'createdAt' | 'durationMs' | 'never' | 'fails'>, at: number): Phase {
  const d = task.durationMs;
  const e = at - task.createdAt;
  if (!task.never && e >= d) return task.fails ? 'error' : 'complete';
  if (task.never && (d === 0 || e >= d * 0.5)) return 'streaming';
  if (e < d * 0.25) return 'submitted';
  if (e < d * 0.5) return 'queued';
  return 'streaming';
}

export const isFinal = (p: Phase): boolean => p === 'complete' || p === 'error';

/** The phase a callback reports for an event, independent of any (possibly fake) clock. */
export function eventPhase(task: Pick<SimTask, 'fails'>, event: PhaseEvent): Phase {
  if (event === 'streaming') return 'streaming';
  return task.fails ? 'error' : 'complete';
}

export class TaskStore {
  private tasks = new Map<string, SimTask>();
  private clips = new Map<string, { task: SimTask; clip: SimClip }>();

  constructor(private readonly deps: StoreDeps) {}

  create(n: NewTask): SimTask {
    const { now, random, config, logger } = this.deps;
    const cfg = config();
    const createdAt = now();
    const clips: SimClip[] = n.clips.map((c) => {
      const id = randomUUID();
      return {
        id,
        kind: c.kind,
        title: c.title,
        tags: c.tags,
        negativeTags: c.negativeTags ?? '',
        lyrics: c.lyrics,
        description: c.description ?? null,
        model: c.model,
        createdAt,
        seconds: audioSeconds(id),
        sourceClipId: c.sourceClipId ?? null,
        sourceKind: c.sourceKind ?? null,
        continueAt: c.continueAt ?? null,
        task: c.task ?? null,
        stemType: c.stemType ?? null,
        uploadUrl: c.uploadUrl ?? null,
      };
    });
    // Markers win over the global rates; a never-finishing task cannot also fail.
    const never = n.markers.never || random() < cfg.faults.neverFinishRate;
    const fails = !never && (n.markers.error || random() < cfg.faults.errorRate);
    const task: SimTask = {
      id: n.idFromFirstClip && clips[0] ? clips[0].id : randomUUID(),
      dialect: n.dialect,
      operation: n.operation,
      kind: n.kind,
      clips,
      lyrics: n.lyrics ?? null,
      createdAt,
      durationMs: n.durationMs ?? n.markers.durationMs ?? cfg.durationMs,
      never,
      fails,
      odd: n.markers.odd,
      request: n.request ?? null,
      holdMs: n.markers.holdMs,
      origin: n.origin,
      statusQueries: 0,
      callbacksSent: 0,
      finalCallbackAt: null,
      timers: [],
    };
    this.tasks.set(task.id, task);
    for (const clip of clips) this.clips.set(clip.id, { task, clip });
    if (n.onPhase) this.schedule(task, n.onPhase);
    logger.info(
      { taskId: task.id, dialect: task.dialect, operation: task.operation, durationMs: task.durationMs, never, fails },
      'task created',
    );
    return task;
  }

  /** Real timers (not the injected clock): callbacks are wall-clock events. */
  private schedule(task: SimTask, onPhase: NonNullable<NewTask['onPhase']>): void {
    const fire = (event: PhaseEvent) => () => {
      if (this.tasks.get(task.id) !== task) return;
      try {
        onPhase(task, event);
      } catch (err) {
        this.deps.logger.warn({ taskId: task.id, err: (err as Error).message }, 'phase handler failed');
      }
    };
    const d = task.durationMs;
    const at = (ms: number, event: PhaseEvent): void => {
      const t = setTimeout(fire(event), ms);
      t.unref();
      task.timers.push(t);
    };
    // D = 0 jumps straight to the end: one final callback, no streaming one.
    if (task.never || d > 0) at(Math.floor(d * 0.5), 'streaming');
    if (!task.never) at(d, 'final');
  }

  phase(task: SimTask, at: number = this.deps.now()): Phase {
    return phaseAt(task, at);
  }

  get(taskId: string): SimTask | undefined {
    return this.tasks.get(taskId);
  }

  clip(clipId: string): { task: SimTask; clip: SimClip } | undefined {
    return this.clips.get(clipId);
  }

  /** By task id or by any of its clip ids. */
  resolve(id: string): SimTask | undefined {
    return this.tasks.get(id) ?? this.clips.get(id)?.task;
  }

  /** The clip an extend / cover / concat / stems works on: it must exist and be complete. */
  source(clipId: string): { task: SimTask; clip: SimClip } {
    const hit = this.clips.get(clipId);
    if (!hit) throw badRequest(`Unknown clip id: ${clipId}`);
    const phase = this.phase(hit.task);
    if (phase !== 'complete') throw badRequest(`Clip ${clipId} is not complete (status: ${phase})`);
    return hit;
  }

  /** Counts one status query against each task it touched (once per request). */
  countQuery(tasks: Iterable<SimTask>): void {
    for (const t of new Set(tasks)) t.statusQueries++;
  }

  summary(task: SimTask): TaskSummary {
    return {
      taskId: task.id,
      dialect: task.dialect,
      operation: task.operation,
      clipIds: task.clips.map((c) => c.id),
      statusQueries: task.statusQueries,
      callbacksSent: task.callbacksSent,
      finalCallbackAt: task.finalCallbackAt,
      createdAt: task.createdAt,
      durationMs: task.durationMs,
      state: this.phase(task),
      request: task.request,
    };
  }

  list(): SimTask[] {
    return [...this.tasks.values()];
  }

  get size(): number {
    return this.tasks.size;
  }

  /** Forgets every task and cancels its timers. */
  clear(): void {
    for (const t of this.tasks.values()) for (const timer of t.timers) clearTimeout(timer);
    this.tasks.clear();
    this.clips.clear();
  }
}
