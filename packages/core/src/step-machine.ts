import type { ErrorCode, GenerationStatus, StepStatus, UpstreamState } from '@refrain/contracts';

/** What a step job sees when it runs: its row in Postgres, nothing from the queue. */
export interface StepSnapshot {
  status: StepStatus;
  generationStatus: GenerationStatus;
  upstreamState: UpstreamState | null;
  upstreamError: string | null;
  /** Epoch ms after which waiting is over. */
  deadlineAt: number | null;
}

export type StepDecision =
  | { kind: 'skip'; reason: string }
  | { kind: 'submit' }
  | { kind: 'succeed' }
  | { kind: 'fail'; code: ErrorCode; message: string }
  | { kind: 'wait'; untilMs: number };

/**
 * The step job as a state machine (SPEC section 2). A step that was never submitted is
 * submitted; one caught between intent and record (`submitting`) is submitted again,
 * which is the one crash window left (docs/reliability.md). A submitted step waits on
 * Postgres, where the poller and the callbacks write what upstream says.
 */
export function decideStep(s: StepSnapshot, now: number, recheckMs: number): StepDecision {
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
    return { kind: 'submit' };
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
