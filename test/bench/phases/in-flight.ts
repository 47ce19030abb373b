import type { Redis } from 'ioredis';
import type { Database } from '@refrain/db';
import { single, type ApiClient, type PostResult } from '../lib/client';
import { cpuDelta, cpuSample } from '../lib/cpu';
import { pgTableBytes, redisUsedMemory } from '../lib/footprint';
import { percentile, round, sleep, until } from '../lib/stats';

/** One run of the phase: N generations on a polling relay provider with `maxRps`, upstream tasks of `taskS`. */
export interface FlightRun {
  key: string;
  provider: string;
  generations: number;
  maxRps: number;
  taskS: number;
}

export interface InFlightScale {
  runs: FlightRun[];
  /** The waiting measurement: N generations whose tasks take `taskS`, CPU over `measureS` (and `baselineS` before them). */
  waiting: { provider: string; generations: number; taskS: number; measureS: number; baselineS: number };
  pollMs: number;
  concurrency: number;
}

export const IN_FLIGHT_FULL: InFlightScale = {
  runs: [
    { key: 'inflight50', provider: 'flight50', generations: 20_000, maxRps: 50, taskS: 120 },
    { key: 'inflight10', provider: 'flight10', generations: 3_000, maxRps: 10, taskS: 120 },
  ],
  waiting: { provider: 'waiter', generations: 10_000, taskS: 150, measureS: 60, baselineS: 30 },
  pollMs: 3000,
  concurrency: 32,
};

export const IN_FLIGHT_SMOKE: InFlightScale = {
  runs: [
    { key: 'inflight50', provider: 'flight50', generations: 100, maxRps: 20, taskS: 2 },
    { key: 'inflight10', provider: 'flight10', generations: 30, maxRps: 10, taskS: 2 },
  ],
  waiting: { provider: 'waiter', generations: 100, taskS: 8, measureS: 2, baselineS: 1 },
  pollMs: 1000,
  concurrency: 4,
};

/** The phase's providers, all on the simulator: relay (polled, no callbacks) for the runs, native for the waiting. */
export function inFlightProviders(s: InFlightScale, simUrl: string) {
  const common = { base_url: simUrl, api_key: 'sim-key', poll_interval_ms: s.pollMs, max_in_flight: 100_000, deadline_s: 1800 };
  return [
    ...s.runs.map((r) => ({ name: r.provider, dialect: 'relay', max_rps: r.maxRps, ...common })),
    { name: s.waiting.provider, dialect: 'native', max_rps: 1000, ...common },
  ];
}

export interface PhaseContext {
  log: (line: string) => void;
  client: ApiClient;
  pg: Database['pool'];
  redis: Redis;
  simUrl: string;
  pids: Record<string, number | undefined>;
  figures: Record<string, number | null>;
  details: Record<string, unknown>;
  /** The worker's /metrics: what its gate did (slots taken by kind, dropped for lateness). */
  workerMetricsUrl: string;
}

/** The worker's gate counters for one provider: slots taken by kind, and dropped (by reason). */
async function gateCounters(ctx: PhaseContext, provider: string): Promise<Record<string, number>> {
  const text = await fetch(ctx.workerMetricsUrl).then((r) => r.text()).catch(() => '');
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^refrain_upstream_gate_(requests|slots_dropped)_total\{([^}]*)\} (\S+)$/gm)) {
    const labels = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (labels.provider !== provider) continue;
    out[`${m[1] === 'requests' ? 'taken' : 'dropped'}_${labels.kind ?? labels.reason}`] = Number(m[3]);
  }
  return out;
}

const minus = (b: Record<string, number>, a: Record<string, number>) => Object.fromEntries(Object.keys(b).map((k) => [k, b[k]! - (a[k] ?? 0)]));

interface SimTask {
  taskId: string;
  createdAt: number;
  durationMs: number;
}
interface SimStats {
  requests: Record<string, number>;
  submissions: number;
  duplicates: number;
  rate: Record<string, { requests: number; busiestSecond: { at: number; requests: number } | null; busiestWindow: number; limited: number }>;
}

