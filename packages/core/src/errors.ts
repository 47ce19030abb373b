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

/** An upstream provider's answer or silence, classified once in the providers package. */
export class UpstreamError extends RefrainError {
  readonly provider: string;
  readonly httpStatus: number | undefined;

  constructor(opts: {
    provider: string;
    code: ErrorCode;
    message: string;
    retry: boolean;
    httpStatus?: number;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    super(opts);
    this.name = 'UpstreamError';
    this.provider = opts.provider;
    this.httpStatus = opts.httpStatus;
  }
}

export const isRefrainError = (e: unknown): e is RefrainError => e instanceof RefrainError;
