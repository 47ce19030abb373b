import { describe, expect, it } from 'vitest';
import { adviseOnRedis, describeTopology, redisKeyPrefix, type RedisTopology } from '../src';
import { RecentlyFinished } from '../src/orphans';

const sentinel: RedisTopology = { kind: 'sentinel', sentinels: [{ host: 's1', port: 26379 }, { host: '::1', port: 26380 }], name: 'mymaster', password: 'pw-1' };
const cluster: RedisTopology = { kind: 'cluster', nodes: [{ host: 'c1', port: 7000 }], password: 'pw-2' };

describe('Redis topology', () => {
  it('hash-tags the key prefix on a Cluster only, so one Redis keeps its key names', () => {
    expect(redisKeyPrefix(cluster, 'refrain')).toBe('{refrain}');
    expect(redisKeyPrefix(sentinel, 'refrain')).toBe('refrain');
    expect(redisKeyPrefix({ kind: 'single', url: 'redis://r:6379' }, 'refrain')).toBe('refrain');
  });

  it('names the variables an operator set, never a password', () => {
    expect(describeTopology({ kind: 'single', url: 'redis://user:hunter2@r:6379/0' })).toBe('REDIS_URL=redis://user:***@r:6379/0');
    expect(describeTopology(sentinel)).toBe('REDIS_SENTINELS=s1:26379,[::1]:26380 (REDIS_SENTINEL_NAME=mymaster)');
    expect(describeTopology(cluster)).toBe('REDIS_CLUSTER_NODES=c1:7000');
    expect([sentinel, cluster].map(describeTopology).join()).not.toMatch(/pw-/);
  });
});

describe('start-up advice on the masters', () => {
  it('calls an evicting master an error and a master without AOF a warning, and is quiet otherwise', () => {
    const advice = adviseOnRedis([
      { node: '10.0.0.1:6379', maxmemoryPolicy: 'allkeys-lru', appendonly: 'yes' },
      { node: '10.0.0.2:6379', maxmemoryPolicy: 'noeviction', appendonly: 'no' },
      { node: '10.0.0.3:6379', maxmemoryPolicy: 'noeviction', appendonly: 'yes' },
      { node: 'managed', maxmemoryPolicy: null, appendonly: null },
    ]);
    expect(advice.map((a) => [a.level, a.node])).toEqual([
      ['error', '10.0.0.1:6379'],
      ['warn', '10.0.0.2:6379'],
    ]);
    expect(advice[0]!.message).toMatch(/"allkeys-lru".*lose jobs.*noeviction/);
    expect(advice[1]!.message).toMatch(/appendonly no.*rebuilds every queue from Postgres.*appendonly yes/);
  });
});

describe('jobs finished lately (for the requeue after a failover)', () => {
  it('keeps the latest token per job, forgets after the window and beyond its size', () => {
    let now = 1_000;
    const f = new RecentlyFinished(60_000, 3, () => now);
    f.add('steps', 'g1-0', 'w:1');
    now += 1_000;
    f.add('steps', 'g1-0', 'w:2');
    f.add('deliveries', 'd1', 'w:3');
    expect(f.list().map((e) => [e.queue, e.jobId, e.token])).toEqual([
      ['steps', 'g1-0', 'w:2'],
      ['deliveries', 'd1', 'w:3'],
    ]);
    f.add('steps', 'g2-0', 'w:4');
    f.add('steps', 'g3-0', 'w:5');
    expect(f.list().map((e) => e.jobId)).toEqual(['d1', 'g2-0', 'g3-0']);
    now += 60_001;
    expect(f.list()).toEqual([]);
  });
});
