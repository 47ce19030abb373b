import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type SimDialect, type SimulatorOptions } from '../src/index';

export const KEY = 'sim-key';

/** Answers come in four dialect shapes; tests read them as loose JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type J = any;

/** A clock the test moves by hand; status over time becomes exact instead of timing-based. */
export class FakeClock {
  t = Date.parse('2025-01-01T00:00:00Z');
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export type Sim = Awaited<ReturnType<typeof startSimulator>>;

export function boot(opts: SimulatorOptions = {}): Promise<Sim> {
  return startSimulator({ port: 0, host: '127.0.0.1', ...opts });
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: J;
}

export function authHeaders(dialect: SimDialect, key: string | null = KEY): Record<string, string> {
  if (key === null) return {};
  return dialect === 'gateway' ? { 'api-key': key } : { authorization: `Bearer ${key}` };
}

/** One HTTP call to the simulator; body parsed as JSON when it is JSON. */
export async function call(
  base: string,
  method: string,
  path: string,
  opts: { dialect?: SimDialect; key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...(opts.dialect ? authHeaders(opts.dialect, opts.key) : {}), ...opts.headers };
  let payload: string | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body: payload });
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** Shorthand per dialect, with the right auth header. */
export function dialectClient(sim: Sim, dialect: SimDialect) {
  return {
    get: (path: string, key?: string | null) => call(sim.url, 'GET', path, { dialect, key }),
    post: (path: string, body?: unknown, key?: string | null) => call(sim.url, 'POST', path, { dialect, key, body }),
  };
}

export interface WavInfo {
  channels: number;
  sampleRate: number;
  bits: number;
  dataBytes: number;
  seconds: number;
}

/** Checks the RIFF/WAVE header field by field; throws on anything wrong. */
export function parseWav(buf: Buffer): WavInfo {
  const fail = (m: string): never => {
    throw new Error(`bad WAV: ${m}`);
  };
  if (buf.length < 44) fail('too short');
  if (buf.toString('ascii', 0, 4) !== 'RIFF') fail('no RIFF');
  if (buf.readUInt32LE(4) !== buf.length - 8) fail('RIFF size');
  if (buf.toString('ascii', 8, 12) !== 'WAVE') fail('no WAVE');
  if (buf.toString('ascii', 12, 16) !== 'fmt ') fail('no fmt');
  if (buf.readUInt16LE(20) !== 1) fail('not PCM');
  const channels = buf.readUInt16LE(22);
  const sampleRate = buf.readUInt32LE(24);
  const bits = buf.readUInt16LE(34);
  if (buf.readUInt32LE(28) !== (sampleRate * channels * bits) / 8) fail('byte rate');
  if (buf.toString('ascii', 36, 40) !== 'data') fail('no data');
  const dataBytes = buf.readUInt32LE(40);
  if (dataBytes !== buf.length - 44) fail('data size');
  return { channels, sampleRate, bits, dataBytes, seconds: dataBytes / (sampleRate * channels * (bits / 8)) };
}

export async function fetchWav(url: string): Promise<{ info: WavInfo; res: Response; buf: Buffer }> {
  const res = await fetch(url);
  const buf = Buffer.from(await res.arrayBuffer());
  return { info: parseWav(buf), res, buf };
}

/** A loopback HTTP server that records every POST it gets (a notify_hook receiver). */
export async function receiver(status = 200) {
  const hits: { path: string; body: unknown; headers: IncomingHttpHeaders }[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString() || 'null'), headers: req.headers });
      res.statusCode = status;
      res.end('ok');
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hits,
    /** Resolves once `n` callbacks arrived (or rejects after `ms`). */
    async waitFor(n: number, ms = 5000): Promise<void> {
      const deadline = Date.now() + ms;
      while (hits.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} callbacks, got ${hits.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` returns a truthy value or the time runs out. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}
