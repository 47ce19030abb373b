import {
  FlowProducer,
  Queue,
  Worker,
  createPostgresBackend,
  type ConnectionOptions,
  type Telemetry,
  type Processor,
  type WorkerOptions,
} from 'bullmq';
import type { QueueName } from '@refrain/contracts';
import { RecentlyFinished, requeueOrphans, trackFinished } from './orphans';
import { createRedisClient, type RedisClient } from './redis/connect';
import type { RedisTopology } from './redis/topology';

/**
 * Where the queues live: Redis in production (one node by `url`, or any `topology`:
 * Sentinel, Cluster), BullMQ's Postgres backend on the embedded default. `prefix` is the
 * key prefix as written (hash-tagged on a Cluster: see `redisKeyPrefix`).
 */
export type QueueBackendConfig = (
  | ({ kind: 'redis'; prefix: string } & ({ url: string; topology?: never } | { topology: RedisTopology; url?: never }))
  | { kind: 'postgres'; url: string; schema: string }
) & { telemetry?: Telemetry }; // OpenTelemetry spans for every queue and worker (bullmq-otel), when configured

export type RedisQueueConfig = Extract<QueueBackendConfig, { kind: 'redis' }>;

/** The topology of a Redis queue config (a bare `url` is one node). */
export const redisTopologyOf = (config: RedisQueueConfig): RedisTopology => config.topology ?? { kind: 'single', url: config.url! };

export interface QueueKit {
  readonly config: QueueBackendConfig;
  queue(name: QueueName): Queue;
  flowProducer(): FlowProducer;
  worker(name: QueueName, processor: Processor, opts?: Partial<WorkerOptions>): Worker;
  /** The shared Redis client (producers, limits, rate limits, the watchdog), when on Redis. */
  redis(): RedisClient | null;
  /**
   * After a failover: give back jobs this process finished whose finish the new master
   * never got (they sit in active under our lock). Returns how many. 0 on Postgres.
   */
  requeueOrphans(): Promise<number>;
  close(): Promise<void>;
}

/**
 * One place that knows how to build BullMQ objects for either backend. Producers share a
 * connection that fails fast when Redis is away (so the API can answer 503); workers get
 * blocking connections, as BullMQ requires. Every Redis connection comes from
 * `createRedisClient`, so all of them follow a Sentinel failover or a Cluster's slots.
 */
export function createQueueKit(config: QueueBackendConfig): QueueKit {
  const queues = new Map<QueueName, Queue>();
  const workers: Worker[] = [];
  const finished = new RecentlyFinished();
  let flow: FlowProducer | null = null;
  let producer: RedisClient | null = null;

  const producerConnection = (): ConnectionOptions => {
    if (config.kind === 'postgres') return pgConnection(config) as unknown as ConnectionOptions;
    producer ??= createRedisClient(redisTopologyOf(config), 'command');
    return producer;
  };
  const workerConnection = (): ConnectionOptions => {
    if (config.kind === 'postgres') return pgConnection(config) as unknown as ConnectionOptions;
    return createRedisClient(redisTopologyOf(config), 'blocking');
  };
  const prefix = { ...(config.kind === 'redis' ? { prefix: config.prefix } : {}), ...(config.telemetry ? { telemetry: config.telemetry } : {}) };
  const factory = config.kind === 'postgres' ? createPostgresBackend : undefined;

  const kit: QueueKit = {
    config,
    queue(name) {
      let q = queues.get(name);
      if (!q) {
        const opts = { connection: producerConnection(), ...prefix };
        q = factory ? new Queue(name, opts, factory as never) : new Queue(name, opts);
        q.on('error', () => {});
        queues.set(name, q);
      }
      return q;
    },
    flowProducer() {
      if (!flow) {
        const opts = { connection: producerConnection(), ...prefix };
        flow = factory ? new FlowProducer(opts, factory as never) : new FlowProducer(opts);
        flow.on('error', () => {});
      }
      return flow;
    },
    worker(name, processor, opts = {}) {
      const wopts: WorkerOptions = { connection: workerConnection(), ...prefix, ...opts };
      const run = factory ? processor : trackFinished(name, processor, finished);
      const w = factory ? new Worker(name, run, wopts, factory as never) : new Worker(name, run, wopts);
      workers.push(w);
      return w;
    },
    redis: () => (config.kind === 'redis' ? (producerConnection() as RedisClient) : null),
    requeueOrphans: async () => (config.kind === 'redis' ? requeueOrphans((name) => kit.queue(name), finished) : 0),
    async close() {
      await Promise.allSettled(workers.map((w) => w.close()));
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      if (flow) await flow.close().catch(() => {});
      producer?.disconnect();
    },
  };
  return kit;
}

function pgConnection(config: Extract<QueueBackendConfig, { kind: 'postgres' }>) {
  return { connectionString: config.url, schema: config.schema, migrate: true, connectionTimeoutMillis: 3000 };
}
