import { describe, expect, it } from 'vitest';
import { refrainEnv } from '../src/env-schema';

/** The messages parseEnv prints, one per issue, as an operator reads them. */
function problems(env: Record<string, string>): string[] {
  const r = refrainEnv.safeParse(env);
  if (r.success) return [];
  return r.error.issues.map((i) => (i.path.length ? `${String(i.path[0])}: ${i.message}` : i.message));
}

describe('Redis configuration errors', () => {
  it('refuses two Redis topologies at once, naming both variables and the three choices', () => {
    const [msg, ...rest] = problems({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_SENTINELS: '127.0.0.1:26379', REDIS_SENTINEL_NAME: 'mymaster' });
    expect(rest).toEqual([]);
    expect(msg).toContain('REDIS_URL and REDIS_SENTINELS are set together');
    expect(msg).toMatch(/exactly one of REDIS_URL .* REDIS_SENTINELS .* REDIS_CLUSTER_NODES/);
  });

  it('refuses all three at once', () => {
    const msgs = problems({ REDIS_URL: 'redis://r:6379', REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'c:7000' });
    expect(msgs).toEqual([expect.stringContaining('REDIS_URL and REDIS_SENTINELS and REDIS_CLUSTER_NODES are set together')]);
  });

  it('needs the master group name with REDIS_SENTINELS, and REDIS_SENTINELS with the sentinel-only variables', () => {
    expect(problems({ REDIS_SENTINELS: '10.0.0.1:26379' })).toEqual([expect.stringMatching(/^REDIS_SENTINEL_NAME: is required with REDIS_SENTINELS/)]);
    expect(problems({ REDIS_URL: 'redis://r:6379', REDIS_SENTINEL_NAME: 'mymaster' })).toEqual(['REDIS_SENTINEL_NAME: is set but REDIS_SENTINELS is not']);
    expect(problems({ REDIS_CLUSTER_NODES: 'c:7000', REDIS_SENTINEL_PASSWORD: 'sentinel-secret' })).toEqual(['REDIS_SENTINEL_PASSWORD: is set but REDIS_SENTINELS is not']);
  });

  it('says which item of a host:port list is wrong', () => {
    expect(problems({ REDIS_SENTINELS: 's1:26379,s2', REDIS_SENTINEL_NAME: 'm' })).toEqual(['REDIS_SENTINELS: "s2" is not host:port']);
    expect(problems({ REDIS_CLUSTER_NODES: 'c1:7000,c2:70000' })).toEqual(['REDIS_CLUSTER_NODES: "c2:70000" is not host:port']);
    expect(problems({ REDIS_CLUSTER_NODES: 'redis://c1:7000' })).toEqual(['REDIS_CLUSTER_NODES: "redis://c1:7000" is not host:port']);
    expect(problems({ REDIS_CLUSTER_NODES: ' , ' })).toEqual(['REDIS_CLUSTER_NODES: needs at least one host:port']);
  });

  it('refuses a password that would be ignored, or given twice', () => {
    expect(problems({ REDIS_PASSWORD: 'pw-without-redis' })).toEqual([expect.stringMatching(/^REDIS_PASSWORD: is set but no Redis is/)]);
    expect(problems({ REDIS_URL: 'redis://:inline@r:6379', REDIS_PASSWORD: 'another' })).toEqual(['REDIS_PASSWORD: is set and REDIS_URL carries a password too: keep one']);
  });

  it('never echoes a password in a message', () => {
    const msgs = problems({ REDIS_URL: 'redis://:hunter2-secret@r:6379', REDIS_CLUSTER_NODES: 'c:7000', REDIS_PASSWORD: 'pw-9f8e7d' }).join('\n');
    expect(msgs).not.toContain('hunter2-secret');
    expect(msgs).not.toContain('pw-9f8e7d');
  });
});
