import { describe, expect, it } from 'vitest';
import { decideStep, deriveGenerationStatus, type StepSnapshot } from '../src';

const NOW = 1_700_000_000_000;
const base: StepSnapshot = { status: 'pending', generationStatus: 'queued', upstreamState: null, upstreamError: null, deadlineAt: null };

describe('the step state machine', () => {
  it('submits a pending step, but never again one caught between intent and record', () => {
    expect(decideStep(base, NOW, 1000)).toEqual({ kind: 'submit' });
    const caught: StepSnapshot = { ...base, status: 'submitting', generationStatus: 'running', intentAt: NOW - 5000 };
    const failed = decideStep(caught, NOW, 1000, { callbackWindowMs: 60_000 });
    expect(failed).toMatchObject({ kind: 'fail', code: 'submit_outcome_unknown' });
    expect(failed.kind === 'fail' && failed.message).toMatch(/not sent again so that nothing is paid twice/);
  });

  it('waits for the callback of an interrupted submission within the window, then fails it', () => {
    const caught: StepSnapshot = { ...base, status: 'submitting', generationStatus: 'running', intentAt: NOW - 5000, awaitsCallback: true };
    expect(decideStep(caught, NOW, 1000, { callbackWindowMs: 60_000 })).toEqual({ kind: 'wait', untilMs: NOW + 55_000 });
    const late = decideStep(caught, NOW + 56_000, 1000, { callbackWindowMs: 60_000 });
    expect(late).toMatchObject({ kind: 'fail', code: 'submit_outcome_unknown' });
    expect(late.kind === 'fail' && late.message).toMatch(/no callback brought its task within 60 s/);
  });

  it('never submits a step whose generation was canceled', () => {
    expect(decideStep({ ...base, generationStatus: 'canceled' }, NOW, 1000).kind).toBe('skip');
  });

  it('waits on a running task until the recheck, but never past the deadline', () => {
    const waiting: StepSnapshot = { ...base, status: 'waiting', generationStatus: 'running', upstreamState: 'running', deadlineAt: NOW + 60_000 };
    expect(decideStep(waiting, NOW, 5000)).toEqual({ kind: 'wait', untilMs: NOW + 5000 });
    expect(decideStep(waiting, NOW + 58_000, 5000)).toEqual({ kind: 'wait', untilMs: NOW + 60_000 });
  });

  it('fails with upstream_timeout once the deadline has passed', () => {
    const d = decideStep({ ...base, status: 'waiting', upstreamState: 'running', deadlineAt: NOW }, NOW, 5000);
    expect(d).toMatchObject({ kind: 'fail', code: 'upstream_timeout' });
  });

  it('succeeds on a complete task and fails with the upstream words on an error', () => {
    expect(decideStep({ ...base, status: 'waiting', upstreamState: 'complete' }, NOW, 1).kind).toBe('succeed');
    expect(decideStep({ ...base, status: 'waiting', upstreamState: 'error', upstreamError: 'content policy' }, NOW, 1)).toEqual({
      kind: 'fail',
      code: 'upstream_failed',
      message: 'content policy',
    });
  });

  it('keeps waiting for a submitted step even after a cancel, so its result is stored', () => {
    const d = decideStep({ ...base, status: 'waiting', generationStatus: 'canceled', upstreamState: 'running', deadlineAt: NOW + 10 }, NOW, 1000);
    expect(d.kind).toBe('wait');
  });

  it('skips final steps', () => {
    for (const status of ['succeeded', 'failed', 'canceled'] as const) expect(decideStep({ ...base, status }, NOW, 1).kind).toBe('skip');
  });
});

describe('deriveGenerationStatus', () => {
  it('sums up the steps', () => {
    expect(deriveGenerationStatus([{ status: 'pending' }, { status: 'pending' }])).toBe('queued');
    expect(deriveGenerationStatus([{ status: 'waiting' }, { status: 'pending' }])).toBe('running');
    expect(deriveGenerationStatus([{ status: 'succeeded' }, { status: 'succeeded' }])).toBe('succeeded');
    expect(deriveGenerationStatus([{ status: 'succeeded' }, { status: 'failed' }, { status: 'canceled' }])).toBe('failed');
    expect(deriveGenerationStatus([{ status: 'canceled' }])).toBe('canceled');
  });
});