const simJson = async <T>(ctx: PhaseContext, path: string, body?: unknown): Promise<T> =>
  (await (await fetch(`${ctx.simUrl}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as T;

/** Post `n` generations as fast as the API takes them. */
async function postAll(ctx: PhaseContext, n: number, concurrency: number, body: (i: number) => unknown): Promise<PostResult[]> {
  const out: PostResult[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) out.push(await ctx.client.create(body(next++)));
    }),
  );
  return out;
}

/** Generations of this bench phase not final yet (checked every 2 s: the wait must not load Postgres itself). */
async function waitFinal(ctx: PhaseContext, phase: string, timeoutMs: number): Promise<boolean> {
  return until(async () => {
    const { rows } = await ctx.pg.query<{ n: number }>(
      "select count(*)::int as n from generations where status in ('queued','running') and metadata->>'bench' = $1",
      [phase],
    );
    return rows[0]!.n === 0;
  }, timeoutMs, 2000);
}

/** CPU of Refrain's processes, Postgres and Redis (not the driver or the simulator), in cores, over `seconds`. */
async function coresOver(ctx: PhaseContext, seconds: number): Promise<{ cores: number; by: Record<string, number> }> {
  const pids = { api: ctx.pids.api, worker: ctx.pids.worker };
  const a = await cpuSample(pids, ctx.pg);
  await sleep(seconds * 1000);
  const d = cpuDelta(a, await cpuSample(pids, ctx.pg));
  const by = Object.fromEntries(Object.entries(d.cpu_s).map(([k, v]) => [k, round(v / d.seconds, 4)!]));
  return { cores: round(Object.values(d.cpu_s).reduce((x, y) => x + y, 0) / d.seconds, 4)!, by };
}

/**
 * "In flight": thousands of songs waiting upstream within a provider's rate limit. For
 * each run, the simulator enforces `maxRps` (429 above it, per calendar second) and its
 * own counters say what reached it; then the cost of waiting itself.
 */
export async function runInFlight(ctx: PhaseContext, s: InFlightScale): Promise<void> {
  ctx.figures.inflight_poll_interval_ms = s.pollMs;
  await measureWaiting(ctx, s);
  for (const run of s.runs) await flight(ctx, s, run);
}

async function flight(ctx: PhaseContext, s: InFlightScale, run: FlightRun): Promise<void> {
  const { key, provider, generations: n, maxRps, taskS } = run;
  const phase = `inflight-${key}`;
  ctx.log(`in flight: ${n} generations on ${provider} (relay, polling every ${s.pollMs} ms), max_rps ${maxRps} enforced by the provider, tasks of ${taskS} s`);
  await simJson(ctx, '/_sim/reset', {});
  await simJson(ctx, '/_sim/config', { rateLimit: { perSecond: maxRps } });
  const cpu0 = await cpuSample({ api: ctx.pids.api, worker: ctx.pids.worker }, ctx.pg);
  const gate0 = await gateCounters(ctx, provider);
  const t0 = Date.now();
  const posts = await postAll(ctx, n, s.concurrency, (i) => single(provider, phase, i, `[sim:duration=${taskS * 1000}]`));
  const postedS = (Date.now() - t0) / 1000;
  ctx.log(`  posted in ${round(postedS, 1)} s; waiting for every generation to finish`);
  const expectS = n / (maxRps * 0.9) + taskS + 120;
  const drained = await waitFinal(ctx, phase, expectS * 1000);
  const cpu = cpuDelta(cpu0, await cpuSample({ api: ctx.pids.api, worker: ctx.pids.worker }, ctx.pg));
  const gate = minus(await gateCounters(ctx, provider), gate0);

  const stats = await simJson<SimStats>(ctx, '/_sim/stats');
  const tasks = new Map((await simJson<SimTask[]>(ctx, '/_sim/tasks')).map((t) => [t.taskId, t]));
  const { rows } = await ctx.pg.query<{ status: string; finished: string | null; task: string | null }>(
    `select g.status, extract(epoch from g.finished_at) * 1000 as finished, s.upstream_task_id as task
       from generations g join steps s on s.generation_id = g.id where g.metadata->>'bench' = $1`,
    [phase],
  );
  const created = [...tasks.values()].map((t) => t.createdAt).sort((a, b) => a - b);
  const lastSubmission = created.at(-1) ?? 0;
  const lag: number[] = [];
  const lagAfterDrain: number[] = [];
  let lastEnd = 0;
  let lastSucceeded = 0;
  for (const r of rows) {
    const t = r.task ? tasks.get(r.task) : undefined;
    if (!t || r.finished === null) continue;
    const end = t.createdAt + t.durationMs;
    const d = Number(r.finished) - end;
    lag.push(d);
    if (end >= lastSubmission) lagAfterDrain.push(d);
    lastEnd = Math.max(lastEnd, end);
    lastSucceeded = Math.max(lastSucceeded, Number(r.finished));
  }
  const relay = stats.rate.relay ?? { requests: 0, busiestSecond: null, busiestWindow: 0, limited: 0 };
  const succeeded = rows.filter((r) => r.status === 'succeeded').length;
  // Submissions per second while a backlog existed (posting outran the budget throughout): between the 2nd and 98th percentile of submission times.
  const lo = created[Math.floor(created.length * 0.02)] ?? 0;
  const hi = created[Math.floor(created.length * 0.98)] ?? 0;
  const submitRate = hi > lo ? ((Math.floor(created.length * 0.98) - Math.floor(created.length * 0.02)) / (hi - lo)) * 1000 : null;
  const polls = (stats.requests['relay.fetch'] ?? 0) + (stats.requests['relay.fetch_batch'] ?? 0);
  // Status requests before the first task could end: what learning the duration cost (once per provider and operation).
  const firstEnd = (created[0] ?? 0) + taskS * 1000;
  const seconds = (await simJson<Record<string, Record<string, number>>>(ctx, '/_sim/seconds')).relay ?? {};
  const before = Object.entries(seconds).filter(([sec]) => Number(sec) * 1000 + 999 < firstEnd).reduce((a, [, v]) => a + v, 0);
  const learningPolls = Math.max(0, before - created.filter((c) => c < Math.floor(firstEnd / 1000) * 1000).length);
  const f = ctx.figures;
  f[`${key}_max_rps`] = maxRps;
  f[`${key}_busiest_second`] = relay.busiestSecond?.requests ?? 0;
  f[`${key}_requests_per_generation`] = round(relay.requests / Math.max(succeeded, 1), 4);
  f[`${key}_submissions_share_of_max_rps`] = submitRate === null ? null : round(submitRate / maxRps, 3);
  f[`${key}_last_end_to_succeeded_ms`] = round(lastSucceeded - lastEnd, 0);
  f[`${key}_end_to_succeeded_p50_ms`] = round(percentile(lag, 50), 0);
  f[`${key}_end_to_succeeded_p99_ms`] = round(percentile(lag, 99), 0);
  f[`${key}_after_drain_p50_ms`] = round(percentile(lagAfterDrain, 50), 0);
  f[`${key}_after_drain_p99_ms`] = round(percentile(lagAfterDrain, 99), 0);
  f[`${key}_rate_limited`] = relay.limited;
  const providers = await ctx.client.get<{ data: { name: string; polling: unknown; budget: unknown }[] }>('/v1/providers');
  ctx.details[key] = {
    generations: n,
    succeeded,
    drained,
    post_errors: posts.filter((p) => p.status !== 202).length,
    posted_s: round(postedS, 1),
    requests: relay.requests,
    by_operation: stats.requests,
    status_requests: polls,
    status_requests_before_the_first_task_end: learningPolls,
    submissions: stats.submissions,
    duplicates: stats.duplicates,
    gate_slots: gate,
    busiest_second: relay.busiestSecond,
    busiest_sliding_second: relay.busiestWindow,
    rate_limited_429: relay.limited,
    submissions_per_s_with_backlog: round(submitRate, 2),
    submission_span_s: round((lastSubmission - (created[0] ?? 0)) / 1000, 1),
    end_to_succeeded_max_ms: round(Math.max(...lag), 0),
    after_drain: { generations: lagAfterDrain.length, p50_ms: round(percentile(lagAfterDrain, 50), 0), max_ms: round(Math.max(...lagAfterDrain), 0) },
    cpu_cores_during_run: Object.fromEntries(Object.entries(cpu.cpu_s).map(([k, v]) => [k, round(v / cpu.seconds, 3)])),
    machine_busy_share: cpu.machine_busy_share,
    others_cpu_cores: round(cpu.others_cpu_s / cpu.seconds, 2),
    polling: providers?.data.find((p) => p.name === provider)?.polling ?? null,
    budget: providers?.data.find((p) => p.name === provider)?.budget ?? null,
  };
  if (succeeded !== n) ctx.details[`${phase}_not_succeeded`] = { count: n - succeeded };
  ctx.log(
    `  busiest second ${f[`${key}_busiest_second`]} (sliding ${relay.busiestWindow}), ${relay.limited} × 429; ${f[`${key}_requests_per_generation`]} requests/generation (${polls} status requests); ` +
      `submissions ${round(submitRate, 1)}/s (gate ${JSON.stringify(gate)}); task end → succeeded p50 ${f[`${key}_end_to_succeeded_p50_ms`]} ms, p99 ${f[`${key}_end_to_succeeded_p99_ms`]} ms, last ${f[`${key}_last_end_to_succeeded_ms`]} ms`,
  );
}

/**
 * The cost of waiting: N generations whose tasks take `taskS`, on a provider whose typical
 * duration is already known (its learned samples are seeded, as a provider that has been
 * running has them), so none is due during the measurement. CPU of everything over
 * `measureS`, less the same system with nothing waiting, per 10,000; Redis and Postgres
 * bytes per waiting generation.
 */
async function measureWaiting(ctx: PhaseContext, s: InFlightScale): Promise<void> {
  const w = s.waiting;
  const phase = 'inflight-waiting';
  ctx.log(`in flight, waiting: ${w.generations} generations whose tasks take ${w.taskS} s (learned), CPU over ${w.measureS} s`);
  await simJson(ctx, '/_sim/reset', {});
  await ctx.pg.query(
    `insert into upstream_durations (provider, op, samples) values ($1, 'generate', array_fill($2::float8, array[64]))
     on conflict (provider, op) do update set samples = excluded.samples`,
    [w.provider, w.taskS],
  );
  const baseline = await coresOver(ctx, w.baselineS);
  const redis0 = await redisUsedMemory(ctx.redis);
  const pg0 = await pgTableBytes(ctx.pg);
  const t0 = Date.now();
  await postAll(ctx, w.generations, s.concurrency, (i) => single(w.provider, phase, i, `[sim:duration=${w.taskS * 1000}]`));
  const allWaiting = await until(async () => {
    const { rows } = await ctx.pg.query<{ n: number }>("select count(*)::int as n from steps where provider = $1 and status = 'waiting'", [w.provider]);
    return rows[0]!.n >= w.generations;
  }, w.taskS * 1000, 250);
  await sleep(Math.min(5000, w.measureS * 500)); // the last submissions' own work settles
  const submittedS = (Date.now() - t0) / 1000;
  const busy = await coresOver(ctx, w.measureS);
  const measuredUntilS = (Date.now() - t0) / 1000;
  const redis1 = await redisUsedMemory(ctx.redis);
  const pg1 = await pgTableBytes(ctx.pg);
  const pgDelta = Object.values(pg1).reduce((a, b) => a + b, 0) - Object.values(pg0).reduce((a, b) => a + b, 0);
  const stats = await simJson<SimStats>(ctx, '/_sim/stats');
  // Let them finish (they are asked about once they can be done), then the system with nothing waiting once more.
  if (!(await waitFinal(ctx, phase, (w.taskS + 120) * 1000))) ctx.details[`${phase}_not_succeeded`] = { count: 'some did not finish' };
  const after = await coresOver(ctx, w.baselineS);
  const idle = (baseline.cores + after.cores) / 2;
  const f = ctx.figures;
  f.waiting_generations = w.generations;
  f.waiting_cores = busy.cores;
  f.waiting_baseline_cores = round(idle, 4);
  f.waiting_cores_per_10k = round(((busy.cores - idle) * 10_000) / w.generations, 4);
  f.waiting_redis_bytes_per_generation = round((redis1 - redis0) / w.generations, 0);
  f.waiting_postgres_bytes_per_generation = round(pgDelta / w.generations, 0);
  ctx.details.waiting = {
    all_waiting: allWaiting,
    measured_from_s: round(submittedS, 1),
    measured_until_s: round(measuredUntilS, 1),
    first_task_due_at_s: round(w.taskS - s.pollMs / 1000, 1),
    cores_by_process: busy.by,
    baseline_before_by_process: baseline.by,
    baseline_after_by_process: after.by,
    upstream_requests_while_waiting: stats.requests,
  };
  ctx.log(
    `  ${w.generations} waiting: ${busy.cores} cores ${JSON.stringify(busy.by)}; nothing waiting: ${baseline.cores} before, ${after.cores} after → ` +
      `${f.waiting_cores_per_10k} cores per 10,000 waiting; Redis ${f.waiting_redis_bytes_per_generation} B, Postgres ${f.waiting_postgres_bytes_per_generation} B per waiting generation`,
  );
}
