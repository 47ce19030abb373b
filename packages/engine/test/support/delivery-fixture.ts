import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { providerConfig, QUEUES } from '@refrain/contracts';
import { createGeneration, createTestDatabase, ensureTenant, loadDelivery, createDelivery, type DeliveryAttempt } from '@refrain/db';
import { createLogger } from '@refrain/observability';
import type { Worker } from 'bullmq';
import { backoffStrategy } from '../../src/backoff';
import { createDeliveryProcessor, enqueueDelivery, openRuntime, type EngineDeps } from '../../src';
import { ADMIN_URL, REDIS_URL, TEST_LOG_LEVEL } from './env';


export interface DeliveryFixture {
  deps: EngineDeps;
  /** Queue one webhook of `tenant` to `url` (a generation is made for it); its delivery id. */
  send(tenant: string, url: string): Promise<string>;
  delivery(id: string): Promise<{ status: string; attempts: DeliveryAttempt[] } | null>;
  stop(): Promise<void>;
}

/**
 * The delivery worker alone (20 slots, as `startEngine` runs it) on its own Postgres
 * database and Redis prefix. No step ever runs: the generations are rows for the
 * deliveries to belong to.
 */
export async function startDeliveries(overrides: Partial<EngineDeps> = {}): Promise<DeliveryFixture> {
  const db = await createTestDatabase(ADMIN_URL);
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const runtime = await openRuntime({
    databaseUrl: db.url,
    queue: { kind: 'redis', url: REDIS_URL, prefix },
    providers: [providerConfig.parse({ name: 'sim', dialect: 'native', base_url: 'http://127.0.0.1:9', api_key: 'provider-key-0123456789' })],
    publicHooksUrl: 'http://127.0.0.1:9',
    logger: createLogger({ level: TEST_LOG_LEVEL }),
  });
  const deps: EngineDeps = { ...runtime, webhookRetryBaseMs: 60_000, ...overrides };
  const worker: Worker = deps.kit.worker(QUEUES.deliveries, createDeliveryProcessor(deps), {
    concurrency: 20,
    settings: { backoffStrategy: backoffStrategy(2000) },
  });
  let n = 0;
  return {
    deps,
    async send(tenant, url) {
      await ensureTenant(deps.database.db, tenant);
      const g = await createGeneration(deps.database.db, {
        tenantId: tenant,
        provider: 'sim',
        scenario: null,
        metadata: {},
        callbackUrl: url,
        webhookEvents: ['generation.succeeded'],
        steps: [{ index: 0, op: 'generate', input: { op: 'generate', gpt_description_prompt: 'x' } }],
      } as never);
      const id = `msg_${g.id}_${n++}`;
      await createDelivery(deps.database.db, { id, generationId: g.id, tenantId: tenant, event: 'generation.succeeded', url, payload: { type: 'generation.succeeded' } });
      await enqueueDelivery(deps, id);
      return id;
    },
    async delivery(id) {
      const d = await loadDelivery(deps.database.db, id);
      return d ? { status: d.status, attempts: d.attempts as DeliveryAttempt[] } : null;
    },
    async stop() {
      await worker.close(true);
      const redis = deps.kit.redis();
      if (redis) {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length) await redis.del(...keys);
      }
      await runtime.close();
      await db.drop().catch(() => {});
    },
  };
}

export interface Receiver {
  url: string;
  port: number;
  hits: number;
  close(): Promise<void>;
}

/** A webhook receiver on a loopback address; `handle` decides how it answers. */
export function startReceiver(
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  opts: { host?: string; port?: number } = {},
): Promise<Receiver> {
  const server = http.createServer((req, res) => {
    receiver.hits++;
    req.resume();
    req.on('end', () => handle(req, res));
  });
  const receiver: Receiver = {
    url: '',
    port: 0,
    hits: 0,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
  const host = opts.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      receiver.port = (server.address() as AddressInfo).port;
      receiver.url = `http://${host}:${receiver.port}/hook`;
      resolve(receiver);
    });
  });
}

export async function until<T>(fn: () => Promise<T | undefined | null | false>, ms: number, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
