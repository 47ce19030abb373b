import { EventEmitter } from 'node:events';
import pg from 'pg';
import { redisTopologyOf, type QueueBackendConfig } from './backend';
import { createRedisClient } from './redis/connect';

/**
 * One shared channel that says "generation X changed" across processes: Redis pub/sub,
 * or Postgres LISTEN/NOTIFY on the embedded default. Waiting requests subscribe here in
 * memory instead of each polling the database.
 */
export interface Notifier {
  publish(generationId: string): Promise<void>;
  subscribe(generationId: string, fn: () => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = 'refrain_generation_changed';

export async function createNotifier(config: QueueBackendConfig): Promise<Notifier> {
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const emit = (id: string) => local.emit(id);

  if (config.kind === 'redis') {
    const channel = `${config.prefix}:${CHANNEL}`;
    // Auto-pipelined publishes (many jobs at once leave in one write); a subscriber that
    // resubscribes after any reconnect, on the new master after a failover. On a Cluster,
    // PUBLISH reaches subscribers on every node.
    const topology = redisTopologyOf(config);
    const pub = createRedisClient(topology, 'publisher');
    const sub = createRedisClient(topology, 'subscriber');
    await sub.subscribe(channel);
    sub.on('message', (_c: string, id: string) => emit(id));
    return {
      async publish(id) {
        await pub.publish(channel, id).catch(() => emit(id));
      },
      subscribe: (id, fn) => {
        local.on(id, fn);
        return () => local.off(id, fn);
      },
      async close() {
        pub.disconnect();
        sub.disconnect();
      },
    };
  }

  const pool = new pg.Pool({ connectionString: config.url, max: 2 });
  pool.on('error', () => {});
  let listener: pg.Client | null = null;
  let closed = false;
  const listen = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: config.url });
    c.on('notification', (n) => n.payload && emit(n.payload));
    c.on('error', () => {
      listener = null;
      if (!closed) setTimeout(() => void listen().catch(() => {}), 1000);
    });
    await c.connect();
    await c.query(`listen ${CHANNEL}`);
    listener = c;
  };
  await listen();
  return {
    async publish(id) {
      await pool.query('select pg_notify($1, $2)', [CHANNEL, id]).catch(() => emit(id));
    },
    subscribe: (id, fn) => {
      local.on(id, fn);
      return () => local.off(id, fn);
    },
    async close() {
      closed = true;
      await listener?.end().catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}
