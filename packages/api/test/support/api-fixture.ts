import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { providerConfig } from '@refrain/contracts';
import type { HostResolver } from '@refrain/core';
import { createTestDatabase } from '@refrain/db';
import { openRuntime } from '@refrain/engine';
import { createLogger, type Logger } from '@refrain/observability';
import { createApiApp, type ApiDeps } from '../../src';
import { ADMIN_URL, REDIS_URL, TEST_LOG_LEVEL } from './env';

export { ADMIN_URL, REDIS_URL };

export const KEYS = { alpha: 'alpha-key-0123456789abcdef0123456789', beta: 'beta-key-0123456789abcdef0123456789' };
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

/** Answers from a table and never touches the network: these tests stay on loopback. */
export const fakeResolver = (table: Record<string, string[]>): HostResolver => async (host) => {
  const found = table[host];
  if (!found) throw new Error(`ENOTFOUND ${host}`);
  return found;
};

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestInit {
  method?: string;
  body?: unknown;
  /** API key; null sends none. Default: alpha's. */
  key?: string | null;
  headers?: Record<string, string>;
}

export interface ApiFixture {
  url: string;
  deps: ApiDeps;
  app: express.Express;
  request<T = unknown>(path: string, init?: RequestInit): Promise<ApiResponse<T>>;
  /** Status and headers only, then hang up: for streams that do not end by themselves. */
  head(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers }>;
  /** As the admin (ADMIN_TOKEN), unless headers say otherwise. */
  admin<T = unknown>(path: string, init?: Omit<RequestInit, 'key'>): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

/**
 * The API app alone (no worker, no simulator) on its own Postgres database and Redis
 * prefix, listening on loopback. The provider points at a closed loopback port: nothing
 * here runs a step, so nothing calls it.
 */
export async function startApi(
  opts: { deps?: Partial<ApiDeps>; logger?: Logger; before?: express.Router[]; providers?: Record<string, unknown>[] } = {},
): Promise<ApiFixture> {
  const db = await createTestDatabase(ADMIN_URL);
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const logger = opts.logger ?? createLogger({ level: TEST_LOG_LEVEL });
  const runtime = await openRuntime({
    databaseUrl: db.url,
    queue: { kind: 'redis', url: REDIS_URL, prefix },
    providers: (opts.providers ?? [{ name: 'sim', dialect: 'native', models: ['chirp-v3-5', 'chirp-v4'] }]).map((p) =>
      providerConfig.parse({ base_url: 'http://127.0.0.1:9', api_key: 'provider-key-0123456789', ...p }),
    ),
    publicHooksUrl: 'http://127.0.0.1:9',
    apiKeys: [
      { tenant: 'alpha', key: KEYS.alpha },
      { tenant: 'beta', key: KEYS.beta },
    ],
    logger,
  });
  const deps: ApiDeps = { ...runtime, adminToken: ADMIN_TOKEN, defaultProvider: 'sim', resolveHost: null, ...opts.deps };
  const app = createApiApp(deps, { before: opts.before ?? [] });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const send = (path: string, init: RequestInit, signal?: AbortSignal) => {
    const key = init.key === undefined ? KEYS.alpha : init.key;
    return fetch(`${url}${path}`, {
      method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
      ...(signal ? { signal } : {}),
    });
  };
  const head: ApiFixture['head'] = async (path, init = {}) => {
    const abort = new AbortController();
    const res = await send(path, init, abort.signal);
    abort.abort();
    return { status: res.status, headers: res.headers };
  };
  const request: ApiFixture['request'] = async (path, init = {}) => {
    const res = await send(path, init);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body: body as never, text };
  };

  return {
    url,
    deps,
    app,
    request,
    head,
    admin: (path, init = {}) => request(path, { ...init, key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...init.headers } }),
    async stop() {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      const redis = runtime.kit.redis();
      if (redis) {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length) await redis.del(...keys);
      }
      await runtime.close();
      await db.drop().catch(() => {});
    },
  };
}

/** A generation body that plans on the fixture's provider. */
export const SONG = { steps: [{ op: 'generate', gpt_description_prompt: 'a calm piano song' }] };
