import { connectDatabase } from '@refrain/db';
import type { Stack } from './stack';
import type { ChaosEvent, ChaosOptions, OutageWindow } from './types';
import type { PendingOutage } from './workload';
import { sleep } from './wait';

/** The chaos events of a run: when each happens, and what it does to the stack. */

interface PlannedEvent {
  /** Since the start of the schedule (ms). */
  at: number;
  what: 'kill' | 'flush' | 'pg' | 'burst' | 'outage';
  n?: number;
}

/** The kills, the Redis wipe, the Postgres restart, the 429 bursts and the pool outages, in order. */
function planEvents(opts: ChaosOptions): PlannedEvent[] {
  const plan: PlannedEvent[] = [];
  for (let k = 0; k < opts.kills; k++) plan.push({ at: (0.1 + (0.8 * k) / Math.max(opts.kills, 1)) * opts.windowMs, what: 'kill', n: k });
  plan.push({ at: 0.48 * opts.windowMs, what: 'flush' });
  plan.push({ at: 0.66 * opts.windowMs, what: 'pg' });
  for (let b = 0; b < opts.bursts; b++) plan.push({ at: (0.25 + (0.6 * b) / Math.max(opts.bursts, 1)) * opts.windowMs, what: 'burst' });
  // After the Postgres restart and the last kill, while the clients still post (one outage: at 78 % of the window).
  const outages = opts.poolOutages ?? 1;
  for (let o = 0; o < outages; o++) plan.push({ at: (outages === 1 ? 0.78 : 0.3 + (0.5 * o) / (outages - 1)) * opts.windowMs, what: 'outage', n: o });
  plan.sort((a, b) => a.at - b.at);
  return plan;
}

/**
 * Runs the planned events one at a time inside the window, each recorded in `events`
 * (with what was in flight just before it), and counts what it did.
 */
export async function runSchedule(
  opts: ChaosOptions,
  stack: Stack,
  pending: PendingOutage,
  events: ChaosEvent[],
  t0: number,
  defer: (cleanup: () => Promise<void>) => void,
  say: (line: string) => void,
): Promise<{ kills: number; flushes: number; pgRestarts: number; poolOutages: number; outageWindows: OutageWindow[] }> {
  const { workers, holdAll, configureAll, baseFaults, monitor, postgres, simB } = stack;
  // --- the chaos schedule, inside the window, one event at a time ----------------------
  const plan = planEvents(opts);
  const chaosStart = Date.now();
  let kills = 0;
  let flushes = 0;
  let pgRestarts = 0;
  let poolOutages = 0;
  const outageWindows: OutageWindow[] = [];
  // A second pool, only to count what is in flight before each event.
  const watch = connectDatabase(postgres.url, { max: 1 });
  defer(() => watch.close());
  const inFlight = async () =>
    watch.pool
      .query<{ n: number }>(`select count(*)::int as n from generations where status in ('queued','running')`)
      .then((r) => r.rows[0]!.n)
      .catch(() => -1);
  const HOLD_MS = 2000;
  for (const ev of plan) {
    const wait = chaosStart + ev.at - Date.now();
    if (wait > 0) await sleep(wait);
    const before = await inFlight();
    const started = Date.now();
    const record = (what: string) => events.push({ at: started - t0, what, ms: Date.now() - started, inFlight: before, startedAt: started });
    if (ev.what === 'kill') {
      const w = workers[(ev.n ?? 0) % workers.length]!;
      // Every other kill lands in the crash window: upstream has made the task, the
      // worker has not heard back yet.
      const inWindow = (ev.n ?? 0) % 2 === 0;
      if (inWindow) {
        holdAll(HOLD_MS);
        await sleep(HOLD_MS - 500);
      }
      await w.kill9();
      holdAll(0);
      kills++;
      await sleep(1000);
      w.start();
      record(`kill -9 ${w.name}${inWindow ? ` while upstream answers were held ${HOLD_MS} ms` : ''}, restarted 1 s later`);
    } else if (ev.what === 'flush') {
      await monitor.flushall();
      flushes++;
      record('Redis FLUSHALL');
    } else if (ev.what === 'pg') {
      // Answers held across the stop: upstream accepts, the worker cannot write it down.
      holdAll(HOLD_MS);
      await sleep(300);
      await postgres.restart(2000);
      holdAll(0);
      pgRestarts++;
      record(`Postgres stopped (fast) while upstream answers were held ${HOLD_MS} ms, 2 s down, started`);
    } else if (ev.what === 'outage') {
      // The member goes down while it holds a task still running upstream (so that Refrain
      // must fetch it once the member is back) and just before the feeder posts a pool
      // generation (so that a submission meets the closed port and fails over); then it
      // stays down for outageMs and listens again on the same port, its tasks kept.
      const outageMs = opts.outageMs ?? 3000;
      const taskMs = opts.simDurationMs ?? 1500;
      const armedAt = Date.now();
      const holdsTask = () => simB.submissions.some((x) => x.accepted && Date.now() - x.at < taskMs - 300);
      const gate = { fire: () => {}, downAt: 0 };
      const triggered = new Promise<void>((r) => (gate.fire = r));
      pending.outage = {
        ready: () => holdsTask() || Date.now() - armedAt > 10_000,
        down: async () => {
          await simB.down();
          gate.downAt = Date.now();
          gate.fire();
        },
      };
      await Promise.race([triggered, sleep(20_000)]);
      if (pending.outage) {
        pending.outage = null; // no pool generation came: down all the same
        await simB.down();
        gate.downAt = Date.now();
      } else await triggered;
      const downAt = gate.downAt;
      await sleep(outageMs);
      await simB.up();
      poolOutages++;
      outageWindows.push({ from: downAt, to: Date.now() });
      events.push({
        at: downAt - t0,
        what: `pool member pb down (listener closed, connections cut; its tasks kept), back on the same port ${outageMs / 1000} s later`,
        ms: Date.now() - downAt,
        inFlight: before,
        startedAt: downAt,
      });
    } else {
      const burstMs = opts.burstMs ?? 2500;
      configureAll({ faults: { rate429: 0.5 } });
      await sleep(burstMs);
      configureAll({ faults: { rate429: baseFaults.rate429 } });
      record(`429 burst (rate 0.5, Retry-After ${baseFaults.retryAfterS} s)`);
    }
    say(`${events.at(-1)!.what} (${before} generations in flight)`);
  }
  return { kills, flushes, pgRestarts, poolOutages, outageWindows };
}
