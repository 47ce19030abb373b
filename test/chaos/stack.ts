import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES } from '@refrain/contracts';
import type { SimConfigPatch } from '@refrain/simulator';
import { appProc, ChaosPostgres, sparePort, startRedis, waitForPort } from './infra';
import { isSubmission, startRecordingSimulator, type RecordingSimulator } from './recording-sim';
import type { ChaosOptions } from './types';
import { waitUntil } from './wait';

/**
 * What a chaos run runs on: a private Postgres and Redis, the two simulators, and Refrain
 * as production runs it (API, hooks and the workers, one process each).
 */

export const API_KEY = 'chaos-key-0123456789abcdef0123456789';
const ADMIN_TOKEN = 'chaos-admin-0123456789abcdef';
const SIM_KEY = 'sim-key';
export const QUEUE_PREFIX = 'chaos';
/**
 * The provider pool: two native members, `pb` (its own simulator, the one taken down) at
 * the higher priority so it takes the pool's work while it is up, and `pa` (on the main
 * simulator, beside `sim`). Every third generation of a native scenario names the pool.
 */
export const POOL = 'pool';
export const POOL_MEMBERS = [
  { provider: 'pb', priority: 2, weight: 1 },
  { provider: 'pa', priority: 1, weight: 1 },
];
export const POOL_EVERY = 3;

/** Everything `startStack` started; each piece is stopped by the cleanup it registered. */
export type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * Starts the stack, registering each piece's cleanup with `defer` as soon as it exists (the
 * run's cleanup stops them in reverse), and turns the simulators' base faults on.
 * `faultsInjected` counts every fault the simulators inject, by kind.
 */
export async function startStack(
  opts: ChaosOptions,
  dir: string,
  defer: (cleanup: () => Promise<void>) => void,
  faultsInjected: Record<string, number>,
  say: (line: string) => void,
) {
  // --- infrastructure: Postgres, Redis, the simulator -------------------------------
  const postgres = new ChaosPostgres(dir);
  defer(() => postgres.remove());
  await postgres.start(); // a server that cannot start throws its own words at once
  const redis = await startRedis(dir);
  defer(() => redis.stop());
  const simLogger = {
    info: (o: unknown) => {
      const { fault: f, method, path: p } = o as { fault?: string; method?: string; path?: string };
      if (f) {
        const key = `${f} (${method === 'POST' && isSubmission(p ?? '') ? 'submit' : 'query'})`;
        faultsInjected[key] = (faultsInjected[key] ?? 0) + 1;
      }
    },
    warn: () => {},
  };
  const simOpts = { durationMs: opts.simDurationMs ?? 1500, apiKey: SIM_KEY, logger: simLogger };
  // `a` serves sim, relay and the pool member pa; `b` serves only pb, and is the one taken down.
  const sim: RecordingSimulator = await startRecordingSimulator({ name: 'a', ...simOpts });
  defer(() => sim.close());
  const simB: RecordingSimulator = await startRecordingSimulator({ name: 'b', ...simOpts });
  defer(() => simB.close());
  const sims = [sim, simB];
  const simOf = (provider: string) => (provider === 'pb' ? simB : sim);
  const configureAll = (c: SimConfigPatch) => {
    for (const s of sims) s.sim.configure(c);
  };
  const holdAll = (ms: number) => {
    for (const s of sims) s.holdAnswers(ms);
  };
  const baseFaults = {
    rate5xx: 0.05,
    rateTimeout: 0.02,
    timeoutMs: 2000,
    rateGarbage: 0.03,
    rate429: 0.01,
    retryAfterS: 1,
    errorRate: 0.02,
    neverFinishRate: 0,
    ...opts.faults,
  };

  // --- Refrain, one process per role ---------------------------------------------------
  const apiPort = await sparePort();
  const hooksPort = await sparePort();
  const provider = (name: string, dialect: string, callbacks: boolean, on: RecordingSimulator = sim, deadlineS = opts.deadlineS ?? 8) => ({
    name,
    dialect,
    base_url: on.url,
    api_key: SIM_KEY,
    callbacks,
    max_rps: 200,
    max_in_flight: 5000,
    poll_interval_ms: opts.pollIntervalMs ?? 300,
    deadline_s: deadlineS,
  });
  // The pool members' deadline outlasts the outage plus two of the breaker's fixed 10 s
  // cooldowns (5 failed polls open it within ~2 s; no poll goes out until it half-opens, and
  // a probe that meets an injected 5xx opens it again): with 8 s, a task pb finished while it
  // was down is failed with upstream_timeout before anyone looks (a deadline takes no last look).
  const poolDeadlineS = Math.max(opts.deadlineS ?? 8, 30);
  const env = {
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX,
    PROVIDERS: JSON.stringify([
      provider('sim', 'native', false),
      provider('relay', 'relay', true),
      provider('pa', 'native', false, sim, poolDeadlineS),
      provider('pb', 'native', false, simB, poolDeadlineS),
    ]),
    POOLS: JSON.stringify([{ name: POOL, members: POOL_MEMBERS }]),
    DEFAULT_PROVIDER: 'sim',
    API_KEYS: `chaos:${API_KEY}`,
    ADMIN_TOKEN,
    PUBLIC_HOOKS_URL: `http://127.0.0.1:${hooksPort}`,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    ALLOW_LOOPBACK_URLS: 'true',
    WORKER_CONCURRENCY: String(opts.workerConcurrency ?? 50),
  };
  const api = appProc('api', 'api', { ...env, PORT: String(apiPort) }, dir);
  const hooks = appProc('hooks', 'hooks', { ...env, PORT: String(hooksPort) }, dir);
  const workers = Array.from({ length: opts.workers }, (_, i) => appProc(`worker${i + 1}`, 'worker', { ...env, PORT: '0' }, dir));
  const procs = [api, hooks, ...workers];
  defer(async () => {
    await Promise.all(procs.map((p) => p.stop(8_000)));
  });
  api.start(); // first, so the migrations are applied once before the others look
  await waitForPort(apiPort, 60_000).catch((e) => {
    throw new Error(`${(e as Error).message}\n${api.tail()}`);
  });
  hooks.start();
  for (const w of workers) w.start();
  await waitForPort(hooksPort, 60_000);
  // From here on a process that dies by itself is a finding; restart it like a supervisor.
  for (const p of procs) p.restartAfterMs = 1000;
  const monitor = new Redis(redis.url, { maxRetriesPerRequest: 3 });
  defer(async () => monitor.disconnect());
  const stepsQueue = new Queue(QUEUES.steps, { connection: monitor, prefix: QUEUE_PREFIX });
  await waitUntil(async () => (await stepsQueue.getWorkersCount()) >= opts.workers, 60_000, 'workers to connect');
  say(`up: api :${apiPort}, hooks :${hooksPort}, ${opts.workers} workers, postgres :${postgres.port}, redis :${redis.port}, sims ${sim.url} (sim, relay, pa) and ${simB.url} (pb) (dir ${dir})`);
  configureAll({ faults: baseFaults });
  return { postgres, sim, simB, sims, simOf, configureAll, holdAll, baseFaults, apiPort, api, workers, procs, monitor, stepsQueue };
}
