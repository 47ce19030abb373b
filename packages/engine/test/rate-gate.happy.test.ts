import { providerConfig } from '@refrain/contracts';
import { createLogger } from '@refrain/observability';
import { describe, expect, it } from 'vitest';
import { GUARD_MS, ProviderGuard, RateGate, SLOT_FRESH_MS, inUpstreamContext, memoryStore, type RequestLane, type SharedStore } from '../src/limits';
import { VirtualTime, busiestWindow, prng } from './support/virtual-time';

const logger = createLogger({ level: 'silent' });
const cfg = (maxRps: number) => providerConfig.parse({ name: 'p', dialect: 'relay', base_url: 'http://127.0.0.1:9', api_key: 'k', max_rps: maxRps });

/** Several "processes" (one guard, so one gate, each) on one shared store, on virtual time. */
function world(processes: number, t = new VirtualTime(), sleeps: ((ms: number) => Promise<void>)[] = []) {
  const store = memoryStore(t.now);
  const guards = Array.from({ length: processes }, (_, i) => new ProviderGuard(store, logger, { now: t.now, sleep: sleeps[i] ?? t.sleep }));
  return { t, store, guards };
}

/** One HTTP request as an adapter makes it: through the request gate, in `lane`. Resolves when it is sent. */
const send = (guard: ProviderGuard, maxRps: number, lane: RequestLane) =>
  inUpstreamContext({ lane, grantedAt: null, requests: 0 }, () => guard.requestGate(cfg(maxRps)).acquire({ method: 'POST', path: '/suno/fetch' }));

/** A submission: its slot first, then its intent (`intentMs` of round trips), then the request. */
async function submission(guard: ProviderGuard, maxRps: number, intentMs: number, sleep: (ms: number) => Promise<void>) {
  const at = await guard.slot(cfg(maxRps), 'submit');
  if (intentMs) await sleep(intentMs);
  await guard.withSlot(cfg(maxRps), 'submit', at, () => guard.requestGate(cfg(maxRps)).acquire({ method: 'POST', path: '/suno/submit/music' }));
}

/** A caller that sends `chunks` requests one after the other (a chunked query is one), thinking between them. */
async function caller(
  w: ReturnType<typeof world>,
  guard: ProviderGuard,
  o: { startMs: number; lane: RequestLane; chunks: number; thinkMs: number; maxRps: number },
  sent: { at: number; lane: RequestLane }[],
) {
  await w.t.sleep(o.startMs);
  for (let c = 0; c < o.chunks; c++) {
    if (o.lane === 'submit') await submission(guard, o.maxRps, o.thinkMs, w.t.sleep);
    else await send(guard, o.maxRps, o.lane);
    sent.push({ at: w.t.now(), lane: o.lane });
    if (o.thinkMs) await w.t.sleep(o.thinkMs);
  }
}

