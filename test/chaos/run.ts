import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase } from '@refrain/db';
import { checkCrashes, checkGenerations, checkLingering, checkPosts, checkSubmissions, type Violations } from './checks';
import { registerCleanup } from './infra';
import { readRows, sumStats, waitForFinal, waitForIdleQueues } from './observe';
import { checkPool } from './pool-checks';
import { runSchedule } from './schedule';
import { startStack } from './stack';
import type { ChaosEvent, ChaosOptions, ChaosReport } from './types';
import { startClients } from './workload';

// The suite's entry points stay here, whichever module holds them.
export { formatReport } from './format-report';
export { INVARIANTS, KNOWN_BUGS, type Invariant } from './invariants';
export type { ChaosEvent, ChaosOptions, ChaosReport, PoolReport, Scenario } from './types';

/**
 * The chaos suite's driver (docs/reliability.md). It runs Refrain the way production does
 * (API, hooks and several workers as separate processes on a private Redis and a private
 * Postgres), drives generations of mixed scenarios through the public API while the
 * simulators inject faults, kills workers with SIGKILL, wipes Redis, restarts Postgres and
 * takes one member of a provider pool off the network for a few seconds, then checks the
 * invariants of SPEC section 2 against Postgres, the queues and a record of every
 * submission the simulators accepted.
 */
export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const t0 = Date.now();
  const stamp = () => `+${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const say = (l: string) => log(`[chaos ${opts.label} ${stamp()}] ${l}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refrain-chaos-'));
  const runId = randomBytes(3).toString('hex');
  const cleanups: (() => Promise<void>)[] = [];
  const events: ChaosEvent[] = [];
  const faultsInjected: Record<string, number> = {};
  let failed = true;
  let cleaned: Promise<void> | null = null;
  /** Set once the run is over (or failed): the clients stop. */
  let over = false;
  const cleanUp = () =>
    (cleaned ??= (async () => {
      over = true;
      for (const c of cleanups.reverse()) await c().catch(() => {});
    })());
  const unregister = registerCleanup(cleanUp);

  try {
    const defer = (cleanup: () => Promise<void>) => {
      cleanups.push(cleanup);
    };
    const stack = await startStack(opts, dir, defer, faultsInjected, say);
    const { postgres, sim, sims, simOf, configureAll, api, procs, monitor, stepsQueue } = stack;
    const { submitted, posts, pending, feeder } = startClients(opts, runId, stack.apiPort, sim.url, () => over);
    const { kills, flushes, pgRestarts, poolOutages, outageWindows } = await runSchedule(opts, stack, pending, events, t0, defer, say);
    await feeder;
    await Promise.all(posts);
    const refused = submitted.filter((g) => g.gaveUp);
    if (refused.length) {
      throw new Error(`${refused.length} generations were never accepted, e.g. #${refused[0]!.n} ${refused[0]!.scenario}: ${refused[0]!.gaveUp}\n${api.tail()}`);
    }
    configureAll({ faults: { rate5xx: 0, rateTimeout: 0, rateGarbage: 0, rate429: 0, errorRate: 0 } });
    say(`all ${submitted.length} generations accepted; faults off, settling (up to ${opts.settleMs / 1000} s)`);

    const database = connectDatabase(postgres.url, { max: 2 });
    defer(() => database.close());
    const db = database.pool;
    const ids = submitted.map((g) => g.id!);
    await waitForFinal(db, ids, opts.settleMs, say);
    const lingeringJobs = await waitForIdleQueues(monitor);
    await stepsQueue.close();
    const { gens, stepRows, clipRows } = await readRows(db, ids);
    const simsStats = Object.fromEntries(sims.map((s) => [s.name, s.sim.stats()]));
    const simStats = sumStats(Object.values(simsStats));

    // In this order: the report lists the violations as they were found.
    const violations: Violations = [];
    const byId = new Map(gens.map((g) => [g.id, g]));
    const { byStatus, byScenario, failuresByCode, never, falseTimeouts } = checkGenerations(submitted, byId, stepRows, clipRows, violations);
    const { accepted, withTask, afterRecord, duplicates, orphaned } = checkSubmissions(sims, simOf, stepRows, events, violations);
    const pool = checkPool(submitted, byId, stepRows, outageWindows, t0, violations);
    checkLingering(lingeringJobs, violations);
    const crashes = procs.flatMap((p) => p.crashes);
    checkCrashes(crashes, t0, violations);
    const postFailureKinds = checkPosts(submitted, violations);
    const { log: _log, ...rest } = opts;
    const report: ChaosReport = {
      label: opts.label,
      elapsedMs: Date.now() - t0,
      options: rest,
      generations: submitted.length,
      byStatus,
      byScenario,
      failuresByCode,
      events,
      kills,
      flushes,
      pgRestarts,
      poolOutages,
      postRetries: submitted.reduce((s, g) => s + g.postTries - 1, 0),
      postFailureKinds,
      faultsInjected,
      sim: simStats,
      sims: simsStats,
      pool,
      steps: {
        total: stepRows.length,
        withTask: withTask.length,
        intents: withTask.reduce((s, x) => s + x.submit_attempts, 0),
        retriedIntents: withTask.filter((x) => x.submit_attempts > 1).length,
      },
      submissions: { accepted: accepted.length, afterRecord, duplicates, orphaned },
      never,
      falseTimeouts,
      lingeringJobs,
      crashes: crashes.map(({ tail: _tail, ...c }) => c),
      violations,
      dir,
    };
    failed = violations.length > 0;
    return report;
  } finally {
    await cleanUp();
    unregister();
    if (failed || opts.keepDir) {
      // Keep the processes' logs for the post-mortem, not the database files.
      fs.rmSync(path.join(dir, 'pg'), { recursive: true, force: true });
      log(`[chaos ${opts.label}] logs kept in ${dir}`);
    } else fs.rmSync(dir, { recursive: true, force: true });
  }
}
