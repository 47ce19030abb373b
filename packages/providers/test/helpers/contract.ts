import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dialect } from '@refrain/contracts';
import { startSimulator } from '@refrain/simulator';
import { expect } from 'vitest';
import { createAdapter, type ProviderAdapter, type SubmitRequest, type TaskRef, type TaskSnapshot } from '../../src';
import { testConfig } from './mock-upstream';

export const SIM_KEY = 'sim-key';
export type RunningSim = Awaited<ReturnType<typeof startSimulator>>;

export async function startSim(): Promise<RunningSim> {
  return startSimulator({ port: 0, durationMs: 0, apiKey: SIM_KEY });
}

/** Every adapter warning (unknown status words...) seen in a run: the contract expects none. */
export const WARNINGS: string[] = [];

export function simAdapter(sim: RunningSim, dialect: Dialect, over: Record<string, unknown> = {}): ProviderAdapter {
  return createAdapter(testConfig(dialect, { base_url: sim.url, api_key: SIM_KEY, max_rps: 200, ...over }), {
    timeoutMs: 5_000,
    warn: (m) => WARNINGS.push(m),
  });
}

export const refOf = (op: SubmitRequest['op'], snap: TaskSnapshot): TaskRef => ({
  taskId: snap.taskId,
  clipIds: snap.clips.map((c) => c.id),
  op,
});

/** Polls like the feed poller does until the task is final (or the test's patience ends). */
export async function untilFinal(adapter: ProviderAdapter, ref: TaskRef, timeoutMs = 10_000): Promise<TaskSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [snap] = await adapter.query([ref]);
    if (snap && snap.state !== 'running') return snap;
    if (Date.now() > deadline) throw new Error(`task ${ref.taskId} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Submits, then follows the task to its end; the clip ids come from the answer or the first poll. */
export async function run(adapter: ProviderAdapter, req: SubmitRequest, clipIds?: () => Promise<string[]>): Promise<TaskSnapshot> {
  const sub = await adapter.submit(req);
  if (sub.state !== 'running') return sub;
  const ref = refOf(req.op, sub);
  if (ref.clipIds.length === 0 && clipIds) ref.clipIds = await clipIds();
  return untilFinal(adapter, ref);
}

export function expectCompleteClips(snap: TaskSnapshot, count?: number): void {
  expect(snap.state, snap.error).toBe('complete');
  if (count !== undefined) expect(snap.clips).toHaveLength(count);
  expect(snap.clips.length).toBeGreaterThan(0);
  for (const c of snap.clips) {
    expect(c.status).toBe('complete');
    expect(c.audio_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  }
}

/** A loopback receiver for notify_hook / callback_url posts. */
export async function callbackReceiver(): Promise<{ url: string; next: () => Promise<unknown>; close: () => Promise<void> }> {
  const bodies: unknown[] = [];
  const waiting: ((b: unknown) => void)[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      res.writeHead(204).end();
      const body = JSON.parse(raw) as unknown;
      const w = waiting.shift();
      if (w) w(body);
      else bodies.push(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/test-token`,
    next: () => (bodies.length > 0 ? Promise.resolve(bodies.shift()) : new Promise((r) => waiting.push(r))),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
