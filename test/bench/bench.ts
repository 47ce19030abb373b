import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { QUEUES } from '@refrain/contracts';
import { connectDatabase, createTestDatabase, type Database } from '@refrain/db';
import { KEEP_JOBS, createQueueKit } from '@refrain/queue';
import { cpuDelta, cpuSample, type CpuSample } from './lib/cpu';
import { ApiClient, single, threeStep, type PostResult } from './lib/client';
import { pgActivity, pgScans, pgTableBytes, redisCommandCalls, redisKeysUsage, redisUsedMemory } from './lib/footprint';
import { Tracker, closedLoop, openLoop } from './lib/load';
import { IN_FLIGHT_FULL, IN_FLIGHT_SMOKE, inFlightProviders, runInFlight, type InFlightScale } from './phases/in-flight';
import { startProcess, type BenchProcess } from './lib/procs';
import { formatProfile, summarizeProfile } from './lib/profile';
import { percentile, round, sleep, until } from './lib/stats';

/** How big each phase is. `FULL` is `pnpm bench`; `SMOKE` is the tiny run inside `pnpm test`. */
export interface Scale {
  name: 'full' | 'smoke';
  /** Raw BullMQ: no-op jobs added (addBulk) while the worker process takes them. */
  rawJobs: number;
  /** Posters (HTTP connections) of the closed loops. */
  concurrency: number;
  saturation: { warmupS: number; windowS: number; outstanding: number };
  /** Offered load as a share of the measured saturation rate. */
  steady: { share: number; seconds: number };
  flows: { warmupS: number; windowS: number; outstanding: number };
  requests: { inFlight: number; total: number };
  latency: { rate: number; seconds: number; durationMs: number };
  /** POST latency at `rate` (the figure), and at `curve` rates first (where it starts to bend). */
  post: { rate: number; seconds: number; curve: number[] };
  footprint: { inFlight: number };
  /** Thousands of songs waiting upstream within a provider's rate limit (phases/in-flight.ts). */
  inflight: InFlightScale;
  /** Longest wait for other processes to calm down before a phase, and over the whole run (seconds). */
  quiet: { perPhaseS: number; totalS: number };
}

export const FULL: Scale = {
  name: 'full',
  rawJobs: 30_000,
  concurrency: 32,
  saturation: { warmupS: 5, windowS: 20, outstanding: 1000 },
  steady: { share: 0.5, seconds: 15 },
  flows: { warmupS: 5, windowS: 15, outstanding: 500 },
  requests: { inFlight: 1000, total: 4000 },
  latency: { rate: 50, seconds: 10, durationMs: 250 },
  post: { rate: 200, seconds: 10, curve: [50, 100] },
  footprint: { inFlight: 10_000 },
  inflight: IN_FLIGHT_FULL,
  quiet: { perPhaseS: 20, totalS: 90 },
};

export const SMOKE: Scale = {
  name: 'smoke',
  rawJobs: 500,
  concurrency: 4,
  // Windows long enough that a loaded CI machine (all test files at once) still completes some.
  saturation: { warmupS: 1, windowS: 4, outstanding: 20 },
  steady: { share: 0.5, seconds: 1.5 },
  flows: { warmupS: 2, windowS: 6, outstanding: 10 },
  requests: { inFlight: 20, total: 40 },
  latency: { rate: 10, seconds: 1, durationMs: 150 },
  post: { rate: 20, seconds: 1, curve: [] },
  footprint: { inFlight: 100 },
  inflight: IN_FLIGHT_SMOKE,
  quiet: { perPhaseS: 0, totalS: 0 },
};

export const PHASES = ['raw', 'saturation', 'steady', 'flows', 'requests', 'latency', 'post', 'inflight', 'footprint'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  scale: Scale;
  redisUrl?: string;
  adminUrl?: string;
  log?: (line: string) => void;
  /** Run only these phases (saturation is needed by steady and is added for it). */
  only?: Phase[];
  /** Write CPU profiles of the worker and API processes (node --cpu-prof) and their summaries here. */
  profileDir?: string;
  /** Worker step-job concurrency (WORKER_CONCURRENCY), the same for Refrain and the raw reference. */
  workerConcurrency?: number;
}

/** One key per figure (null when its phase did not run). */
export type Figures = Record<string, number | null>;

export interface BenchResults {
  figures: Figures;
  machine: { cores: number; memory_gib: number; cpu: string; node: string; redis: string; postgres: string };
  config: Record<string, unknown>;
  details: Record<string, unknown>;
  profiles?: Record<string, string>;
  elapsed_s: number;
}

const KEY = 'bench-key-0123456789abcdef0123456789';
/** The polling provider's poll_interval_ms (BENCH_POLL_MS): completions come in bursts of one interval's worth. */
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 200);
/**
 * Worker processes (Refrain's and the raw reference's) run at this nice level (BENCH_WORKER_NICE, 0 = off):
 * on one machine shared by every role, background work yields the CPU to the API (docs/performance.md).
 */
const WORKER_NICE = process.env.BENCH_WORKER_NICE ?? '10';
const CALLBACK_POLL_MS = 1000;

function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}

