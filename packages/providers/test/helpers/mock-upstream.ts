import { providerConfig, type Dialect, type ProviderConfig } from '@refrain/contracts';
import { MockAgent } from 'undici';
import type { MockInterceptor } from 'undici/types/mock-interceptor';

/** Loopback origin; MockAgent answers it and never opens a socket (net connect disabled). */
export const ORIGIN = 'http://127.0.0.1:4010';
export const API_KEY = 'sk-test-secret-9f8e7d';

export function testConfig(dialect: Dialect, over: Partial<Record<keyof ProviderConfig, unknown>> = {}): ProviderConfig {
  return providerConfig.parse({ name: `test-${dialect}`, dialect, base_url: ORIGIN, api_key: API_KEY, ...over });
}

export interface Captured {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = unknown | ((c: Captured) => unknown);

function normalizeHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (Array.isArray(h)) {
    for (let i = 0; i + 1 < h.length; i += 2) out[String(h[i]).toLowerCase()] = String(h[i + 1]);
  } else {
    for (const [k, v] of Object.entries(h as Record<string, unknown>)) out[k.toLowerCase()] = String(v);
  }
  return out;
}

function capture(opts: MockInterceptor.MockResponseCallbackOptions): Captured {
  const raw = typeof opts.body === 'string' ? opts.body : opts.body ? Buffer.from(opts.body as Uint8Array).toString() : undefined;
  return {
    method: opts.method,
    path: opts.path,
    headers: normalizeHeaders(opts.headers),
    body: raw === undefined || raw === '' ? undefined : (JSON.parse(raw) as unknown),
  };
}

/** An undici MockAgent standing in for one upstream, recording every request it answers. */
export function mockUpstream() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const calls: Captured[] = [];

  function on(
    method: string,
    path: string | RegExp | ((p: string) => boolean),
    reply: Reply,
    opts: { status?: number; headers?: Record<string, string>; times?: number; raw?: boolean; delayMs?: number } = {},
  ) {
    const scope = pool
      .intercept({ method, path })
      .reply((o) => {
        const c = capture(o);
        calls.push(c);
        const data = typeof reply === 'function' ? (reply as (c: Captured) => unknown)(c) : reply;
        return {
          statusCode: opts.status ?? 200,
          data: opts.raw ? String(data) : JSON.stringify(data),
          responseOptions: { headers: { 'content-type': 'application/json', ...opts.headers } },
        };
      });
    if (opts.delayMs) scope.delay(opts.delayMs);
    if (opts.times) scope.times(opts.times);
  }

  return { agent, calls, on, close: () => agent.close() };
}
