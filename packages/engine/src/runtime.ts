import { poolsConfig, providersConfig, type PoolConfig, type ProviderConfig } from '@refrain/contracts';
import { connectDatabase, runMigrations, seedApiKey, type Database } from '@refrain/db';
import type { Logger } from '@refrain/observability';
import { createAdapter } from '@refrain/providers';
import { createNotifier, createQueueKit, type Notifier, type QueueBackendConfig, type QueueKit } from '@refrain/queue';
import type { EngineDeps, ProviderRuntime } from './deps';
import { ProviderGuard, memoryStore, redisStore } from './limits';

export interface RuntimeConfig {
  databaseUrl: string;
  queue: QueueBackendConfig;
  providers: ProviderConfig[];
  /** POOLS (already checked against the providers by the app's env). */
  pools?: PoolConfig[];
  publicHooksUrl: string;
  apiKeys?: { tenant: string; key: string }[];
  logger: Logger;
  dbPoolSize?: number;
}

/** Every adapter's HTTP requests pass the guard's shared rate gate. */
export function buildProviders(configs: ProviderConfig[], logger: Logger, guard: ProviderGuard): Map<string, ProviderRuntime> {
  const parsed = providersConfig.parse(configs);
  return new Map(
    parsed.map((config) => [
      config.name,
      {
        config,
        adapter: createAdapter(config, {
          warn: (msg, data) => logger.warn({ provider: config.name, ...data }, msg),
          gate: guard.requestGate(config),
        }),
      },
    ]),
  );
}

/**
 * Connect everything an app needs (Postgres with migrations applied, queues, the
 * notification channel, provider adapters) once, from a config object.
 */
export async function openRuntime(cfg: RuntimeConfig): Promise<EngineDeps & { close(): Promise<void> }> {
  const database: Database = connectDatabase(cfg.databaseUrl, { max: cfg.dbPoolSize ?? 10 });
  await runMigrations(database.db);
  for (const k of cfg.apiKeys ?? []) await seedApiKey(database.db, k.tenant, k.key);
  const kit: QueueKit = createQueueKit(cfg.queue);
  const notifier: Notifier = await createNotifier(cfg.queue);
  const redis = kit.redis();
  const store = redis && cfg.queue.kind === 'redis' ? redisStore(redis, cfg.queue.prefix) : memoryStore();
  const guard = new ProviderGuard(store, cfg.logger);
  return {
    database,
    kit,
    notifier,
    guard,
    providers: buildProviders(cfg.providers, cfg.logger, guard),
    pools: new Map(poolsConfig.parse(cfg.pools ?? []).map((p) => [p.name, p])),
    logger: cfg.logger,
    publicHooksUrl: cfg.publicHooksUrl,
    async close() {
      await kit.close();
      await notifier.close();
      await database.close();
    },
  };
}
