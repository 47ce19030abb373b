import { describe, expect, it } from 'vitest';
import { RateGate, effectiveRps, memoryStore, type RequestLane } from '../src/limits';
import { OPS } from '@refrain/contracts';
import {
  POLL_SHARE,
  dueCutoffs,
  dueRule,
  dueRules,
  effectiveIntervalMs,
  estimateDurations,
  isDue,
  pickDue,
  pollAllowance,
  tickRoom,
} from '../src/poll-plan';
import { VirtualTime } from './support/virtual-time';

const config = { poll_interval_ms: 3000 };

describe('learned durations', () => {
  it('takes the 5th, 50th and 95th percentiles of each operation, and trusts none before 5 samples', () => {
    const generate = Array.from({ length: 40 }, (_, i) => 120 + (i % 4)); // 120–123 s: noticed up to one 3 s interval late
    const est = estimateDurations({ generate, extend: [60, 61, 62, 63], lyrics: [5, 6, 7, 8, 9, Number.NaN, -1] });
    expect(est.generate).toEqual({ samples: 40, p05: 120, p50: 121, p95: 123 });
    expect(est.extend).toBeUndefined();
    expect(est.lyrics).toEqual({ samples: 5, p05: 5, p50: 7, p95: 9 });
  });

  it('asks first one interval before the 5th percentile, and about a callback step once its callback is overdue', () => {
    const est = { samples: 40, p05: 120, p50: 121, p95: 123 };
    expect(dueRule(est, config)).toEqual({ firstAskMs: 117_000, callbackOverdueMs: 123_000 + 9000 });
    // Unknown duration: from the first tick, and callbacks get three intervals (at least 3 s), as before learning.
    expect(dueRule(undefined, config)).toEqual({ firstAskMs: 0, callbackOverdueMs: 9000 });
    expect(dueRule(undefined, { poll_interval_ms: 200 })).toEqual({ firstAskMs: 0, callbackOverdueMs: 3000 });
  });
});

describe('which tasks a tick picks', () => {
  const now = 1_700_000_000_000;
  const rules = dueRules({ generate: { samples: 40, p05: 120, p50: 121, p95: 123 } }, config);
  const task = (id: string, op: string, ageS: number, callback = false, taskId: string | null = id) => ({
    id,
    op,
    taskId,
    callback,
    submittedAt: new Date(now - ageS * 1000),
  });

  it('reads the database per operation, from the age its rule asks at', () => {
    const cutoffs = Object.fromEntries(dueCutoffs(rules, now).map((c) => [c.op, c]));
    expect(Object.keys(cutoffs)).toEqual([...OPS]);
    expect(cutoffs.generate).toEqual({ op: 'generate', plainBefore: new Date(now - 117_000), callbackBefore: new Date(now - 132_000) });
    // an operation not learned yet is asked about from the first tick; its callbacks after three intervals
    expect(cutoffs.lyrics).toEqual({ op: 'lyrics', plainBefore: new Date(now), callbackBefore: new Date(now - 9000) });
  });

  it('leaves out tasks too young to be done and callbacks not yet overdue; takes the oldest first up to the capacity', () => {
    // candidates as the database gives them: oldest first
    const candidates = [
      task('stuck', 'generate', 600),
      task('cb-late', 'generate', 140, true),
      task('done-soon', 'generate', 118),
      task('young', 'generate', 60),
      task('cb-young', 'generate', 125, true),
      task('no-task-id', 'generate', 200, false, null),
      task('lyrics', 'lyrics', 2), // not learned: asked at once
    ].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
    expect(pickDue(candidates, rules, now, tickRoom(100, 50)).map((t) => t.id)).toEqual(['stuck', 'cb-late', 'done-soon', 'lyrics']);
    expect(pickDue(candidates, rules, now, tickRoom(2, 50)).map((t) => t.id)).toEqual(['stuck', 'cb-late']);
    expect(isDue(task('x', 'generate', 116.9), rules, now)).toBe(false);
    expect(isDue(task('x', 'generate', 117), rules, now)).toBe(true);
    expect(isDue(task('x', 'generate', 131.9, true), rules, now)).toBe(false);
    expect(isDue(task('x', 'generate', 132, true), rules, now)).toBe(true);
  });

  it('asks about at most one request\'s worth of tasks whose operation is not learned yet, the oldest', () => {
    const lyrics = Array.from({ length: 10 }, (_, i) => task(`l${i}`, 'lyrics', 100 - i));
    const room = tickRoom(100, 4);
    const picked = pickDue([task('g', 'generate', 130), ...lyrics], rules, now, room);
    expect(picked.map((t) => t.id)).toEqual(['g', 'l0', 'l1', 'l2', 'l3']);
    expect(room).toEqual({ tasks: 95, unlearned: 0, skipped: 6 });
    // the room is shared by the pages of one tick
    expect(pickDue([task('l99', 'lyrics', 1)], rules, now, room)).toEqual([]);
  });

  it('rotates that small room from tick to tick, so a task that never ends cannot hold it', () => {
    const stuck = task('stuck', 'lyrics', 100);
    const others = [1, 2, 3].map((i) => task(`l${i}`, 'lyrics', 100 - i));
    const asked = new Set<string>();
    for (let turn = 0; turn < 4; turn++) for (const t of pickDue([stuck, ...others], rules, now, tickRoom(100, 1), turn)) asked.add(t.id);
    expect([...asked].sort()).toEqual(['l1', 'l2', 'l3', 'stuck']);
  });

  it('stretches the interval when the budget cannot cover every due task each tick', () => {
    expect(effectiveIntervalMs(config, 100, 500)).toBe(3000);
    expect(effectiveIntervalMs(config, 1200, 500)).toBe(9000);
    expect(effectiveIntervalMs(config, 0, 0)).toBe(3000);
  });
});

