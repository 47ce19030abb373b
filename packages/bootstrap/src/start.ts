import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createApiApp } from '@refrain/api';
import type { ProviderConfig } from '@refrain/contracts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@refrain/db';
import { openRuntime, startEngine, type RunningEngine } from '@refrain/engine';
import { adviseOnRedis, probeRedis, redisKeyPrefix, type QueueBackendConfig } from '@refrain/queue';
import { createHooksRouter } from '@refrain/hooks';
import { createLogger, type Logger } from '@refrain/observability';
import { startTracing } from '@refrain/observability';
import { startSimulator } from '@refrain/simulator';
import { loadOrCreateDevCredentials } from './dev-credentials';
import type { RefrainEnv } from './env-schema';
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
  const stops: (() => Promise<void>)[] = [];

  // Redis first, with a bounded wait: a wrong sentinel list or a cluster that is down stops
  // the start with a message naming the variables, before anything else is started.
  const redisTopology = redisTopologyFromEnv(env);
  if (redisTopology) {
    for (const a of adviseOnRedis(await probeRedis(redisTopology))) {
      if (a.level === 'error') {
        logger.error({ node: a.node }, a.message);
        process.stderr.write(`\n!!! ${a.message}\n\n`);
      } else logger.warn({ node: a.node }, a.message);
    }
  }

  let embedded: EmbeddedPostgresHandle | null = null;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(env.DATA_DIR);
    databaseUrl = embedded.url;
    logger.info({ dataDir: env.DATA_DIR }, 'embedded Postgres started');
  }

  let providers = env.PROVIDERS;
  let simulatorUrl: string | null = null;
  let simulator: { close(): Promise<void> } | null = null;
  if (!providers) {
    const sim = await startSimulator({ port: 0, apiKey: 'sim-key', durationMs: env.SIM_DURATION_MS });
    simulator = sim;
    simulatorUrl = sim.url;
    providers = [{ name: 'sim', dialect: 'native', base_url: sim.url, api_key: 'sim-key', callbacks: false, paths: {}, max_rps: 100, max_in_flight: 10000, poll_interval_ms: 500, deadline_s: 600 }];
  }

  const dev = !env.API_KEYS || !env.ADMIN_TOKEN ? loadOrCreateDevCredentials(env.DATA_DIR) : null;
  const apiKeys = env.API_KEYS ?? [{ tenant: 'dev', key: dev!.apiKey }];
  const adminToken = env.ADMIN_TOKEN ?? dev!.adminToken;
  const publicHooksUrl = env.PUBLIC_HOOKS_URL ?? `http://127.0.0.1:${env.PORT}`;

  const otlp = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracing = otlp ? startTracing({ endpoint: otlp, serviceName: env.OTEL_SERVICE_NAME ?? `refrain-${roles.join('-')}` }) : null;
  const queue: QueueBackendConfig = redisTopology
    ? { kind: 'redis', topology: redisTopology, prefix: redisKeyPrefix(redisTopology, env.QUEUE_PREFIX) }
    : { kind: 'postgres', url: databaseUrl, schema: 'bullmq' };
  const runtime = await openRuntime({
    databaseUrl,
    queue: { ...queue, ...(tracing ? { telemetry: tracing.telemetry } : {}) },
    providers,
    publicHooksUrl,
    apiKeys: roles.includes('api') ? apiKeys : [],
    logger,
  });
  runtime.webhookRetryBaseMs = env.WEBHOOK_RETRY_BASE_MS;
  runtime.urlGuard = createUrlGuard(env.ALLOW_LOOPBACK_URLS);

  let engine: RunningEngine | null = null;
  if (roles.includes('worker')) engine = await startEngine(runtime, { concurrency: env.WORKER_CONCURRENCY });

  let server: http.Server | null = null;
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
            idempotencyTtlHours: env.IDEMPOTENCY_TTL_HOURS,
            allowLoopbackUrls: env.ALLOW_LOOPBACK_URLS,
            ...(env.URL_GUARD_DNS ? {} : { resolveHost: null }),
          },
          { before: hooks ? [hooks] : [] },
        )
      : hooksOnlyApp(hooks!);
    server = http.createServer(app);
    await new Promise<void>((resolve) => server!.listen(env.PORT, env.HOST, resolve));
    const addr = server.address() as AddressInfo;
    url = `http://${env.HOST}:${addr.port}`;
    if (!env.PUBLIC_HOOKS_URL) runtime.publicHooksUrl = url;
  }

  const metricsServer = env.METRICS_PORT !== undefined && !roles.includes('api') ? await listenMetrics(runtime.kit, env.METRICS_PORT, env.HOST) : null;
  stops.push(async () => metricsServer?.close());
  stops.push(async () => {
    if (server) await new Promise<void>((r) => { server!.close(() => r()); server!.closeAllConnections(); });
  });
  stops.push(async () => engine?.close());
  stops.push(async () => runtime.close());
  stops.push(async () => simulator?.close());
  stops.push(async () => embedded?.stop());
  stops.push(async () => tracing?.shutdown());

  return {
    url,
    apiKey: roles.includes('api') ? apiKeys[0]!.key : null,
    adminToken,
    providers,
    simulatorUrl,
    metricsUrl: metricsServer?.url ?? null,
    logger,
    async stop() {
      for (const s of stops) await s().catch((err) => logger.error({ err: (err as Error).message }, 'shutdown step failed'));
    },
  };
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
  return starting;
}
