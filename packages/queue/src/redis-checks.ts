import type { Redis } from 'ioredis';

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
