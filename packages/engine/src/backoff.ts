import { isRefrainError } from '@refrain/core';

/**
 * BullMQ custom backoff: honour an upstream's Retry-After, else exponential with jitter,
 * capped at a minute.
 */
export function backoffStrategy(defaultBase: number) {
  return (attemptsMade: number, _type?: string, err?: Error, job?: { opts?: { backoff?: unknown } }): number => {
    if (err && isRefrainError(err) && err.retryAfterMs !== undefined) return err.retryAfterMs;
    const opt = job?.opts?.backoff;
    const base = typeof opt === 'object' && opt && 'delay' in opt && typeof opt.delay === 'number' ? opt.delay : defaultBase;
    const exp = Math.min(base * 2 ** Math.max(attemptsMade - 1, 0), 60_000);
    return Math.round(exp * (0.8 + Math.random() * 0.4));
  };
}