describe('the share between submissions and status queries', () => {
  it('gives the poller at most half the budget of an interval, and at least one request', () => {
    expect(POLL_SHARE).toBe(0.5);
    expect(pollAllowance(effectiveRps(50, 1), config)).toBe(72);
    expect(pollAllowance(effectiveRps(10, 1), config)).toBe(14);
    expect(pollAllowance(effectiveRps(0.2, 1), config)).toBe(1);
  });

  /** A backlog of submissions and a poller asking `perTick` requests each tick (capped by its allowance), for `seconds`. */
  async function share(perTick: number, seconds: number, maxRps = 10) {
    const t = new VirtualTime();
    const store = memoryStore(t.now);
    const worker = new RateGate(store, { now: t.now, sleep: t.sleep });
    const other = new RateGate(store, { now: t.now, sleep: t.sleep });
    const grants: { at: number; lane: RequestLane }[] = [];
    const waits: number[] = [];
    const end = t.now() + seconds * 1000;
    const submitter = async (gate: RateGate) => {
      while (t.now() < end) {
        await gate.acquire('p', maxRps, 'submit');
        grants.push({ at: t.now(), lane: 'submit' });
      }
    };
    const poller = async () => {
      while (t.now() < end) {
        const tick = t.now();
        const allowance = Math.min(perTick, pollAllowance(effectiveRps(maxRps, 1), config));
        for (let i = 0; i < allowance; i++) {
          const asked = t.now();
          await worker.acquire('p', maxRps, 'poll');
          waits.push(t.now() - asked);
          grants.push({ at: t.now(), lane: 'poll' });
        }
        await t.sleep(Math.max(0, tick + config.poll_interval_ms - t.now()));
      }
    };
    // 40 submitting jobs in each of two processes: a backlog that never drains.
    const all = [poller(), ...Array.from({ length: 40 }, (_, i) => submitter(i % 2 ? other : worker))];
    await t.run(end);
    void all;
    const inWindow = grants.filter((g) => g.at < end);
    const rate = (lane: RequestLane) => inWindow.filter((g) => g.lane === lane).length / seconds;
    return { submit: rate('submit'), poll: rate('poll'), maxWaitMs: Math.max(...waits) };
  }

  it('a poller that needs little leaves submissions ≥ 95 % of max_rps, and its requests wait a slot or two', async () => {
    const r = await share(1, 60);
    expect(r.poll).toBeCloseTo(1 / 3, 1);
    expect(r.submit).toBeGreaterThanOrEqual(0.95 * 10 - r.poll);
    expect(r.submit + r.poll).toBeLessThanOrEqual(10);
    expect(r.maxWaitMs).toBeLessThan(400);
  });

  it('a poller that wants everything (one task per request) gets half: neither starves the other', async () => {
    const r = await share(1000, 60);
    expect(r.poll).toBeGreaterThan(4);
    expect(r.poll).toBeLessThanOrEqual(5);
    expect(r.submit).toBeGreaterThanOrEqual(4.5);
    expect(r.submit + r.poll).toBeLessThanOrEqual(10);
  });
});
