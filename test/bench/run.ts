import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FULL, PHASES, SMOKE, TARGETS, runBench, type BenchResults, type Phase } from './bench';
import { ROOT } from './lib/procs';

/**
 * `pnpm bench`: the whole benchmark on local Redis and Postgres (docs/performance.md).
 *   --smoke            the tiny run (what `pnpm test` runs), written nowhere unless --out
 *   --only a,b         only these phases (raw, saturation, steady, flows, requests, latency, post, inflight, footprint)
 *   --profile          CPU profiles of the worker and API processes into test/bench/results/profile/
 *   --out FILE         where to write the results (default test/bench/results/latest.json for a full run)
 */
/** How each figure reads in the table. */
const LABEL: Record<string, string> = {
    raw_bullmq_jobs_per_s: '1. raw BullMQ no-op jobs/s',
    e2e_saturation_generations_per_s: '2. Refrain generations/s, saturation',
    e2e_saturation_latency_p50_ms: '   POST → succeeded p50 (ms), saturation',
    e2e_saturation_latency_p99_ms: '   POST → succeeded p99 (ms), saturation',
    e2e_steady_offered_per_s: '   steady offered load (generations/s)',
    e2e_steady_generations_per_s: '   steady: generations/s done',
    e2e_steady_latency_p50_ms: '   steady: POST → succeeded p50 (ms)',
    e2e_steady_latency_p99_ms: '   steady: POST → succeeded p99 (ms)',
    e2e_to_raw_ratio: '   ratio to raw BullMQ',
    flows_3step_per_s: '3. three-step flows/s',
    flows_3step_latency_p50_ms: '   three-step POST → succeeded p50 (ms)',
    upstream_requests_per_generation_polling: '4. upstream requests/generation, polling',
    upstream_requests_per_generation_callbacks: '   upstream requests/generation, callbacks',
    requests_in_flight: '   generations in flight',
    callback_to_succeeded_p50_ms: '5. callback sent → succeeded p50 (ms)',
    callback_to_succeeded_p99_ms: '   callback sent → succeeded p99 (ms)',
    poll_completion_to_succeeded_p50_ms: '   polling: upstream done → succeeded p50 (ms)',
    poll_completion_to_succeeded_p99_ms: '   polling: upstream done → succeeded p99 (ms)',
    poll_interval_ms: '   poll interval (ms)',
    post_rate_per_s: '6. POST rate offered (requests/s)',
    post_latency_p50_ms: '   POST /v1/generations p50 (ms)',
    post_latency_p99_ms: '   POST /v1/generations p99 (ms)',
    footprint_in_flight: '7. generations in flight',
    redis_bytes_per_in_flight_generation: '   Redis bytes / in-flight generation (used_memory)',
    redis_key_bytes_per_in_flight_generation: '   Redis bytes / in-flight generation (MEMORY USAGE of keys)',
    postgres_bytes_per_in_flight_generation: '   Postgres bytes / in-flight generation',
    inflight_poll_interval_ms: '8. in flight: poll interval (ms)',
    waiting_generations: '   waiting generations (tasks not due yet)',
    waiting_cores: '   cores used (Refrain, Postgres, Redis) while they wait',
    waiting_baseline_cores: '   cores used with nothing waiting',
    waiting_cores_per_10k: '   cores per 10,000 waiting generations',
    waiting_redis_bytes_per_generation: '   Redis bytes / waiting generation',
    waiting_postgres_bytes_per_generation: '   Postgres bytes / waiting generation',
    ...flightLabels('inflight50', '20,000'),
    ...flightLabels('inflight10', '3,000'),
};

function flightLabels(key: string, n: string): Record<string, string> {
  return {
    [`${key}_max_rps`]: `   ${n} generations: max_rps, enforced by the provider`,
    [`${key}_busiest_second`]: `     ${n}: requests in the busiest second`,
    [`${key}_rate_limited`]: `     ${n}: 429s answered by the provider`,
    [`${key}_requests_per_generation`]: `     ${n}: upstream requests / generation`,
    [`${key}_submissions_share_of_max_rps`]: `     ${n}: submissions while a backlog exists, share of max_rps`,
    [`${key}_end_to_succeeded_p50_ms`]: `     ${n}: task end → succeeded p50 (ms), all`,
    [`${key}_end_to_succeeded_p99_ms`]: `     ${n}: task end → succeeded p99 (ms), all`,
    [`${key}_after_drain_p50_ms`]: `     ${n}: task end → succeeded p50 (ms), after the submissions drained`,
    [`${key}_after_drain_p99_ms`]: `     ${n}: task end → succeeded p99 (ms), after the submissions drained`,
    [`${key}_last_end_to_succeeded_ms`]: `     ${n}: last task end → last succeeded (ms)`,
  };
}

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

