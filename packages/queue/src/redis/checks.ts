import { Redis } from 'ioredis';
import { createRedisClient, isCluster, mastersOf, type RedisClient } from './connect';
import { describeTopology, type RedisTopology } from './topology';

/** Redis could not be reached at start within the bounded wait; the message names the variables. */
export class RedisUnreachableError extends Error {
  constructor(topology: RedisTopology, waitedMs: number, lastError: string | null) {
    const what =
      topology.kind === 'sentinel'
        ? `no sentinel of ${describeTopology(topology)} led to a master`
        : topology.kind === 'cluster'
          ? `no node of ${describeTopology(topology)} answered as a cluster`
          : `${describeTopology(topology)} did not answer`;
    super(`Redis is not reachable: ${what} within ${Math.round(waitedMs / 1000)} s${lastError ? ` (last error: ${lastError})` : ''}.`);
    this.name = 'RedisUnreachableError';
  }
}

/** How one master is configured, as far as Refrain cares. */
export interface RedisNodeSettings {
  node: string;
  /** null when the server does not let us read it (managed Redis often hides CONFIG). */
  maxmemoryPolicy: string | null;
  appendonly: string | null;
}

export interface RedisAdvice {
  level: 'error' | 'warn';
  node: string;
  message: string;
}

async function configValue(node: RedisClient, name: string): Promise<string | null> {
  try {
    const res = (await node.config('GET', name)) as string[];
    return res[1] ?? null;
  } catch {
    return null;
  }
}

/** Where a connection really went (behind Sentinel, the options name no host: the socket knows). */
function nodeName(n: RedisClient): string {
  if (isCluster(n)) return 'cluster';
  const socket = n.stream as { remoteAddress?: string; remotePort?: number } | undefined;
  return socket?.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : `${n.options.host}:${n.options.port}`;
}

/** The settings of every master behind a client (one node, the Sentinel master, each Cluster master). */
export async function redisMasterSettings(client: RedisClient): Promise<RedisNodeSettings[]> {
  return Promise.all(
    mastersOf(client).map(async (n) => ({
      node: nodeName(n),
      maxmemoryPolicy: await configValue(n, 'maxmemory-policy'),
      appendonly: await configValue(n, 'appendonly'),
    })),
  );
}

/** What an operator should hear about those settings: eviction loses jobs; no AOF means a restart empties the queues. */
export function adviseOnRedis(settings: readonly RedisNodeSettings[]): RedisAdvice[] {
  const out: RedisAdvice[] = [];
  for (const s of settings) {
    if (s.maxmemoryPolicy && s.maxmemoryPolicy !== 'noeviction') {
      out.push({
        level: 'error',
        node: s.node,
        message: `Redis ${s.node} has maxmemory-policy "${s.maxmemoryPolicy}": Redis may evict queue keys and lose jobs. Set maxmemory-policy noeviction.`,
      });
    }
    if (s.appendonly === 'no') {
      out.push({
        level: 'warn',
        node: s.node,
        message: `Redis ${s.node} runs without AOF (appendonly no): a restart comes back empty and Refrain rebuilds every queue from Postgres. Set appendonly yes to keep jobs across restarts.`,
      });
    }
  }
  return out;
}

/**
 * Connect once before anything else, with a bounded wait: an unreachable Redis (a wrong
 * sentinel list, a cluster that is down) stops the process with a message naming the
 * variables instead of hanging. Then read the masters' settings for the start-up advice.
 */
export async function probeRedis(topology: RedisTopology, opts: { timeoutMs?: number } = {}): Promise<RedisNodeSettings[]> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const client = createRedisClient(topology, 'probe');
  let lastError: string | null = null;
  client.on('error', (err: Error) => {
    lastError = err.message;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
    void client.connect().catch((err: Error) => {
      lastError = err.message;
    });
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    if ((await Promise.race([ready, timedOut])) === 'timeout') throw new RedisUnreachableError(topology, timeoutMs, lastError);
    return await redisMasterSettings(client);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/**
 * One connection attempt to a single Redis that gives up at once (no ioredis reconnect
 * loop): resolves when it answers PING, rejects with the reason (a wrong password says so).
 * Start-up retries it for STARTUP_WAIT_S.
 */
export async function pingRedisOnce(url: string, timeoutMs = 3000): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, connectTimeout: timeoutMs });
  r.on('error', () => {});
  try {
    await r.connect();
    await r.ping();
  } finally {
    r.disconnect();
  }
}
