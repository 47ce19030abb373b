import type { RedisTopology } from '@refrain/queue';
import type { RefrainEnv } from './env-schema';

/** Which Redis the environment names (the schema already refused more than one), or null: the Postgres backend. */
export function redisTopologyFromEnv(env: RefrainEnv): RedisTopology | null {
  const password = env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {};
  if (env.REDIS_URL) return { kind: 'single', url: env.REDIS_URL, ...password };
  if (env.REDIS_SENTINELS) {
    return {
      kind: 'sentinel',
      sentinels: env.REDIS_SENTINELS,
      name: env.REDIS_SENTINEL_NAME!,
      ...password,
      ...(env.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}),
    };
  }
  if (env.REDIS_CLUSTER_NODES) return { kind: 'cluster', nodes: env.REDIS_CLUSTER_NODES, ...password };
  return null;
}
