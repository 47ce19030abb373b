import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createApiApp, createDoorCallbackBody } from '@refrain/api';
import type { ProviderConfig } from '@refrain/contracts';
import { StartupError, isStartupError } from '@refrain/core';
import { ensureWritableFolder, startEmbeddedPostgres } from '@refrain/db';
import { openRuntime, startEngine, type RunningEngine } from '@refrain/engine';
import { adviseOnRedis, probeRedis, redisKeyPrefix, type QueueBackendConfig, type RedisTopology } from '@refrain/queue';
import { createHooksRouter } from '@refrain/hooks';
import { createLogger, type Logger } from '@refrain/observability';
import { startTracing } from '@refrain/observability';
import { startSimulator } from '@refrain/simulator';
import { loadOrCreateDevCredentials } from './dev-credentials';
import type { RefrainEnv } from './env-schema';
import { postgresTarget, redisTarget, waitUntilReachable } from './startup-checks';
import { createUrlGuard } from './url-guard';
import { listenMetrics } from './metrics-server';
import { redisTopologyFromEnv } from './redis-env';

export type Role = 'api' | 'worker' | 'hooks';

export interface RunningRefrain {
  url: string | null;
  apiKey: string | null;
  adminToken: string;
  providers: ProviderConfig[];
  simulatorUrl: string | null;
  /** Where /metrics is served when this process has no API (METRICS_PORT), else null. */
  metricsUrl: string | null;
  /** What a person should know about where things live (e.g. the embedded cluster's folder as root). */
  notes: string[];
  logger: Logger;
  stop(): Promise<void>;
}

/**
 * Compose Refrain from its packages for the roles this process plays. The all-in-one
 * process plays all three (plus the embedded Postgres and the simulator when the
 * environment leaves them out); production runs one role per process.
 */
export async function startRefrain(env: RefrainEnv, roles: readonly Role[], opts: { logger?: Logger } = {}): Promise<RunningRefrain> {
  const logger = opts.logger ?? createLogger({ level: env.LOG_LEVEL, name: 'refrain' });
  // Undone in reverse order on stop, or when start-up fails half-way (nothing is left running).
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch((err) => logger.error({ err: (err as Error).message }, 'shutdown step failed'));
  };
  try {
    return await compose(env, roles, logger, stops, stopAll);
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function compose(
  env: RefrainEnv,
  roles: readonly Role[],
  logger: Logger,
  stops: (() => Promise<void>)[],
  stopAll: () => Promise<void>,
): Promise<RunningRefrain> {
  // Redis first, with a bounded wait: a wrong URL or sentinel list, or a cluster that is down,
  // stops the start with a message naming the variables before anything else is started.
  const redisTopology = redisTopologyFromEnv(env);
  if (redisTopology) await checkRedis(redisTopology, env, logger);

  let databaseUrl = env.DATABASE_URL;
  const notes: string[] = [];
  if (databaseUrl) {
    await waitUntilReachable(postgresTarget(databaseUrl), env.STARTUP_WAIT_S);
  } else {
    const embedded = await startEmbeddedPostgres(env.DATA_DIR, { runtimeDir: env.PG_RUNTIME_DIR });
    stops.push(() => embedded.stop());
    databaseUrl = embedded.url;
    notes.push(...embedded.notes);
    logger.info({ dataDir: env.DATA_DIR, cluster: embedded.clusterDir }, 'embedded Postgres started');
  }

  let providers = env.PROVIDERS;
  let simulatorUrl: string | null = null;
  if (!providers) {
    const sim = await startSimulator({ port: 0, apiKey: 'sim-key', durationMs: env.SIM_DURATION_MS });
    stops.push(() => sim.close());
    simulatorUrl = sim.url;
    providers = [{ name: 'sim', dialect: 'native', base_url: sim.url, api_key: 'sim-key', callbacks: false, paths: {}, max_rps: 100, max_in_flight: 10000, poll_interval_ms: 500, deadline_s: 600 }];
  }

  const dev = !env.API_KEYS || !env.ADMIN_TOKEN ? devCredentials(env.DATA_DIR) : null;
  const apiKeys = env.API_KEYS ?? [{ tenant: 'dev', key: dev!.apiKey }];
  const adminToken = env.ADMIN_TOKEN ?? dev!.adminToken;
  const publicHooksUrl = env.PUBLIC_HOOKS_URL ?? `http://127.0.0.1:${env.PORT}`;

  const otlp = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracing = otlp ? startTracing({ endpoint: otlp, serviceName: env.OTEL_SERVICE_NAME ?? `refrain-${roles.join('-')}` }) : null;
  if (tracing) stops.push(() => tracing.shutdown());
  const queue: QueueBackendConfig = redisTopology
    ? { kind: 'redis', topology: redisTopology, prefix: redisKeyPrefix(redisTopology, env.QUEUE_PREFIX) }
    : { kind: 'postgres', url: databaseUrl, schema: 'bullmq' };
  const runtime = await openRuntime({
    databaseUrl,
    queue: { ...queue, ...(tracing ? { telemetry: tracing.telemetry } : {}) },
    providers,
    pools: env.POOLS ?? [],
    publicHooksUrl,
    apiKeys: roles.includes('api') ? apiKeys : [],
    logger,
  });
  stops.push(() => runtime.close());
  runtime.webhookRetryBaseMs = env.WEBHOOK_RETRY_BASE_MS;
  runtime.urlGuard = createUrlGuard(env.ALLOW_LOOPBACK_URLS);
  // A front door's callback (relay notify_hook, action callback_url) carries the door's own body (docs/doors.md).
  runtime.doorCallbackBody = createDoorCallbackBody(runtime);

  if (roles.includes('worker')) {
    const engine: RunningEngine = await startEngine(runtime, { concurrency: env.WORKER_CONCURRENCY, creditsRefreshMs: env.POOL_CREDITS_REFRESH_S * 1000 });
    stops.push(() => engine.close());
  }

  let url: string | null = null;
  if (roles.includes('api') || roles.includes('hooks')) {
    const hooks = roles.includes('hooks') ? createHooksRouter(runtime) : null;
    const defaultProvider = env.DEFAULT_PROVIDER ?? providers[0]!.name;
    const app = roles.includes('api')
      ? createApiApp(
          {
            ...runtime,
            adminToken,
            defaultProvider,
            chatMaxWaitS: env.CHAT_MAX_WAIT_S,
            bodyLimit: env.BODY_LIMIT,
            rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
            authFailuresPerMinute: env.AUTH_FAILURES_PER_MINUTE,
            connectionsPerKey: env.CONNECTIONS_PER_KEY,
            connectionsPerTenant: env.CONNECTIONS_PER_TENANT,
            idempotencyTtlHours: env.IDEMPOTENCY_TTL_HOURS,
            allowLoopbackUrls: env.ALLOW_LOOPBACK_URLS,
            ...(env.URL_GUARD_DNS ? {} : { resolveHost: null }),
          },
          { before: hooks ? [hooks] : [] },
        )
      : hooksOnlyApp(hooks!);
    const server = await listen(http.createServer(app), env.PORT, env.HOST, 'PORT');
    stops.push(() => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }));
    const addr = server.address() as AddressInfo;
    url = `http://${env.HOST}:${addr.port}`;
    if (!env.PUBLIC_HOOKS_URL) runtime.publicHooksUrl = url;
  }

  let metricsUrl: string | null = null;
  if (env.METRICS_PORT !== undefined && !roles.includes('api')) {
    const metricsServer = await listenMetrics(runtime.kit, env.METRICS_PORT, env.HOST);
    stops.push(async () => metricsServer.close());
    metricsUrl = metricsServer.url;
  }

  return {
    url,
    apiKey: roles.includes('api') ? apiKeys[0]!.key : null,
    adminToken,
    providers,
    simulatorUrl,
    metricsUrl,
    notes,
    logger,
    stop: stopAll,
  };
}

