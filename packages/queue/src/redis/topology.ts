/** A Redis server address as the operator wrote it (`host:port`). */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * How Refrain reaches Redis. Exactly one of REDIS_URL, REDIS_SENTINELS or
 * REDIS_CLUSTER_NODES picks the kind; every Redis user builds its connection from this.
 */
export type RedisTopology =
  | { kind: 'single'; url: string; password?: string }
  | { kind: 'sentinel'; sentinels: HostPort[]; name: string; password?: string; sentinelPassword?: string }
  | { kind: 'cluster'; nodes: HostPort[]; password?: string };

export type RedisTopologyKind = RedisTopology['kind'];

export const hostPort = (a: HostPort): string => (a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`);

/** A URL with its password (and user name) replaced, for messages and logs. */
export function maskRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** The variables a topology came from, as an operator would look for them; never a password. */
export function describeTopology(t: RedisTopology): string {
  switch (t.kind) {
    case 'single':
      return `REDIS_URL=${maskRedisUrl(t.url)}`;
    case 'sentinel':
      return `REDIS_SENTINELS=${t.sentinels.map(hostPort).join(',')} (REDIS_SENTINEL_NAME=${t.name})`;
    case 'cluster':
      return `REDIS_CLUSTER_NODES=${t.nodes.map(hostPort).join(',')}`;
    default: {
      const never: never = t;
      throw new Error(`unknown Redis topology ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The key prefix of every key Refrain writes. On a Cluster, BullMQ's scripts touch many
 * keys of a queue at once and flows touch several jobs: they must all hash to one slot,
 * so the prefix becomes a hash tag (`refrain` → `{refrain}`). Elsewhere it stays as
 * configured, so a single Redis keeps the key names it always had.
 */
export function redisKeyPrefix(t: RedisTopology, queuePrefix: string): string {
  return t.kind === 'cluster' ? `{${queuePrefix}}` : queuePrefix;
}