const only = values.only ? (values.only.split(',').map((s) => s.trim()) as Phase[]) : undefined;
for (const p of only ?? []) if (!PHASES.includes(p)) throw new Error(`unknown phase "${p}" (phases: ${PHASES.join(', ')})`);
const profileDir = values.profile ? path.join(ROOT, 'test/bench/results/profile') : undefined;

const results = await runBench({ scale: values.smoke ? SMOKE : FULL, ...(only ? { only } : {}), ...(profileDir ? { profileDir } : {}) });
process.stdout.write(`\n${formatTable(results)}\n`);
if (results.profiles) for (const text of Object.values(results.profiles)) process.stdout.write(`\n${text}\n`);

const out = values.out ?? (values.smoke || only ? undefined : path.join(ROOT, 'test/bench/results/latest.json'));
if (out) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const { profiles: _profiles, ...rest } = results;
  fs.writeFileSync(out, `${JSON.stringify({ ...results.figures, cores: results.machine.cores, memory_gib: results.machine.memory_gib, ...rest }, null, 2)}\n`);
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), out)}\n`);
  // A full run also shows its figures in docs/performance.md (between the `latest` markers).
  if (!values.out && !values.smoke && !only) {
    const doc = path.join(ROOT, 'docs/performance.md');
    const text = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '';
    const block = /(<!-- latest:begin -->\n)[\s\S]*?(\n<!-- latest:end -->)/;
    if (block.test(text)) {
      fs.writeFileSync(doc, text.replace(block, (_m, a: string, b: string) => `${a}${markdownTable(results)}${b}`));
      process.stdout.write(`updated ${path.relative(process.cwd(), doc)}\n`);
    }
  }
}
process.exit(0);

function rows(r: BenchResults): [string, string, string][] {
  const targets = new Map(TARGETS.map((t) => [t.figure, t]));
  return Object.entries(r.figures).map(([key, value]) => {
    const t = targets.get(key);
    const ok = t?.ok(r.figures);
    return [LABEL[key] ?? key, value === null ? '—' : String(value), t ? `${t.target} ${ok === null ? '' : ok ? 'met' : 'NOT met'}`.trim() : ''];
  });
}

function markdownTable(r: BenchResults): string {
  const other = Object.entries((r.details.other_load ?? {}) as Record<string, { other_processes_cores: number }>)
    .map(([phase, o]) => `${phase} ${o.other_processes_cores}`)
    .join(', ');
  return [
    `\`pnpm bench\` of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memory_gib} GiB;`,
    `Node ${r.machine.node}, Redis ${r.machine.redis}, Postgres ${r.machine.postgres}; ${r.elapsed_s} s. Cores used by other processes`,
    `during each phase: ${other}.`,
    '',
    '| figure | value | target |',
    '|---|---:|---|',
    ...rows(r).map(([a, b, c]) => `| ${a.trim()} | ${b} | ${c} |`),
  ].join('\n');
}

function formatTable(r: BenchResults): string {
  const table: [string, string, string][] = [['figure', 'value', 'target'], ...rows(r)];
  const w = [0, 1, 2].map((i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: [string, string, string]) => `${row[0].padEnd(w[0]!)}  ${row[1].padStart(w[1]!)}  ${row[2]}`;
  return [
    `Refrain benchmark (${r.config.scale}) on ${r.machine.cores} cores, ${r.machine.memory_gib} GiB, ${r.machine.cpu}; Node ${r.machine.node}, Redis ${r.machine.redis}, Postgres ${r.machine.postgres}; ${r.elapsed_s} s`,
    '',
    ...table.map(line),
  ].join('\n');
}
