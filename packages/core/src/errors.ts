import type { ErrorCode } from '@refrain/contracts';

/**
 * An error that says whether trying again can help (after unkey's BaseError).
 * Processors turn a non-retryable one into BullMQ's UnrecoverableError.
 */
export class RefrainError extends Error {
  readonly code: ErrorCode;
  readonly retry: boolean;
  /** When set, wait at least this long before the next attempt (e.g. from Retry-After). */
  readonly retryAfterMs: number | undefined;

  constructor(opts: { code: ErrorCode; message: string; retry: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(opts.message, { cause: opts.cause });
    this.name = 'RefrainError';
    this.code = opts.code;
    this.retry = opts.retry;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/**
 * What a failed request may have done upstream:
 * - `not_sent`: it provably never reached the upstream (connection refused, DNS failure);
 * - `refused`: the upstream answered and did not accept it (4xx, 429, 5xx other than 504,
 *   an envelope that says it failed);
 * - `unknown`: it was sent and no usable answer came back (a timeout after it was written,
 *   the connection cut mid-answer, a 504, a 2xx that cannot be read). A submission with
 *   this outcome may have created a task (and spent credits): it is never re-sent blindly.
 */
export type UpstreamOutcome = 'not_sent' | 'refused' | 'unknown';

/** An upstream provider's answer or silence, classified once in the providers package. */
export class UpstreamError extends RefrainError {
  readonly provider: string;
  readonly httpStatus: number | undefined;
  readonly outcome: UpstreamOutcome;
  /** A task the upstream named although its answer was not usable (e.g. a 504 carrying `task_id`). */
  readonly taskId: string | undefined;

  constructor(opts: {
    provider: string;
    code: ErrorCode;
    message: string;
    retry: boolean;
    outcome: UpstreamOutcome;
    httpStatus?: number;
    retryAfterMs?: number;
    taskId?: string;
    cause?: unknown;
  }) {
    super(opts);
    this.name = 'UpstreamError';
    this.provider = opts.provider;
    this.httpStatus = opts.httpStatus;
    this.outcome = opts.outcome;
    this.taskId = opts.taskId;
  }
}

export const isRefrainError = (e: unknown): e is RefrainError => e instanceof RefrainError;

/** The request may have been acted on upstream: a submission must not be re-sent blindly. */
export const isOutcomeUnknown = (e: unknown): e is UpstreamError => e instanceof UpstreamError && e.outcome === 'unknown';

/**
 * A failed submission that provably created nothing upstream and is worth another try
 * (or another provider): not sent, or refused with a "not now" (429, 5xx).
 */
export const mayResubmit = (e: unknown): boolean =>
  e instanceof UpstreamError && e.retry && (e.outcome === 'not_sent' || e.outcome === 'refused');

/**
 * A step whose submission was sent but never answered, and which was not re-sent so that
 * no credit is spent twice. The message says what happened and what was not done.
 */
export class SubmitOutcomeUnknownError extends RefrainError {
  readonly provider: string;

  constructor(cause: UpstreamError, detail?: string) {
    super({
      code: 'submit_outcome_unknown',
      retry: false,
      cause,
      message:
        `the submission to ${cause.provider} was sent but its outcome is unknown (${cause.message}); ` +
        `it was not sent again, so that no credit is spent twice${detail ? `; ${detail}` : ''}. ` +
        `The task may still exist upstream: check the provider before submitting again`,
    });
    this.name = 'SubmitOutcomeUnknownError';
    this.provider = cause.provider;
  }
}
