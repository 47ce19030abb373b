import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { refrainEnv, startRefrain, type Role, type RunningRefrain } from '@refrain/bootstrap';
import type { GenerationView, ProviderConfig } from '@refrain/contracts';
import { createTestDatabase } from '@refrain/db';
import type { Logger } from '@refrain/observability';
import { startSimulator } from '@refrain/simulator';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const KEYS = { alpha: 'alpha-key-0123456789abcdef0123456789', beta: 'beta-key-0123456789abcdef0123456789' };
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

export interface Harness {
  url: string;
  /** The environment a separate app process needs to join this deployment. */
  workerEnv: Record<string, string>;
  queuePrefix: string;
  sim: Sim;
  refrain: RunningRefrain;
  api<T = unknown>(path: string, init?: { method?: string; body?: unknown; key?: string | null; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: T }>;
  waitFinal(id: string, seconds?: number): Promise<GenerationView>;
  stop(): Promise<void>;
}

/**
 * The all-in-one process on a real Postgres (its own database) and, by default, real
 * Redis (its own key prefix), with the simulator over real HTTP on loopback.
 */
export async function startHarness(opts: {
  redis?: boolean;
  simDurationMs?: number;
  providers?: (simUrl: string) => Partial<ProviderConfig>[];
  env?: Record<string, string>;
  /** Roles of the in-process Refrain; leave out 'worker' to run workers as processes (see `workerEnv`). */
  roles?: Role[];
  /** Where the in-process Refrain logs (a capture, to assert on what an operator reads). */
  logger?: Logger;
} = {}): Promise<Harness> {
  const db = await createTestDatabase(ADMIN_URL);
  const sim = await startSimulator({ port: 0, durationMs: opts.simDurationMs ?? 300, apiKey: 'sim-key' });
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const providers = (
    opts.providers?.(sim.url) ?? [{ name: 'sim', dialect: 'native', base_url: sim.url, api_key: 'sim-key', poll_interval_ms: 200 }]
  ).map((p) => ({ max_rps: 200, ...p }));
  const env = refrainEnv.parse({
    DATABASE_URL: db.url,
    ...(opts.redis === false ? {} : { REDIS_URL }),
    PROVIDERS: JSON.stringify(providers),
    API_KEYS: `alpha:${KEYS.alpha},beta:${KEYS.beta}`,
    ADMIN_TOKEN,
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    QUEUE_PREFIX: prefix,
    ...opts.env,
  });
  const refrain = await startRefrain(env, opts.roles ?? ['api', 'worker', 'hooks'], opts.logger ? { logger: opts.logger } : {});
  const url = refrain.url!;
  const api: Harness['api'] = async (path, init = {}) => {
    const key = init.key === undefined ? KEYS.alpha : init.key;
    const res = await fetch(`${url}${path}`, {
      method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body: body as never };
  };
  const workerEnv: Record<string, string> = {
    DATABASE_URL: db.url,
    ...(opts.redis === false ? {} : { REDIS_URL }),
    PROVIDERS: JSON.stringify(providers),
    API_KEYS: `alpha:${KEYS.alpha},beta:${KEYS.beta}`,
    ADMIN_TOKEN,
    PUBLIC_HOOKS_URL: url,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...opts.env,
  };
  return {
    url,
    workerEnv,
    queuePrefix: prefix,
    sim,
    refrain,
    api,
    async waitFinal(id, seconds = 30) {
      const deadline = Date.now() + seconds * 1000;
      for (;;) {
        const r = await api<GenerationView>(`/v1/generations/${id}?wait=${Math.min(10, seconds)}`);
        if (['succeeded', 'failed', 'canceled'].includes(r.body.status) || Date.now() > deadline) return r.body;
      }
    },
    async stop() {
      await refrain.stop();
      await sim.close();
      await db.drop().catch(() => {});
      if (opts.redis !== false) await dropRedisPrefix(prefix);
    },
  };
}

export async function dropRedisPrefix(prefix: string): Promise<void> {
  const r = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await r.del(...keys);
  } while (cursor !== '0');
  r.disconnect();
}
