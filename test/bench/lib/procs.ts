import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: every process of the benchmark starts from here with `node --import tsx`. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const started = new Set<ChildProcess>();
let hooked = false;

/** A process of the benchmark (a Refrain role, the simulator, the raw BullMQ worker). */
export interface BenchProcess {
  name: string;
  child: ChildProcess;
  /** The JSON the process printed on its `ready` line. */
  ready: Promise<Record<string, unknown>>;
  output(): string;
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Starts `node [nodeArgs] --import tsx <script> [args]` with exactly `env` (plus PATH/HOME).
 * The script prints one line `{"ready": true, ...}` on stdout when it can take work.
 */
export function startProcess(
  name: string,
  script: string,
  opts: { args?: string[]; env?: Record<string, string>; nodeArgs?: string[]; readyTimeoutMs?: number } = {},
): BenchProcess {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, script), ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  if (!hooked) {
    hooked = true;
    // Last resort when the driver dies: no benchmark process is left running.
    process.once('exit', () => {
      for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });
  }
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stderr!.on('data', keep);
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${name} not ready after ${opts.readyTimeoutMs ?? 60_000} ms:\n${out.slice(-3000)}`)), opts.readyTimeoutMs ?? 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      keep(d);
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.startsWith('{"ready":true')) continue;
        clearTimeout(timer);
        resolve(JSON.parse(line) as Record<string, unknown>);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${out.slice(-3000)}`));
    });
  });
  ready.catch(() => {});
  return {
    name,
    child,
    ready,
    output: () => out,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