/** CPU milliseconds per item (generation, job) of each process. */
const perItem = (cpuS: Record<string, number>, n: number): Record<string, number> =>
  Object.fromEntries(Object.entries(cpuS).map(([k, v]) => [k, Number(((v * 1000) / Math.max(n, 1)).toFixed(2))]));

const perGeneration = (a: Record<string, number>, b: Record<string, number>, n: number): Record<string, number> =>
  Object.fromEntries(Object.keys(b).map((k) => [k, Number((((b[k] ?? 0) - (a[k] ?? 0)) / Math.max(n, 1)).toFixed(2))]));

interface GenRow {
  id: string;
  status: string;
  created: number;
  finished: number | null;
  taskId: string | null;
}

export async function runBench(opts: BenchOptions): Promise<BenchResults> {
  const started = Date.now();
  const scale = opts.scale;
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const adminUrl = opts.adminUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const concurrency = opts.workerConcurrency ?? 50;
  const only = new Set<Phase>(opts.only ?? PHASES);
  if (only.has('steady')) only.add('saturation');
  const runs = (p: Phase) => only.has(p);

  const figures: Figures = {};
  const details: Record<string, unknown> = {};
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const procs: BenchProcess[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>> | null = null;
  let pgConn: Database | null = null;
  let db: Database['pool'] | null = null;
  let client: ApiClient | null = null;
  let tracker: Tracker | null = null;
  const profiles: Record<string, string> = {};
  // Other processes on the machine (this one is shared) skew every figure: each phase waits
  // (boundedly) for them to calm down, and records how much CPU they took while it ran.
  const pids: Record<string, number | undefined> = { driver: process.pid };
  const otherLoad: Record<string, unknown> = {};
  details.other_load = otherLoad;
  let quietBudgetMs = scale.quiet.totalS * 1000;
  // Checkpoints of the (shared) Postgres server: each one is a burst of writes that stalls commits for a while.
  // Other users' DROP DATABASE asks for one at once, so count them per phase.
  const checkpoints = async (): Promise<number | null> => {
    if (!db) return null;
    const { rows } = await db.query<{ n: string }>('select checkpoints_timed + checkpoints_req as n from pg_stat_bgwriter');
    return Number(rows[0]!.n);
  };
  const begin = async (name: string): Promise<{ name: string; waitedS: number; cpu: CpuSample; checkpoints: number | null }> => {
    const t0 = Date.now();
    while (quietBudgetMs > 0 && Date.now() - t0 < scale.quiet.perPhaseS * 1000) {
      const a = await cpuSample(pids, db);
      await sleep(1000);
      const d = cpuDelta(a, await cpuSample(pids, db));
      if (d.others_cpu_s / d.seconds < 0.25) break;
    }
    const waited = Date.now() - t0;
    quietBudgetMs -= waited;
    if (waited > 1500) log(`  (waited ${Math.round(waited / 1000)} s for other processes to calm down)`);
    return { name, waitedS: round(waited / 1000, 1)!, cpu: await cpuSample(pids, db), checkpoints: await checkpoints() };
  };
  const end = async (p: { name: string; waitedS: number; cpu: CpuSample; checkpoints: number | null }) => {
    const d = cpuDelta(p.cpu, await cpuSample(pids, db));
    const cores = round(d.others_cpu_s / Math.max(d.seconds, 0.001), 2)!;
    const after = await checkpoints();
    const cps = p.checkpoints === null || after === null ? null : after - p.checkpoints;
    otherLoad[p.name] = { waited_for_quiet_s: p.waitedS, other_processes_cores: cores, machine_busy_share: d.machine_busy_share, postgres_checkpoints: cps };
    if (cores > 0.25) log(`  note: other processes on this machine used ${cores} cores during this phase`);
    if (cps) log(`  note: Postgres made ${cps} checkpoint(s) during this phase`);
  };

  const machine = {
    cores: os.cpus().length,
    memory_gib: round(os.totalmem() / 2 ** 30, 1)!,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    redis: /redis_version:([^\r\n]+)/.exec(await redis.info('server'))?.[1] ?? 'unknown',
    postgres: '',
  };

  try {
    // ---------------------------------------------------------------- 1. raw BullMQ
    if (runs('raw')) {
      const ph = await begin('raw');
      log(`raw BullMQ: ${scale.rawJobs} no-op jobs, one worker process, concurrency ${concurrency}`);
      const rawPrefix = `${prefix}raw`;
      const raw = startProcess('raw-worker', 'test/bench/procs/raw-worker.ts', { args: [redisUrl, rawPrefix, String(concurrency)], env: { BENCH_NICE: WORKER_NICE } });
      procs.push(raw);
      await raw.ready;
      const kit = createQueueKit({ kind: 'redis', url: redisUrl, prefix: rawPrefix });
      const queue = kit.queue(QUEUES.steps);
      await queue.waitUntilReady();
      pids.raw_worker = raw.child.pid;
      const cpu0 = await cpuSample(pids, db);
      const t0 = performance.now();
      for (let added = 0; added < scale.rawJobs; ) {
        const n = Math.min(500, scale.rawJobs - added);
        await queue.addBulk(
          Array.from({ length: n }, (_, i) => ({
            name: 'noop',
            data: { generationId: 'raw', index: added + i },
            opts: { jobId: `raw-${added + i}`, ...KEEP_JOBS },
          })),
        );
        added += n;
      }
      const addedMs = performance.now() - t0;
      const done = await until(async () => {
        const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(c).reduce((a, b) => a + b, 0) === 0;
      }, 180_000, 5);
      const ms = performance.now() - t0;
      const cpu = cpuDelta(cpu0, await cpuSample(pids, db));
      const failed = (await queue.getJobCounts('failed')).failed ?? 0;
      await kit.close();
      await raw.stop();
      await dropPrefix(redis, rawPrefix);
      if (!done) throw new Error('raw BullMQ phase did not drain in 180 s');
      figures.raw_bullmq_jobs_per_s = round((scale.rawJobs / ms) * 1000, 0);
      details.raw = { jobs: scale.rawJobs, failed, add_ms: Math.round(addedMs), total_ms: Math.round(ms), cpu, cpu_ms_per_job: perItem(cpu.cpu_s, scale.rawJobs) };
      log(`  ${figures.raw_bullmq_jobs_per_s} jobs/s (adding took ${Math.round(addedMs)} ms of ${Math.round(ms)} ms)`);
      await end(ph);
      delete pids.raw_worker;
    }

    const needRefrain = [...only].some((p) => p !== 'raw');
    if (!needRefrain) return finish();

    // ---------------------------------------------------------------- Refrain: processes
    database = await createTestDatabase(adminUrl);
    pgConn = connectDatabase(database.url, { max: 4 }); // its pool ignores connections cut at teardown
    db = pgConn.pool;
    machine.postgres = (await db.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
    const sim = startProcess('simulator', 'test/bench/procs/simulator.ts', { args: ['0'] });
    procs.push(sim);
    const simUrl = String((await sim.ready).url);
    const port = await sparePort();
    const limits = { api_key: 'sim-key', max_rps: 1000, max_in_flight: 100_000, deadline_s: 600 };
    const providers = [
      { name: 'sim', dialect: 'native', base_url: simUrl, poll_interval_ms: POLL_MS, ...limits },
      { name: 'relay-cb', dialect: 'relay', base_url: simUrl, callbacks: true, poll_interval_ms: CALLBACK_POLL_MS, ...limits },
      // Footprint: tasks that never finish, polled once a minute so polling does not skew it.
      { name: 'idle', dialect: 'native', base_url: simUrl, poll_interval_ms: 60_000, ...limits },
      // In flight: polling relays whose max_rps the simulator enforces, and the waiting measurement.
      ...inFlightProviders(scale.inflight, simUrl),
    ];
    const env: Record<string, string> = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      PROVIDERS: JSON.stringify(providers),
      API_KEYS: `bench:${KEY}`,
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_HOOKS_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      QUEUE_PREFIX: prefix,
      WORKER_CONCURRENCY: String(concurrency),
      RATE_LIMIT_PER_MINUTE: '1000000',
      URL_GUARD_DNS: 'false',
    };
    // One directory per process: tsx's loader thread writes a profile too; the main thread's is the largest.
    const prof = (name: string) => (opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.profileDir, name)}`] : []);
    if (opts.profileDir) {
      for (const name of ['api', 'worker']) fs.rmSync(path.join(opts.profileDir, name), { recursive: true, force: true });
    }
    const api = startProcess('api', 'test/bench/procs/refrain.ts', { args: ['api,hooks'], env, nodeArgs: prof('api') });
    procs.push(api);
    const apiUrl = String((await api.ready).url);
    const workerMetricsPort = await sparePort();
    const worker = startProcess('worker', 'test/bench/procs/refrain.ts', {
      args: ['worker'],
      env: { ...env, BENCH_NICE: WORKER_NICE, METRICS_PORT: String(workerMetricsPort) },
      nodeArgs: prof('worker'),
    });
    procs.push(worker);
    await worker.ready;
    if (process.env.BENCH_DIAG_STOP_WORKER) await worker.stop(); // diagnosis only: the API and the databases alone
    Object.assign(pids, { simulator: sim.child.pid, api: api.child.pid, worker: worker.child.pid });
    const cpuPids = pids;
    client = new ApiClient(apiUrl, KEY, Math.max(scale.concurrency, 64));
    tracker = new Tracker(db);
    const trk = tracker;
    const cli = client;
    const pgdb = db;
    // Warm up connections, JIT and every path before anything is measured, then give Postgres
    // statistics as a running system has them (a fresh database plans its first statements blind).
    const warmup = scale.name === 'full' ? 200 : 20;
    for (let i = 0; i < warmup; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, warmup - i) }, (_, j) => cli.create(single(j % 2 ? 'relay-cb' : 'sim', 'warmup', i + j))));
    }
    await trk.drain(60_000);
    await pgdb.query('analyze');

    const rowsOf = async (phase: string): Promise<GenRow[]> => {
      const { rows } = await pgdb.query<{ id: string; status: string; created: string; finished: string | null; task: string | null }>(
        `select g.id, g.status, extract(epoch from g.created_at) * 1000 as created, extract(epoch from g.finished_at) * 1000 as finished,
                (select s.upstream_task_id from steps s where s.generation_id = g.id order by s.index desc limit 1) as task
           from generations g where g.metadata->>'bench' = $1`,
        [phase],
      );
      return rows.map((r: { id: string; status: string; created: string; finished: string | null; task: string | null }) => ({ id: r.id, status: r.status, created: Number(r.created), finished: r.finished === null ? null : Number(r.finished), taskId: r.task }));
    };
    const simJson = async <T>(p: string, method = 'GET'): Promise<T> => (await (await fetch(`${simUrl}${p}`, { method })).json()) as T;
    const postErrors = (rs: PostResult[]) => rs.filter((r) => r.status !== 202).length;
    const latencies = (rows: GenRow[]) => rows.filter((r) => r.finished !== null).map((r) => r.finished! - r.created);
    const checkFinal = (phase: string, rows: GenRow[]) => {
      const bad = rows.filter((r) => r.status !== 'succeeded');
      if (bad.length) details[`${phase}_not_succeeded`] = { count: bad.length, statuses: [...new Set(bad.map((b) => b.status))] };
    };

    // ---------------------------------------------------------------- 2. saturation
    if (runs('saturation')) {
      const ph = await begin('saturation');
      const { warmupS, windowS, outstanding } = scale.saturation;
      log(`saturation: single-step generations, closed loop of ${outstanding} not final, ${warmupS}+${windowS} s`);
      const t0 = Date.now();
      let cpu0: CpuSample | null = null;
      let pg0: Awaited<ReturnType<typeof pgActivity>> | null = null;
      let redis0: Record<string, number> | null = null;
      const warm = setTimeout(() => {
        void cpuSample(cpuPids, db).then((c) => (cpu0 = c));
        void pgActivity(pgdb).then((a) => (pg0 = a));
        void redisCommandCalls(redis).then((c) => (redis0 = c));
      }, warmupS * 1000);
      const posts = await closedLoop({
        client: cli,
        tracker: trk,
        outstanding,
        concurrency: scale.concurrency,
        durationMs: (warmupS + windowS) * 1000,
        body: (n) => single(process.env.BENCH_DIAG_PROVIDER ?? 'sim', 'saturation', n),
      });
      const tEnd = Date.now();
      clearTimeout(warm);
      const cpu = cpu0 ? cpuDelta(cpu0, await cpuSample(cpuPids, db)) : null;
      const redis1 = await redisCommandCalls(redis);
      await sleep(600); // pg_stat_database is flushed about every 500 ms
      const pg1 = await pgActivity(pgdb);
      trk.stop();
      if (!(await trk.drain(120_000))) throw new Error('saturation phase did not drain in 120 s');
      const rows = await rowsOf('saturation');
      checkFinal('saturation', rows);
      const from = t0 + warmupS * 1000;
      const inWindow = rows.filter((r) => r.finished !== null && r.finished >= from && r.finished < tEnd).length;
      figures.e2e_saturation_generations_per_s = round(inWindow / ((tEnd - from) / 1000), 1);
      const lat = latencies(rows.filter((r) => r.created >= from));
      figures.e2e_saturation_latency_p50_ms = round(percentile(lat, 50), 0);
      figures.e2e_saturation_latency_p99_ms = round(percentile(lat, 99), 0);
      details.saturation = {
        posted: posts.length,
        post_errors: postErrors(posts),
        last_error: cli.lastError || null,
        cpu,
        cpu_ms_per_generation: cpu ? perItem(cpu.cpu_s, inWindow) : null,
        postgres_per_generation: pg0 ? perGeneration(pg0, pg1, inWindow) : null,
        postgres_scans_since_start: await pgScans(pgdb),
      };
      if (pg0) log(`  Postgres per generation: ${JSON.stringify(perGeneration(pg0, pg1, inWindow))}`);
      if (redis0) {
        const per = perGeneration(redis0, redis1, inWindow);
        const top = Object.fromEntries(Object.entries(per).filter(([, v]) => v >= 0.05).sort((a, b) => b[1] - a[1]));
        const total = Number(Object.values(per).reduce((a, b) => a + b, 0).toFixed(1));
        (details.saturation as Record<string, unknown>).redis_commands_per_generation = { total, ...top };
        log(`  Redis commands per generation (whole server): ${total} ${JSON.stringify(top)}`);
      }
      if (cpu) log(`  CPU ms per generation: ${JSON.stringify(perItem(cpu.cpu_s, inWindow))}; machine busy ${Math.round(cpu.machine_busy_share * 100)}%, others ${cpu.others_cpu_s} s`);
      log(`  ${figures.e2e_saturation_generations_per_s} generations/s (POST→succeeded p50 ${figures.e2e_saturation_latency_p50_ms} ms, p99 ${figures.e2e_saturation_latency_p99_ms} ms)`);
      if (figures.raw_bullmq_jobs_per_s) {
        figures.e2e_to_raw_ratio = round(figures.e2e_saturation_generations_per_s! / figures.raw_bullmq_jobs_per_s, 3);
      }
      await end(ph);
    }

    // ---------------------------------------------------------------- 2b. steady offered load
    if (runs('steady')) {
      const ph = await begin('steady');
      const rate = Math.max(1, Math.round((figures.e2e_saturation_generations_per_s ?? 10) * scale.steady.share));
      log(`steady: open loop at ${rate} generations/s (${scale.steady.share * 100}% of saturation) for ${scale.steady.seconds} s`);
      const t0 = Date.now();
      const posts = await openLoop({ client: cli, tracker: trk, rate, durationMs: scale.steady.seconds * 1000, body: (n) => single('sim', 'steady', n) });
      const tEnd = Date.now();
      await trk.drain(120_000);
      const rows = await rowsOf('steady');
      checkFinal('steady', rows);
      const from = t0 + 1000;
      const inWindow = rows.filter((r) => r.finished !== null && r.finished >= from && r.finished < tEnd).length;
      const lat = latencies(rows);
      figures.e2e_steady_offered_per_s = rate;
      figures.e2e_steady_generations_per_s = round(inWindow / ((tEnd - from) / 1000), 1);
      figures.e2e_steady_latency_p50_ms = round(percentile(lat, 50), 0);
      figures.e2e_steady_latency_p99_ms = round(percentile(lat, 99), 0);
      details.steady = { posted: posts.length, post_errors: postErrors(posts) };
      log(`  ${figures.e2e_steady_generations_per_s} generations/s done, POST→succeeded p50 ${figures.e2e_steady_latency_p50_ms} ms, p99 ${figures.e2e_steady_latency_p99_ms} ms`);
      await end(ph);
    }

    // ---------------------------------------------------------------- 3. three-step flows
    if (runs('flows')) {
      const ph = await begin('flows');
      const { warmupS, windowS, outstanding } = scale.flows;
      log(`flows: generate → extend → concat, closed loop of ${outstanding}, ${warmupS}+${windowS} s`);
      const t0 = Date.now();
      const posts = await closedLoop({
        client: cli,
        tracker: trk,
        outstanding,
        concurrency: scale.concurrency,
        durationMs: (warmupS + windowS) * 1000,
        body: (n) => threeStep('sim', 'flows', n),
      });
      const tEnd = Date.now();
      trk.stop();
      await trk.drain(180_000);
      const rows = await rowsOf('flows');
      checkFinal('flows', rows);
      const from = t0 + warmupS * 1000;
      const inWindow = rows.filter((r) => r.finished !== null && r.finished >= from && r.finished < tEnd).length;
      figures.flows_3step_per_s = round(inWindow / ((tEnd - from) / 1000), 1);
      const lat = latencies(rows.filter((r) => r.created >= from));
      figures.flows_3step_latency_p50_ms = round(percentile(lat, 50), 0);
      details.flows = { posted: posts.length, post_errors: postErrors(posts) };
      log(`  ${figures.flows_3step_per_s} three-step flows/s (p50 ${figures.flows_3step_latency_p50_ms} ms)`);
      await end(ph);
    }

    // ---------------------------------------------------------------- 4. upstream requests per generation
    if (runs('requests')) {
      const ph = await begin('requests');
      const { inFlight, total } = scale.requests;
      for (const [key, provider] of [
        ['upstream_requests_per_generation_polling', 'sim'],
        ['upstream_requests_per_generation_callbacks', 'relay-cb'],
      ] as const) {
        log(`requests: ${total} generations on ${provider}, ${inFlight} in flight`);
        await simJson('/_sim/reset', 'POST');
        let peak = 0;
        const sampler = setInterval(() => (peak = Math.max(peak, trk.active)), 100);
        const posts = await closedLoop({
          client: cli,
          tracker: trk,
          outstanding: inFlight,
          concurrency: scale.concurrency,
          durationMs: 300_000,
          total,
          body: (n) => single(provider, `req-${provider}`, n),
        });
        trk.stop();
        await trk.drain(180_000);
        clearInterval(sampler);
        const rows = await rowsOf(`req-${provider}`);
        checkFinal(`req-${provider}`, rows);
        const stats = await simJson<{ requests: Record<string, number>; statusQueries: number; submissions: number; callbacks: { sent: number; failed: number } }>('/_sim/stats');
        const requests = Object.values(stats.requests).reduce((a, b) => a + b, 0);
        const ok = rows.filter((r) => r.status === 'succeeded').length;
        figures[key] = round(requests / Math.max(ok, 1), 3);
        details[key] = { generations: ok, requests, by_operation: stats.requests, callbacks: stats.callbacks, peak_not_final: peak, post_errors: postErrors(posts) };
        log(`  ${figures[key]} upstream requests per generation (${requests} for ${ok}; peak ${peak} not final)`);
      }
      figures.requests_in_flight = inFlight;
      await end(ph);
    }

    // ---------------------------------------------------------------- 5. upstream completion → succeeded
    if (runs('latency')) {
      const ph = await begin('latency');
      const { rate, seconds, durationMs } = scale.latency;
      for (const mode of ['callbacks', 'polling'] as const) {
        const provider = mode === 'callbacks' ? 'relay-cb' : 'sim';
        const phase = `lat-${mode}`;
        log(`latency: ${rate} generations/s for ${seconds} s on ${provider}, upstream tasks of ${durationMs} ms`);
        await simJson('/_sim/reset', 'POST');
        await openLoop({ client: cli, tracker: trk, rate, durationMs: seconds * 1000, body: (n) => single(provider, phase, n, `[sim:duration=${durationMs}]`) });
        await trk.drain(60_000);
        const rows = await rowsOf(phase);
        checkFinal(phase, rows);
        const tasks = new Map(
          (await simJson<{ taskId: string; createdAt: number; durationMs: number; finalCallbackAt: number | null }[]>('/_sim/tasks')).map((t) => [t.taskId, t]),
        );
        const lat: number[] = [];
        let missing = 0;
        for (const r of rows) {
          const t = r.taskId ? tasks.get(r.taskId) : undefined;
          const upstreamDone = mode === 'callbacks' ? t?.finalCallbackAt : t ? t.createdAt + t.durationMs : null;
          if (!upstreamDone || r.finished === null) missing++;
          else lat.push(r.finished - upstreamDone);
        }
        // Where the time goes: upstream done → its news in Postgres (the clip events of the apply) → the step succeeded event.
        const { rows: ev } = await pgdb.query<{ id: string; applied: string | null; succeeded: string | null }>(
          `select g.id,
                  (select extract(epoch from min(e.created_at)) * 1000 from generation_events e where e.generation_id = g.id and e.type = 'clip' and e.data->>'status' in ('complete', 'error')) as applied,
                  (select extract(epoch from min(e.created_at)) * 1000 from generation_events e where e.generation_id = g.id and e.type = 'step' and e.data->>'status' = 'succeeded') as succeeded
             from generations g where g.metadata->>'bench' = $1`,
          [phase],
        );
        const evOf = new Map(ev.map((e: { id: string; applied: string | null; succeeded: string | null }) => [e.id, e]));
        const toApplied: number[] = [];
        const toSucceeded: number[] = [];
        for (const r of rows) {
          const t = r.taskId ? tasks.get(r.taskId) : undefined;
          const upstreamDone = mode === 'callbacks' ? t?.finalCallbackAt : t ? t.createdAt + t.durationMs : null;
          const e = evOf.get(r.id);
          if (!upstreamDone || !e?.applied || !e.succeeded) continue;
          toApplied.push(Number(e.applied) - upstreamDone);
          toSucceeded.push(Number(e.succeeded) - Number(e.applied));
        }
        const k = mode === 'callbacks' ? 'callback_to_succeeded' : 'poll_completion_to_succeeded';
        figures[`${k}_p50_ms`] = round(percentile(lat, 50), 1);
        figures[`${k}_p99_ms`] = round(percentile(lat, 99), 1);
        details[k] = {
          generations: rows.length,
          measured: lat.length,
          missing,
          max_ms: round(Math.max(...lat), 1),
          // upstream done → the apply transaction began (hooks or poller) → the step's success was written
          to_applied_p50_ms: round(percentile(toApplied, 50), 1),
          to_applied_p99_ms: round(percentile(toApplied, 99), 1),
          applied_to_succeeded_p50_ms: round(percentile(toSucceeded, 50), 1),
          applied_to_succeeded_p99_ms: round(percentile(toSucceeded, 99), 1),
        };
        log(`  ${mode}: upstream done → succeeded p50 ${figures[`${k}_p50_ms`]} ms, p99 ${figures[`${k}_p99_ms`]} ms (${missing} without a time)`);
        log(`    of which upstream done → applied p50/p99 ${JSON.stringify([round(percentile(toApplied, 50), 1), round(percentile(toApplied, 99), 1)])} ms, applied → succeeded ${JSON.stringify([round(percentile(toSucceeded, 50), 1), round(percentile(toSucceeded, 99), 1)])} ms`);
      }
      figures.poll_interval_ms = POLL_MS;
      await end(ph);
    }

    // ---------------------------------------------------------------- 6. POST latency
    if (runs('post')) {
      const ph = await begin('post');
      const { rate, seconds } = scale.post;
      const curve: Record<string, unknown> = {};
      for (const r of scale.post.curve) {
        await openLoop({ client: cli, tracker: trk, rate: r, durationMs: 1000, body: (n) => single('sim', 'post-warmup', n) });
        const ps = (await openLoop({ client: cli, tracker: trk, rate: r, durationMs: 5000, body: (n) => single('sim', 'post-curve', n) })).filter((p) => p.status === 202).map((p) => p.ms);
        curve[`${r}_per_s`] = { p50_ms: round(percentile(ps, 50), 1), p99_ms: round(percentile(ps, 99), 1) };
        log(`  at ${r} requests/s: p50 ${round(percentile(ps, 50), 1)} ms, p99 ${round(percentile(ps, 99), 1)} ms`);
        await trk.drain(60_000);
      }
      log(`POST /v1/generations: ${rate} requests/s for ${seconds} s (after ${Math.min(2, seconds)} s at that rate, not counted)`);
      await openLoop({ client: cli, tracker: trk, rate, durationMs: Math.min(2, seconds) * 1000, body: (n) => single('sim', 'post-warmup', n) });
      // Background work of Postgres (autovacuum after the earlier phases) is one source of slow seconds: note it.
      let vacuumSamples = 0;
      let samples = 0;
      const vacuumProbe = setInterval(() => {
        void pgdb
          .query<{ n: number }>("select count(*)::int as n from pg_stat_activity where backend_type = 'autovacuum worker' and datname = current_database()")
          .then((r: { rows: { n: number }[] }) => {
            samples++;
            if (r.rows[0]!.n > 0) vacuumSamples++;
          })
          .catch(() => {});
      }, 200);
      const t0 = performance.now();
      const postProvider = process.env.BENCH_DIAG_PROVIDER ?? 'sim'; // diagnosis only
      const posts = await openLoop({ client: cli, tracker: trk, rate, durationMs: seconds * 1000, body: (n) => single(postProvider, 'post', n) });
      clearInterval(vacuumProbe);
      const sentS = (performance.now() - t0) / 1000;
      if (!process.env.BENCH_DIAG_STOP_WORKER) await trk.drain(120_000);
      const ok = posts.filter((p) => p.status === 202).map((p) => p.ms);
      figures.post_rate_per_s = round(posts.length / sentS, 1);
      figures.post_latency_p50_ms = round(percentile(ok, 50), 1);
      figures.post_latency_p99_ms = round(percentile(ok, 99), 1);
      // p99 per second of the run: a slow second stands out (GC, a burst of completions, another process)
      const perSecond = Array.from({ length: Math.ceil(seconds) }, (_, sec) =>
        round(percentile(posts.slice(sec * rate, (sec + 1) * rate).filter((p) => p.status === 202).map((p) => p.ms), 99), 1),
      );
      details.post = { requests: posts.length, errors: postErrors(posts), max_ms: round(Math.max(...ok), 1), p99_per_second_ms: perSecond, at_lower_rates: curve, autovacuum_running_share: round(vacuumSamples / Math.max(samples, 1), 2) };
      log(`  p50 ${figures.post_latency_p50_ms} ms, p99 ${figures.post_latency_p99_ms} ms over ${posts.length} requests; p99 per second ${JSON.stringify(perSecond)}`);
      await end(ph);
    }

    // ---------------------------------------------------------------- 8. in flight within the provider's rate limit
    if (runs('inflight')) {
      const ph = await begin('inflight');
      trk.stop();
      await runInFlight(
        { log, client: cli, pg: pgdb, redis, simUrl, pids: cpuPids, figures, details, workerMetricsUrl: `http://127.0.0.1:${workerMetricsPort}/metrics` },
        scale.inflight,
      );
      await end(ph);
    }

    // ---------------------------------------------------------------- 7. footprint at N in flight
    if (runs('footprint')) {
      const ph = await begin('footprint');
      const n = scale.footprint.inFlight;
      log(`footprint: ${n} generations in flight (upstream tasks that never finish)`);
      await simJson('/_sim/reset', 'POST');
      await trk.drain(60_000);
      await sleep(500);
      const redisBefore = await redisUsedMemory(redis);
      const keysBefore = await redisKeysUsage(redis, prefix);
      const pgBefore = await pgTableBytes(pgdb);
      const t0 = performance.now();
      const posts = await closedLoop({
        client: cli,
        tracker: trk,
        outstanding: n + 1,
        concurrency: scale.concurrency,
        durationMs: 600_000,
        total: n,
        body: (i) => single('idle', 'footprint', i, '[sim:never]'),
      });
      trk.stop();
      const postS = (performance.now() - t0) / 1000;
      const waiting = async () =>
        (await pgdb.query<{ n: number }>("select count(*)::int as n from steps where provider = 'idle' and status = 'waiting'")).rows[0]!.n;
      const allWaiting = await until(async () => (await waiting()) >= n, 180_000, 250);
      await sleep(1000);
      const inFlight = await waiting();
      const redisAfter = await redisUsedMemory(redis);
      const keysAfter = await redisKeysUsage(redis, prefix);
      const pgAfter = await pgTableBytes(pgdb);
      const pgDelta = Object.fromEntries(Object.keys(pgAfter).map((t) => [t, pgAfter[t]! - (pgBefore[t] ?? 0)]));
      const pgTotal = Object.values(pgDelta).reduce((a, b) => a + b, 0);
      const byKind = Object.fromEntries(
        Object.entries(keysAfter.byKind).map(([k, v]) => [k, { keys: v.keys - (keysBefore.byKind[k]?.keys ?? 0), bytes: v.bytes - (keysBefore.byKind[k]?.bytes ?? 0) }]).filter(([, v]) => (v as { keys: number; bytes: number }).bytes !== 0),
      );
      figures.footprint_in_flight = inFlight;
      figures.redis_bytes_per_in_flight_generation = round((redisAfter - redisBefore) / inFlight, 0);
      figures.redis_key_bytes_per_in_flight_generation = round((keysAfter.bytes - keysBefore.bytes) / inFlight, 0);
      figures.postgres_bytes_per_in_flight_generation = round(pgTotal / inFlight, 0);
      details.footprint = {
        all_waiting: allWaiting,
        post_s: round(postS, 1),
        post_errors: postErrors(posts),
        redis_used_memory_delta: redisAfter - redisBefore,
        redis_keys_delta: keysAfter.keys - keysBefore.keys,
        redis_by_kind: byKind,
        postgres_by_table: pgDelta,
      };
      log(`  Redis ${figures.redis_bytes_per_in_flight_generation} B (keys ${figures.redis_key_bytes_per_in_flight_generation} B), Postgres ${figures.postgres_bytes_per_in_flight_generation} B per in-flight generation (${inFlight} in flight)`);
      await end(ph);
    }

    if (opts.profileDir) {
      await worker.stop();
      await api.stop();
      for (const name of ['worker', 'api']) {
        const dir = path.join(opts.profileDir, name);
        const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
        const file = files.map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
        if (!file) continue;
        const text = formatProfile(name, summarizeProfile(file));
        fs.writeFileSync(path.join(opts.profileDir, `${name}-summary.txt`), `${text}\n`);
        profiles[name] = text;
      }
    }
    return finish();
  } finally {
    tracker?.stop();
    await client?.close().catch(() => {});
    for (const p of procs.reverse()) await p.stop().catch(() => {});
    await pgConn?.close().catch(() => {});
    await database?.drop().catch(() => {});
    await dropPrefix(redis, prefix).catch(() => {});
    redis.disconnect();
  }

  function finish(): BenchResults {
    return {
      figures,
      machine,
      config: {
        scale: scale.name,
        worker_concurrency: concurrency,
        poll_interval_ms: POLL_MS,
        callback_provider_poll_interval_ms: CALLBACK_POLL_MS,
        worker_nice: Number(WORKER_NICE),
        log_level: 'warn',
        layout: `one process each: driver, simulator, api+hooks, worker (nice ${WORKER_NICE}); Postgres and Redis local`,
        scale_detail: scale,
      },
      details,
      ...(Object.keys(profiles).length ? { profiles } : {}),
      elapsed_s: round((Date.now() - started) / 1000, 1)!,
    };
  }
}

