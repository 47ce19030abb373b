import { describe, expect, it } from 'vitest';
import { UpstreamError, type UpstreamOutcome } from '@refrain/core';
import { ProviderBusyError, failoverReason } from '../src';

const upstream = (outcome: UpstreamOutcome, httpStatus?: number, message = 'words', code: 'upstream_unavailable' | 'upstream_rejected' | 'upstream_bad_response' = 'upstream_unavailable') =>
  new UpstreamError({ provider: 'p', code, retry: code !== 'upstream_rejected', outcome, ...(httpStatus ? { httpStatus } : {}), message });

describe('when a pool submission fails over', () => {
  it('moves on when the member provably made nothing, naming why', () => {
    expect(failoverReason(upstream('not_sent'))).toBe('unreachable');
    expect(failoverReason(upstream('refused', 429))).toBe('rate_limited');
    expect(failoverReason(upstream('refused', 503))).toBe('unavailable');
    expect(failoverReason(upstream('refused', 500))).toBe('unavailable');
    expect(failoverReason(upstream('refused', 401, 'bad key', 'upstream_rejected'))).toBe('auth');
    expect(failoverReason(upstream('refused', 403, 'forbidden', 'upstream_rejected'))).toBe('auth');
    expect(failoverReason(upstream('refused', 402, 'pay up', 'upstream_rejected'))).toBe('no_credits');
    expect(failoverReason(upstream('refused', 400, 'Insufficient balance', 'upstream_rejected'))).toBe('no_credits');
    expect(failoverReason(upstream('refused', 200, '积分不足', 'upstream_rejected'))).toBe('no_credits');
    expect(failoverReason(upstream('refused', 302, 'moved', 'upstream_bad_response'))).toBe('bad_answer');
    expect(failoverReason(new ProviderBusyError('p', 1000))).toBe('resting');
  });

  it('never moves on after an unknown outcome, whatever the status', () => {
    expect(failoverReason(upstream('unknown'))).toBeNull();
    expect(failoverReason(upstream('unknown', 504))).toBeNull();
    expect(failoverReason(upstream('unknown', 200, 'not json', 'upstream_bad_response'))).toBeNull();
  });

  it('does not move on when the request itself was refused, or on errors that are not the upstream\'s', () => {
    expect(failoverReason(upstream('refused', 400, 'lyric is required', 'upstream_rejected'))).toBeNull();
    expect(failoverReason(upstream('refused', 422, 'bad model', 'upstream_rejected'))).toBeNull();
    expect(failoverReason(new Error('boom'))).toBeNull();
  });
});