/** Reachable (a wrong password stops at once), then the masters' settings read for the start-up advice. */
async function checkRedis(topology: RedisTopology, env: RefrainEnv, logger: Logger): Promise<void> {
  if (topology.kind === 'single') await waitUntilReachable(redisTarget(topology.url), env.STARTUP_WAIT_S);
  const settings = await probeRedis(topology, { timeoutMs: env.STARTUP_WAIT_S * 1000 }).catch((err: Error) => {
    throw new StartupError(err.message, 'Check REDIS_URL, REDIS_SENTINELS / REDIS_SENTINEL_NAME or REDIS_CLUSTER_NODES, and that those servers run.', { cause: err });
  });
  for (const a of adviseOnRedis(settings)) {
    if (a.level === 'error') {
      logger.error({ node: a.node }, a.message);
      process.stderr.write(`\n!!! ${a.message}\n\n`);
    } else logger.warn({ node: a.node }, a.message);
  }
}

/** Listen, or a StartupError naming the variable when the address is taken or not ours. */
export function listen(server: http.Server, port: number, host: string, variable: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      if (err.code === 'EADDRINUSE') reject(new StartupError(`${variable} ${port} is already in use on ${host} (another process listens on ${where}).`, `Stop that process, or set ${variable} to a free port.`, { cause: err }));
      else if (err.code === 'EACCES') reject(new StartupError(`${variable} ${port} needs privileges to listen on ${where}.`, `Set ${variable} to a port above 1023.`, { cause: err }));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new StartupError(`HOST ${host} is not an address of this machine.`, 'Set HOST to one of its addresses (127.0.0.1, 0.0.0.0).', { cause: err }));
      else reject(new StartupError(`Cannot listen on ${where}: ${err.message}.`, `Check ${variable} and HOST.`, { cause: err }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

function devCredentials(dataDir: string) {
  ensureWritableFolder(path.resolve(dataDir), 'DATA_DIR');
  return loadOrCreateDevCredentials(dataDir);
}

function hooksOnlyApp(hooks: express.Router): express.Express {
  const app = express();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(hooks);
  app.use((_req, res) => {
    res.status(404).json({ status: 404, message: 'not found' });
  });
  return app;
}

/**
 * A process that cannot start says why in words and exits 1: a StartupError (what failed,
 * which path or variable, what to do) without a stack trace; anything else with its stack.
 */
export function exitOnStartFailure(err: unknown): never {
  if (isStartupError(err)) {
    process.stderr.write(`\nRefrain could not start: ${err.message}\n  What to do: ${err.hint}\n\n`);
  } else {
    process.stderr.write(`\nRefrain could not start: ${(err as Error)?.stack ?? String(err)}\n\n`);
  }
  process.exit(1);
}

/**
 * SIGTERM/SIGINT: stop taking work, let active jobs finish or park, then exit. Installed
 * before start-up finishes, so a signal during boot still shuts down cleanly.
 */
export function stopOnSignals(starting: Promise<RunningRefrain>): Promise<RunningRefrain> {
  let stopping = false;
  const onSignal = (sig: string) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    starting
      .then(async (running) => {
        running.logger.info({ signal: sig }, 'shutting down');
        await running.stop();
        process.exit(0);
      })
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  return starting.catch(exitOnStartFailure);
}