type Target = { figure: string; label: string; ok: (f: Figures) => boolean | null; target: string };
const atMost = (figure: string, label: string, bound: (f: Figures) => number | null | undefined, target: string): Target => ({
  figure,
  label,
  target,
  ok: (f) => (f[figure] == null || bound(f) == null ? null : f[figure]! <= bound(f)!),
});

/** The targets of the in-flight phase (issue "Upstream budget"), for each of its runs. */
const IN_FLIGHT_TARGETS: Target[] = ['inflight50', 'inflight10'].flatMap((k) => [
  atMost(`${k}_busiest_second`, 'busiest second', (f) => f[`${k}_max_rps`], '≤ max_rps'),
  atMost(`${k}_requests_per_generation`, 'upstream requests / generation', () => 1.05, '≤ 1.05'),
  atMost(`${k}_after_drain_p50_ms`, 'task end → succeeded p50 after the drain', (f) => f.inflight_poll_interval_ms, '≤ 1 poll interval'),
  atMost(`${k}_after_drain_p99_ms`, 'task end → succeeded p99 after the drain', (f) => (f.inflight_poll_interval_ms == null ? null : 2 * f.inflight_poll_interval_ms), '≤ 2 poll intervals'),
  {
    figure: `${k}_submissions_share_of_max_rps`,
    label: 'submissions while a backlog exists',
    target: '≥ 0.95 of max_rps',
    ok: (f: Figures) => (f[`${k}_submissions_share_of_max_rps`] == null ? null : f[`${k}_submissions_share_of_max_rps`]! >= 0.95),
  },
]);

