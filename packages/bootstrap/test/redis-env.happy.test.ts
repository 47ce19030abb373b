import { describe, expect, it } from 'vitest';
import { refrainEnv } from '../src/env-schema';
import { redisTopologyFromEnv } from '../src/redis-env';

const topology = (env: Record<string, string>) => redisTopologyFromEnv(refrainEnv.parse(env));

describe('which Redis the environment names', () => {
  it('reads one Redis, Sentinel or a Cluster, each with its passwords', () => {
    expect(topology({ REDIS_URL: 'redis://r:6379', REDIS_PASSWORD: 'pw' })).toEqual({ kind: 'single', url: 'redis://r:6379', password: 'pw' });
    expect(topology({ REDIS_SENTINELS: 's1:26379, [::1]:26380', REDIS_SENTINEL_NAME: 'mymaster', REDIS_PASSWORD: 'pw', REDIS_SENTINEL_PASSWORD: 'spw' })).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'mymaster',
      password: 'pw',
      sentinelPassword: 'spw',
    });
    expect(topology({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7000' })).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7000 },
      ],
    });
  });

  it('takes an empty variable (as compose writes ${VAR:-}) for unset: no Redis, the Postgres backend', () => {
    expect(topology({ REDIS_URL: '', REDIS_SENTINELS: '', REDIS_CLUSTER_NODES: '', REDIS_PASSWORD: '' })).toBeNull();
    expect(topology({ REDIS_URL: '', REDIS_CLUSTER_NODES: 'c:7000' })).toEqual({ kind: 'cluster', nodes: [{ host: 'c', port: 7000 }] });
  });
});
