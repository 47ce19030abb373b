import { describe, expect, it } from 'vitest';
import type { StepInput } from '@refrain/contracts';
import { chooseMember, planForPool, PlanError, type MemberState } from '../src';

const NOW = 1_700_000_000_000;
const generate: StepInput = { op: 'generate', prompt: 'la', title: 't', tags: 'pop' } as StepInput;
const extend: StepInput = { op: 'extend', continue_at: 30 } as StepInput;

function member(name: string, over: Partial<MemberState> = {}): MemberState {
  return {
    name,
    operations: ['generate', 'extend', 'concat'],
    models: ['chirp-v4', 'chirp-v4-5'],
    priority: 0,
    weight: 1,
    breaker: 'closed',
    pausedUntil: null,
    bookedAheadMs: 0,
    credits: null,
    ...over,
  };
}

/** A random source that replays the given draws. */
const draws = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

const order = (c: ReturnType<typeof chooseMember>) => c.order.map((m) => m.provider);

describe('choosing a pool member', () => {
  it('takes the highest priority among ready members, the rest in order as fallbacks', () => {
    const c = chooseMember([member('a', { priority: 1 }), member('b', { priority: 5 }), member('c')], [generate], { now: NOW, random: draws(0.5) });
    expect(order(c)).toEqual(['b', 'a', 'c']);
    expect(c.order[0]).toMatchObject({ condition: 'ready', priority: 5, reason: 'ready, priority 5' });
    expect(c.order[1]!.reason).toContain('fallback 1');
  });

  it('passes a member that lacks the operation, or the model the step names (codenames count as their version)', () => {
    const noExtend = member('a', { priority: 9, operations: ['generate'] });
    const noModel = member('b', { priority: 8, models: ['chirp-v4'] });
    const c = chooseMember([noExtend, noModel, member('c')], [{ ...generate, mv: 'chirp-auk' } as StepInput, extend], { now: NOW, random: draws(0.5) });
    expect(order(c)).toEqual(['c']);
    expect(c.passed).toEqual([
      { provider: 'a', reason: 'provider "a" does not offer the operation "extend"' },
      { provider: 'b', reason: 'provider "b" has no model "chirp-auk" (models: chirp-v4)' },
    ]);
  });

  it('puts a busy, resting or exhausted member behind every ready one, whatever its priority', () => {
    const members = [
      member('open', { priority: 9, breaker: 'open' }),
      member('paused', { priority: 9, pausedUntil: NOW + 30_000 }),
      member('broke', { priority: 9, credits: 0 }),
      member('booked', { priority: 9, bookedAheadMs: 5000 }),
      member('half', { priority: 8, breaker: 'half_open' }),
      member('plain', { priority: 0, credits: 12 }),
    ];
    const c = chooseMember(members, [generate], { now: NOW, random: draws(0.5) });
    expect(order(c)).toEqual(['plain', 'booked', 'half', 'open', 'paused', 'broke']);
    expect(c.order.map((m) => m.condition)).toEqual(['ready', 'busy', 'busy', 'resting', 'resting', 'no_credits']);
    expect(c.order[1]!.reason).toMatch(/booked 5000 ms ahead/);
    expect(c.order[4]!.reason).toMatch(/HTTP 429\) for 30 s more/);
    expect(c.order[5]!.reason).toMatch(/credits are exhausted/);
  });

  it('a short 429 pause makes a member busy; one that has passed makes it ready again', () => {
    const c = chooseMember([member('short', { pausedUntil: NOW + 1500 }), member('over', { pausedUntil: NOW - 1 })], [generate], { now: NOW, random: draws(0.5) });
    expect(c.order.map((m) => [m.provider, m.condition])).toEqual([['over', 'ready'], ['short', 'busy']]);
  });

  it('when nothing is ready, the best of the rest comes first and says so', () => {
    const c = chooseMember([member('a', { breaker: 'open' }), member('b', { credits: 0 })], [generate], { now: NOW, random: draws(0.5) });
    expect(order(c)).toEqual(['a', 'b']);
    expect(c.order[0]!.reason).toMatch(/circuit is open, priority 0; no member is ready/);
  });

  it('breaks ties by weight: over many draws each member wins in proportion to its weight', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const wins = { heavy: 0, light: 0 };
    for (let i = 0; i < 4000; i++) {
      const first = chooseMember([member('light', { weight: 1 }), member('heavy', { weight: 3 })], [generate], { now: NOW, random }).order[0]!;
      wins[first.provider as keyof typeof wins]++;
    }
    expect(wins.heavy / 4000).toBeGreaterThan(0.7);
    expect(wins.heavy / 4000).toBeLessThan(0.8);
  });

  it('a tie is drawn from the random source, and the reason names the draw', () => {
    const members = [member('a'), member('b')];
    expect(order(chooseMember(members, [generate], { now: NOW, random: draws(0.9, 0.1) }))).toEqual(['a', 'b']);
    const c = chooseMember(members, [generate], { now: NOW, random: draws(0.1, 0.9) });
    expect(order(c)).toEqual(['b', 'a']);
    expect(c.order[0]!.reason).toBe('ready, priority 0, drawn by weight (1 of 2)');
  });

  it('leaves out members that already failed this step, with the reason they failed', () => {
    const c = chooseMember([member('a', { priority: 5 }), member('b')], [generate], {
      now: NOW,
      random: draws(0.5),
      exclude: new Map([['a', 'failed over: could not be reached']]),
    });
    expect(order(c)).toEqual(['b']);
    expect(c.passed).toEqual([{ provider: 'a', reason: 'failed over: could not be reached' }]);
  });
});

describe('planning for a pool', () => {
  const pool = {
    name: 'main',
    members: [
      { name: 'a', operations: ['generate', 'extend'] as const, models: ['chirp-v4'] },
      { name: 'b', operations: ['generate', 'concat'] as const, models: ['chirp-v4', 'chirp-v5'] },
    ],
  };

  it('accepts a chain that one member can run as a whole', () => {
    const plan = planForPool({ steps: [generate, { op: 'concat' } as StepInput] }, pool);
    expect(plan.steps.map((s) => s.op)).toEqual(['generate', 'concat']);
  });

  it('refuses a chain that no single member can run, naming why each member cannot', () => {
    const req = { steps: [generate, extend, { op: 'concat' } as StepInput] };
    expect(() => planForPool(req, pool)).toThrow(PlanError);
    expect(() => planForPool(req, pool)).toThrow(
      'step 0 (generate): no member of the pool "main" can run generate → extend → concat on its own (provider "a" does not offer the operation "concat"; provider "b" does not offer the operation "extend")',
    );
  });

  it('refuses an operation that no member offers, naming the pool', () => {
    expect(() => planForPool({ steps: [{ op: 'stems', clip_id: 'x' } as StepInput] }, pool)).toThrow(
      'step 0 (stems): the pool "main" (a, b) does not offer the operation "stems"',
    );
  });
});
