import { UpstreamError } from '@refrain/core';
import { ProviderBusyError } from '../limits';

/** Why a pool submission moved on to the next member (the metric's `reason` label). */
export type FailoverReason = 'unreachable' | 'rate_limited' | 'unavailable' | 'auth' | 'no_credits' | 'resting' | 'at_capacity' | 'bad_answer';

/** Words of a refusal for lack of credits (proxies answer 402, or 4xx / an envelope with these words). */
const CREDIT_WORDS = /credit|balance|quota|insufficient|余额|积分|额度|点数/i;

export const isCreditRefusal = (err: unknown): boolean =>
  err instanceof UpstreamError && err.outcome === 'refused' && (err.httpStatus === 402 || (err.code === 'upstream_rejected' && CREDIT_WORDS.test(err.message)));

/**
 * Whether a failed submission may move to another member, and why: only when it provably
 * made nothing upstream — not sent (connection refused), or refused before any task was
 * accepted for a reason of that member (429, 5xx, auth, credits, an open circuit). An
 * unknown outcome never fails over (a task may exist: docs/providers.md), and neither does
 * a refusal of the request itself (400, 404, 422: every member would be asked the same).
 */
export function failoverReason(err: unknown): FailoverReason | null {
  if (err instanceof ProviderBusyError) return 'resting';
  if (!(err instanceof UpstreamError) || err.outcome === 'unknown') return null;
  if (err.outcome === 'not_sent') return 'unreachable';
  const status = err.httpStatus;
  if (status === 429) return 'rate_limited';
  if (isCreditRefusal(err)) return 'no_credits';
  if (status === 401 || status === 403) return 'auth';
  if (err.code === 'upstream_bad_response') return 'bad_answer';
  if (err.code === 'upstream_unavailable') return 'unavailable';
  return null;
}

const WORDS: Record<FailoverReason, string> = {
  unreachable: 'could not be reached (nothing was sent)',
  rate_limited: 'is rate limiting us (HTTP 429)',
  unavailable: 'refused it for now',
  auth: 'refused our credentials',
  no_credits: 'refused it for lack of credits',
  resting: 'is resting (circuit open or a long 429 pause)',
  at_capacity: 'is at max_in_flight',
  bad_answer: 'answered something that is not a result, before accepting anything',
};

export const failoverWords = (reason: FailoverReason, err?: unknown): string =>
  `${WORDS[reason]}${err instanceof Error && reason !== 'at_capacity' ? `: ${err.message}` : ''}`;
