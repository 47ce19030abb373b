import { isRefrainError } from '@refrain/core';

/**
 * BullMQ custom backoff: honour an upstream's Retry-After, else exponential with jitter,
 * capped at a minute.
 */
export function backoffStrategy(base: number) {
  return (attemptsMade: number, _type?: string, err?: Error): number => {
    if (err && isRefrainError(err) && err.retryAfterMs !== undefined) return err.retryAfterMs;
    const exp = Math.min(base * 2 ** Math.max(attemptsMade - 1, 0), 60_000);
    return Math.round(exp * (0.8 + Math.random() * 0.4));
  };
}