/** The targets of the benchmark issues: figure, comparison and bound. */
export const TARGETS: Target[] = [
  ...IN_FLIGHT_TARGETS,
  atMost('waiting_cores_per_10k', 'cores per 10,000 waiting generations', () => 0.05, '≤ 0.05'),
  { figure: 'e2e_to_raw_ratio', label: 'end to end / raw BullMQ', target: '≥ 0.1', ok: (f) => (f.e2e_to_raw_ratio == null ? null : f.e2e_to_raw_ratio >= 0.1) },
  {
    figure: 'upstream_requests_per_generation_polling',
    label: 'upstream requests / generation, polling',
    target: '≤ 1.2',
    ok: (f) => (f.upstream_requests_per_generation_polling == null ? null : f.upstream_requests_per_generation_polling <= 1.2),
  },
  {
    figure: 'upstream_requests_per_generation_callbacks',
    label: 'upstream requests / generation, callbacks',
    target: '≤ 1.01',
    ok: (f) => (f.upstream_requests_per_generation_callbacks == null ? null : f.upstream_requests_per_generation_callbacks <= 1.01),
  },
  { figure: 'callback_to_succeeded_p99_ms', label: 'callback → succeeded p99', target: '≤ 50 ms', ok: (f) => (f.callback_to_succeeded_p99_ms == null ? null : f.callback_to_succeeded_p99_ms <= 50) },
  { figure: 'post_latency_p99_ms', label: 'POST p99 at 200 req/s', target: '≤ 20 ms', ok: (f) => (f.post_latency_p99_ms == null ? null : f.post_latency_p99_ms <= 20) },
  {
    figure: 'redis_bytes_per_in_flight_generation',
    label: 'Redis per in-flight generation',
    target: '≤ 2048 B',
    ok: (f) => (f.redis_bytes_per_in_flight_generation == null ? null : f.redis_bytes_per_in_flight_generation <= 2048),
  },
];
