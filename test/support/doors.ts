import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';

/** Door answers come in five shapes; tests read them as loose JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type J = any;

/**
 * What a client of a front door does, with nothing of Refrain's own client code: plain
 * HTTP with the key in the header its shape uses.
 */
export interface DoorCall {
  method?: 'GET' | 'POST';
  body?: unknown;
  /** The API key; null sends none. */
  key?: string | null;
  /** `api-key` for the gateway door (seed 001), else Bearer. */
  header?: 'bearer' | 'api-key';
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface DoorAnswer<T = J> {
  status: number;
  headers: Headers;
  body: T;
}

export async function callDoor<T = J>(base: string, path: string, init: DoorCall & { key: string | null }): Promise<DoorAnswer<T>> {
  const auth: Record<string, string> = init.key === null ? {} : init.header === 'api-key' ? { 'api-key': init.key } : { authorization: `Bearer ${init.key}` };
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
    headers: { ...auth, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

/** Ask again until `done` says so (a client polling its task), or fail after `timeoutMs`. */
export async function pollUntil<T>(ask: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await ask();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`still not done after ${timeoutMs} ms: ${JSON.stringify(v).slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The URL serves a WAV file (the simulator's audio). */
export async function expectAudio(url: unknown): Promise<void> {
  expect(typeof url === 'string' && url.length > 0, `audio url ${String(url)}`).toBe(true);
  const res = await fetch(url as string);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^audio\//);
  expect(Buffer.from(await res.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');
}

/** A seed's own example, as packages/providers/test/fixtures keeps it (copied verbatim from shared/seeds). */
export const seedExample = (name: string): J =>
  JSON.parse(readFileSync(new URL(`../../packages/providers/test/fixtures/${name}`, import.meta.url), 'utf8'));

/**
 * Every key the documented example has, with a value of the same JSON type (the examples
 * show null for "not yet", which then matches anything).
 */
export function expectSameShape(actual: unknown, example: unknown, where = 'answer'): void {
  expect(actual !== null && typeof actual === 'object', `${where} is an object`).toBe(true);
  for (const [k, v] of Object.entries(example as Record<string, unknown>)) {
    const got = (actual as Record<string, unknown>)[k];
    expect(Object.keys(actual as object), `${where} has ${k}`).toContain(k);
    if (v !== null && got !== null) expect(Array.isArray(got) ? 'array' : typeof got, `${where}.${k}`).toBe(Array.isArray(v) ? 'array' : typeof v);
  }
}

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: J;
}

/** A callback receiver on loopback (a client's notify_hook / callback_url); `failFirst` answers 503 to that many requests first. */
export async function startReceiver(opts: { failFirst?: number } = {}): Promise<{ url: string; received: Received[]; next(pred?: (r: Received) => boolean, timeoutMs?: number): Promise<Received>; close(): Promise<void> }> {
  const received: Received[] = [];
  let failures = opts.failFirst ?? 0;
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      let body: unknown = data;
      try {
        body = JSON.parse(data);
      } catch {
        // not JSON
      }
      if (failures > 0) {
        failures--;
        res.writeHead(503).end();
        return;
      }
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    async next(pred = () => true, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = received.find(pred);
        if (hit) return hit;
        if (Date.now() > end) throw new Error(`no callback after ${timeoutMs} ms (got ${received.length})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
