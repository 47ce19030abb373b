import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisTopology } from './topology';

/** A connection to one Redis, to the master behind Sentinel, or to a Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * What a connection is for. Each purpose gets the retry behaviour its user needs, on
 * every topology:
 * - `command`: queues, flows, schedulers, limits, the API's rate limit; fails fast while
 *   Redis is away (the API answers 503 instead of hanging);
 * - `blocking`: BullMQ workers (blocking commands; BullMQ requires no retry limit);
 * - `publisher`: the change channel's publishes, auto-pipelined;
 * - `subscriber`: the change channel's subscription, resubscribed after any reconnect;
 * - `probe`: the start-up check, connected on demand and retried until its deadline.
 */
export type RedisPurpose = 'command' | 'blocking' | 'publisher' | 'subscriber' | 'probe';

interface PurposeOptions {
  /** Per-command retries on a reconnect (null: until Redis is back). */
  maxRetriesPerRequest: number | null;
  enableOfflineQueue: boolean;
  enableAutoPipelining?: boolean;
  lazyConnect?: boolean;
  /** Reconnect delay in ms (the probe retries steadily; the others use ioredis' backoff). */
  retryEveryMs?: number;
}

const PURPOSES: Record<RedisPurpose, PurposeOptions> = {
  command: { maxRetriesPerRequest: 1, enableOfflineQueue: false },
  blocking: { maxRetriesPerRequest: null, enableOfflineQueue: true },
  publisher: { maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: true },
  subscriber: { maxRetriesPerRequest: null, enableOfflineQueue: true },
  probe: { maxRetriesPerRequest: 0, enableOfflineQueue: true, lazyConnect: true, retryEveryMs: 500 },
};

/**
 * A demoted master answers writes with READONLY (a failover while this connection stayed
 * up): reconnect, which asks the sentinels for the new master, and send the command again.
 */
const reconnectOnReadonly = (err: Error): 2 | false => (err.message.startsWith('READONLY') ? 2 : false);

/** The one place Redis connections are made: every Redis user of Refrain gets its client here. */
export function createRedisClient(topology: RedisTopology, purpose: RedisPurpose): RedisClient {
  const p = PURPOSES[purpose];
  const common: RedisOptions = {
    maxRetriesPerRequest: p.maxRetriesPerRequest,
    enableOfflineQueue: p.enableOfflineQueue,
    ...(p.enableAutoPipelining ? { enableAutoPipelining: true } : {}),
    ...(p.lazyConnect ? { lazyConnect: true } : {}),
    ...(p.retryEveryMs ? { retryStrategy: () => p.retryEveryMs } : {}),
  };
  let client: RedisClient;
  switch (topology.kind) {
    case 'single':
      client = new Redis(topology.url, { ...common, ...(topology.password && !new URL(topology.url).password ? { password: topology.password } : {}) });
      break;
    case 'sentinel':
      client = new Redis({
        ...common,
        sentinels: topology.sentinels,
        name: topology.name,
        ...(topology.password ? { password: topology.password } : {}),
        ...(topology.sentinelPassword ? { sentinelPassword: topology.sentinelPassword } : {}),
        // Leave the old master at once when the sentinels announce +switch-master.
        failoverDetector: true,
        reconnectOnError: reconnectOnReadonly,
        ...(p.retryEveryMs ? { sentinelRetryStrategy: () => p.retryEveryMs } : {}),
      });
      break;
    case 'cluster': {
      const { enableOfflineQueue, enableAutoPipelining, lazyConnect, retryStrategy: _nodeRetry, ...node } = common;
      const options: ClusterOptions = {
        enableOfflineQueue,
        ...(enableAutoPipelining ? { enableAutoPipelining } : {}),
        ...(lazyConnect ? { lazyConnect } : {}),
        // Writes and reads both go to the slot's master: BullMQ reads what it just wrote.
        scaleReads: 'master',
        redisOptions: { ...node, ...(topology.password ? { password: topology.password } : {}) },
        ...(p.retryEveryMs ? { clusterRetryStrategy: () => p.retryEveryMs } : {}),
      };
      client = new Cluster(topology.nodes, options);
      break;
    }
    default: {
      const never: never = topology;
      throw new Error(`unknown Redis topology ${JSON.stringify(never)}`);
    }
  }
  // Errors surface on the commands that fail; an unhandled 'error' event would crash the process.
  client.on('error', () => {});
  return client;
}

/** Whether a client talks to a Cluster (its masters are many; SCRIPT LOAD must reach each). */
export const isCluster = (client: RedisClient): client is Cluster => client instanceof Cluster;

/** Each master this client writes to: the node itself, or every master of a Cluster. */
export const mastersOf = (client: RedisClient): Redis[] => (isCluster(client) ? client.nodes('master') : [client]);

/**
 * One raw command, for libraries that speak Redis through a `sendCommand` callback. On a
 * Cluster a keyless SCRIPT LOAD would land on one random node while the EVALSHA that
 * follows goes to the key's master, so scripts are loaded on every master.
 */
export async function sendRawCommand(client: RedisClient, command: string, args: string[]): Promise<unknown> {
  if (isCluster(client) && command.toUpperCase() === 'SCRIPT' && args[0]?.toUpperCase() === 'LOAD') {
    const shas = await Promise.all(client.nodes('master').map((n) => n.call(command, ...args)));
    return shas[0];
  }
  return client.call(command, ...args);
}
