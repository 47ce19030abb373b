import { Redis } from 'ioredis';

/**
 * BullMQ needs `maxmemory-policy noeviction`: any other policy lets Redis drop queue keys
 * under memory pressure, which loses jobs silently. Returns the policy, or null when the
 * server does not let us read it (managed Redis often hides CONFIG).
 */
export async function redisEvictionPolicy(redis: Redis): Promise<string | null> {
  try {
    const res = (await redis.config('GET', 'maxmemory-policy')) as string[];
    return res[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * One connection attempt that gives up at once (no ioredis reconnect loop): resolves when
 * Redis answers PING, rejects with the reason otherwise. Start-up retries it for a while.
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
