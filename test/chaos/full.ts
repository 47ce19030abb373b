import fs from 'node:fs';
import path from 'node:path';
import { cleanUpOnSignals, REPO_ROOT } from './infra';
import { formatReport, runChaos, type ChaosOptions } from './run';

/**
 * `pnpm test:chaos`: the full chaos run (docs/reliability.md). A few hundred generations,
 * three workers, several kills, one Redis wipe, one Postgres restart, 429 bursts, one 3 s
 * outage of the pool member pb.
 * Exits 1 when an invariant broke. The report is also written as JSON for the docs:
 * CHAOS_REPORT=path (default .data/chaos-report.json).
 */
const options: ChaosOptions = {
  label: 'full',
  generations: Number(process.env.CHAOS_GENERATIONS ?? 300),
  workers: Number(process.env.CHAOS_WORKERS ?? 3),
  windowMs: Number(process.env.CHAOS_WINDOW_MS ?? 180_000),
  kills: Number(process.env.CHAOS_KILLS ?? 5),
  bursts: 3,
  poolOutages: Number(process.env.CHAOS_POOL_OUTAGES ?? 1),
  settleMs: Number(process.env.CHAOS_SETTLE_MS ?? 120_000),
  neverShare: 0.04,
  workerConcurrency: 50,
  simDurationMs: 2500,
  keepDir: process.env.CHAOS_KEEP === '1',
};

cleanUpOnSignals();
const report = await runChaos(options);
const text = formatReport(report);
process.stdout.write(`\n${text}\n`);
const out = process.env.CHAOS_REPORT ?? path.join(REPO_ROOT, '.data', 'chaos-report.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ ...report, summary: text }, null, 2));
process.stdout.write(`report written to ${out}\n`);
process.exit(report.violations.length ? 1 : 0);
