import type { ErrorCode, GenerationStatus, StepStatus, UpstreamState } from '@refrain/contracts';

/** What a step job sees when it runs: its row in Postgres, nothing from the queue. */
export interface StepSnapshot {
  status: StepStatus;
  generationStatus: GenerationStatus;
  upstreamState: UpstreamState | null;
  upstreamError: string | null;
  /** Epoch ms after which waiting is over. */
  deadlineAt: number | null;
  /** Status `submitting`: when the intent was recorded (epoch ms). */
  intentAt?: number | null;
  /** Status `submitting`: the submission carried a callback address, so a callback can still bring its task. */
  awaitsCallback?: boolean;
}

export type StepDecision =
  | { kind: 'skip'; reason: string }
  | { kind: 'submit' }
  | { kind: 'succeed' }
  | { kind: 'fail'; code: ErrorCode; message: string }
  | { kind: 'wait'; untilMs: number };

/**
 * The step job as a state machine (SPEC section 2). A step that was never submitted is
 * submitted. One found between intent and record (`submitting`: the worker that sent it
 * died, or could not write the answer down) is never sent again — its outcome is unknown
 * and a credit may already be spent; the engine waits for its callback or fails it with
 * `submit_outcome_unknown` (docs/reliability.md). A failed attempt that provably made
 * nothing upstream goes back to `pending` first, so its retry is a fresh submission. A
 * submitted step waits on Postgres, where the poller and the callbacks write what upstream says.
 */
export function decideStep(s: StepSnapshot, now: number, recheckMs: number, opts: { callbackWindowMs?: number } = {}): StepDecision {
  if (s.status === 'succeeded' || s.status === 'failed' || s.status === 'canceled') {
    return { kind: 'skip', reason: `step already ${s.status}` };
  }
  if (s.generationStatus === 'canceled' && s.status === 'pending') {
    return { kind: 'skip', reason: 'generation canceled' };
  }
  if (s.status === 'pending' || s.status === 'submitting') {
    if (s.generationStatus === 'canceled' || s.generationStatus === 'failed') {
      return { kind: 'skip', reason: `generation ${s.generationStatus}` };
    }
    if (s.status === 'pending') return { kind: 'submit' };
    return interrupted(s, now, opts.callbackWindowMs ?? 0);
  }
  // waiting
  if (s.upstreamState === 'complete') return { kind: 'succeed' };
  if (s.upstreamState === 'error') {
    return { kind: 'fail', code: 'upstream_failed', message: s.upstreamError ?? 'the upstream task failed' };
  }
  if (s.deadlineAt !== null && now >= s.deadlineAt) {
    return {
      kind: 'fail',
      code: 'upstream_timeout',
      message: `the upstream task did not finish before its deadline (${new Date(s.deadlineAt).toISOString()})`,
    };
  }
  const until = s.deadlineAt === null ? now + recheckMs : Math.min(now + recheckMs, s.deadlineAt);
  return { kind: 'wait', untilMs: until };
}

/** A submission sent and never recorded: wait for the callback that may still bring its task, else say so. */
function interrupted(s: StepSnapshot, now: number, windowMs: number): StepDecision {
  const until = (s.intentAt ?? now) + windowMs;
  if (s.awaitsCallback && now < until) return { kind: 'wait', untilMs: until };
  const why = s.awaitsCallback ? `, and no callback brought its task within ${Math.round(windowMs / 1000)} s` : '';
  return {
    kind: 'fail',
    code: 'submit_outcome_unknown',
    message:
      `the submission was sent, but the worker stopped (or could not record the provider's answer) before its task was written down${why}; ` +
      'whether the provider made the song is unknown, and it was not sent again so that nothing is paid twice',
  };
}

/** The generation's status as its steps sum it up. */
export function deriveGenerationStatus(steps: readonly { status: StepStatus }[]): GenerationStatus {
  if (steps.some((s) => s.status === 'failed')) return 'failed';
  if (steps.length > 0 && steps.every((s) => s.status === 'succeeded')) return 'succeeded';
  if (steps.some((s) => s.status === 'canceled')) {
    return steps.some((s) => s.status === 'submitting' || s.status === 'waiting') ? 'running' : 'canceled';
  }
  if (steps.every((s) => s.status === 'pending')) return 'queued';
  return 'running';
}
