import type { QueueKit } from '@refrain/queue';

type Redis = NonNullable<ReturnType<QueueKit['redis']>>;

/**
 * The shared producer connection refuses commands until it is connected (so requests fail
 * fast when Redis is down). While it is still making its first connection, wait for it
 * briefly instead, or the first requests after a start would go uncounted.
 */
export async function untilConnected(redis: Redis, timeoutMs = 2000): Promise<void> {
  if (!['wait', 'connecting', 'connect'].includes(redis.status)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
  });
}
