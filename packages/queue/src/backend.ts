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
import { Redis } from 'ioredis';
import type { QueueName } from '@refrain/contracts';

/** Where the queues live: Redis in production, BullMQ's Postgres backend on the embedded default. */
export type QueueBackendConfig = (
  | { kind: 'redis'; url: string; prefix: string }
  | { kind: 'postgres'; url: string; schema: string }
) & { telemetry?: Telemetry }; // OpenTelemetry spans for every queue and worker (bullmq-otel), when configured

export interface QueueKit {
  readonly config: QueueBackendConfig;
  queue(name: QueueName): Queue;
  flowProducer(): FlowProducer;
  worker(name: QueueName, processor: Processor, opts?: Partial<WorkerOptions>): Worker;
  /** The shared Redis client (producers), when on Redis. */
  redis(): Redis | null;
  close(): Promise<void>;
}

/**
 * One place that knows how to build BullMQ objects for either backend. Producers share a
 * connection that fails fast when Redis is away (so the API can answer 503); workers get
 * `maxRetriesPerRequest: null` as BullMQ requires for blocking connections.
 */
export function createQueueKit(config: QueueBackendConfig): QueueKit {
  const queues = new Map<QueueName, Queue>();
  const workers: Worker[] = [];
  let flow: FlowProducer | null = null;
  let producer: Redis | null = null;

  const producerConnection = (): ConnectionOptions => {
    if (config.kind === 'postgres') return pgConnection(config) as unknown as ConnectionOptions;
    producer ??= new Redis(config.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    producer.on('error', () => {});
    return producer;
  };
  const workerConnection = (): ConnectionOptions => {
    if (config.kind === 'postgres') return pgConnection(config) as unknown as ConnectionOptions;
    const r = new Redis(config.url, { maxRetriesPerRequest: null });
    r.on('error', () => {});
    return r;
  };
  const prefix = { ...(config.kind === 'redis' ? { prefix: config.prefix } : {}), ...(config.telemetry ? { telemetry: config.telemetry } : {}) };
  const factory = config.kind === 'postgres' ? createPostgresBackend : undefined;

  return {
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
      const w = factory ? new Worker(name, processor, wopts, factory as never) : new Worker(name, processor, wopts);
      workers.push(w);
      return w;
    },
    redis: () => (config.kind === 'redis' ? ((producerConnection() as Redis) ?? null) : null),
    async close() {
      await Promise.allSettled(workers.map((w) => w.close()));
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      if (flow) await flow.close().catch(() => {});
      producer?.disconnect();
    },
  };
}

function pgConnection(config: Extract<QueueBackendConfig, { kind: 'postgres' }>) {
  return { connectionString: config.url, schema: config.schema, migrate: true, connectionTimeoutMillis: 3000 };
}