describe('rate gate: the hard ceiling', () => {
  it('never lets more than max_rps through in any second (any 1000 ms, wherever it starts), for any mix of processes, callers, lanes and chunk sizes', async () => {
    const random = prng(15);
    const lanes: RequestLane[] = ['submit', 'poll', 'other'];
    for (let scenario = 0; scenario < 60; scenario++) {
      const maxRps = [1, 2, 3, 5, 10, 17, 50][Math.floor(random() * 7)]!;
      const w = world(1 + Math.floor(random() * 4));
      const sent: { at: number; lane: RequestLane }[] = [];
      const callers: Promise<void>[] = [];
      let wanted = 0;
      const n = 5 + Math.floor(random() * 40);
      for (let i = 0; i < n; i++) {
        const chunks = 1 + Math.floor(random() * 8);
        wanted += chunks;
        callers.push(
          caller(w, w.guards[i % w.guards.length]!, {
            startMs: Math.floor(random() * 3000),
            lane: lanes[Math.floor(random() * 3)]!,
            chunks,
            thinkMs: random() < 0.5 ? 0 : Math.floor(random() * 40),
            maxRps,
          }, sent),
        );
      }
      await w.t.run();
      await Promise.all(callers);
      const times = sent.map((g) => g.at);
      expect(sent, `scenario ${scenario}`).toHaveLength(wanted); // every caller got through
      expect(busiestWindow(times, 1000), `scenario ${scenario}: max_rps ${maxRps}`).toBeLessThanOrEqual(maxRps);
      // ... and in any window of 1000 ms + what is left of the guard: a request up to that late on its way still stays inside the provider's second
      expect(busiestWindow(times, 1000 + GUARD_MS - SLOT_FRESH_MS - 0.5)).toBeLessThanOrEqual(maxRps);
    }
  });

  it('drops a slot it could only use late (a stalled event loop, a slow intent), so late sends never bunch up', async () => {
    const t = new VirtualTime();
    const random = prng(3);
    // One process's timers fire up to 60 ms late a third of the time, and its intents take 0–40 ms.
    const lateSleep = (ms: number) => t.sleep(ms + (random() < 0.33 ? random() * 60 : 0));
    const w = world(2, t, [lateSleep]);
    const sent: number[] = [];
    const all = Array.from({ length: 200 }, async (_, i) => {
      if (i % 2) await send(w.guards[1]!, 20, 'poll');
      else await submission(w.guards[0]!, 20, Math.floor(random() * 40), lateSleep);
      sent.push(t.now());
    });
    await t.run();
    await Promise.all(all);
    expect(sent).toHaveLength(200);
    expect(busiestWindow(sent, 1000 + GUARD_MS - SLOT_FRESH_MS - 0.5)).toBeLessThanOrEqual(20);
  });

  it('holds a fractional max_rps to n requests in any n / max_rps seconds', async () => {
    const w = world(2);
    const sent: { at: number; lane: RequestLane }[] = [];
    const all = Array.from({ length: 12 }, (_, i) => caller(w, w.guards[i % 2]!, { startMs: 0, lane: 'submit', chunks: 1, thinkMs: 0, maxRps: 2.5 }, sent));
    await w.t.run();
    await Promise.all(all);
    const times = sent.map((g) => g.at);
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(3);
    expect(busiestWindow(times, 2000)).toBeLessThanOrEqual(5);
  });

  it('keeps a backlog going at 97 % of max_rps (≥ 95 %), spaced evenly rather than in bursts', async () => {
    const w = world(3);
    const sent: { at: number; lane: RequestLane }[] = [];
    const all = Array.from({ length: 300 }, (_, i) => caller(w, w.guards[i % 3]!, { startMs: 0, lane: 'submit', chunks: 2, thinkMs: 0, maxRps: 50 }, sent));
    const t0 = w.t.now();
    await w.t.run();
    await Promise.all(all);
    const times = sent.map((g) => g.at).sort((a, b) => a - b);
    const rate = ((times.length - 1) / (times.at(-1)! - times[0]!)) * 1000;
    expect(rate).toBeGreaterThanOrEqual(0.95 * 50);
    expect(rate).toBeLessThanOrEqual(50);
    expect(times[0]! - t0).toBe(0); // an idle gate lets the first request go at once
    const gaps = times.slice(1).map((x, i) => x - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThan((1000 + GUARD_MS) / 50 - 0.01); // one slot every (1000 + guard) / max_rps ms
  });

  it('contrast: a counter per calendar second lets twice max_rps through in one sliding second', () => {
    // The gate this replaced counted requests per second boundary: max_rps at x.999 and max_rps at y.000 both pass.
    const perCalendarSecond = [...Array.from({ length: 10 }, () => 999), ...Array.from({ length: 10 }, () => 1000)];
    expect(busiestWindow(perCalendarSecond, 1000)).toBe(20);
  });
});

describe('rate gate: lanes', () => {
  it('gives a status query the next slot of its process, ahead of a backlog of submissions', async () => {
    const w = world(1);
    const sent: { at: number; lane: RequestLane }[] = [];
    const subs = Array.from({ length: 100 }, () => caller(w, w.guards[0]!, { startMs: 0, lane: 'submit', chunks: 1, thinkMs: 0, maxRps: 10 }, sent));
    const poll = caller(w, w.guards[0]!, { startMs: 2000, lane: 'poll', chunks: 3, thinkMs: 0, maxRps: 10 }, sent);
    await w.t.run();
    await Promise.all([...subs, poll]);
    const t0 = Math.min(...sent.map((g) => g.at));
    const polls = sent.filter((g) => g.lane === 'poll').map((g) => g.at - t0);
    // Submissions would take 10 s; the poll's three requests go within a few slots of 2 s.
    expect(polls).toHaveLength(3);
    expect(Math.max(...polls)).toBeLessThan(2000 + 250 + 4 * ((1000 + GUARD_MS) / 10));
  });

  it('waits out a 429: nothing before Retry-After, then a cut budget that grows back', async () => {
    const w = world(2);
    const sent: { at: number; lane: RequestLane }[] = [];
    const t0 = w.t.now();
    await w.guards[0]!.gate.throttle('p', 2000);
    await w.guards[1]!.gate.throttle('p', 1500); // a second 429 of the same burst: no second cut
    expect((await w.guards[1]!.gate.state('p')).factor).toBeCloseTo(0.7, 5);
    const all = Array.from({ length: 60 }, (_, i) => caller(w, w.guards[i % 2]!, { startMs: 0, lane: 'submit', chunks: 1, thinkMs: 0, maxRps: 10 }, sent));
    await w.t.run();
    await Promise.all(all);
    const times = sent.map((g) => g.at).sort((a, b) => a - b);
    expect(times[0]! - t0).toBeGreaterThanOrEqual(2000);
    // Right after the pause: about 7 a second (0.7 × 10, less the guard, plus 1 % a second of growth), not 10.
    const firstSecond = times.filter((x) => x < times[0]! + 1000).length;
    expect(firstSecond).toBeGreaterThanOrEqual(6);
    expect(firstSecond).toBeLessThanOrEqual(8);
    // 30 s later the budget is whole again.
    w.t.t = t0 + 2000 + 31_000;
    expect((await w.guards[0]!.gate.state('p')).factor).toBe(1);
  });

  it('falls back to a schedule of its own when the shared store fails, still within max_rps', async () => {
    const t = new VirtualTime();
    const broken: SharedStore = { ...memoryStore(t.now), reserveSlots: () => Promise.reject(new Error('redis away')) };
    const errors: string[] = [];
    const gate = new RateGate(broken, { now: t.now, sleep: t.sleep, onStoreError: (_p, e) => errors.push(e.message) });
    const slots: number[] = [];
    const all = Array.from({ length: 25 }, async () => slots.push(await gate.acquire('p', 5, 'submit')));
    await t.run();
    await Promise.all(all);
    expect(slots).toHaveLength(25);
    expect(busiestWindow(slots, 1000)).toBeLessThanOrEqual(5);
    expect(errors[0]).toBe('redis away');
  });
});
