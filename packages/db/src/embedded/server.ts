import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StartupError } from '@refrain/core';
import type { OsUser } from './os-user';

export interface ServerSpec {
  binDir: string;
  clusterDir: string;
  runAs: OsUser | null;
  port: number;
}

/** The server's own words, kept for a failure message (the last lines only). */
class OutputTail {
  private lines: string[] = [];
  push(chunk: Buffer): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    if (this.lines.length > 40) this.lines = this.lines.slice(-40);
  }
  text(n = 6): string {
    return this.lines.slice(-n).join('\n');
  }
}

const childEnv = { PATH: '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C', LC_MESSAGES: 'C', TZ: 'UTC' };
const spawnAs = (spec: ServerSpec, bin: string, args: string[]): ChildProcess =>
  spawn(path.join(spec.binDir, 'bin', bin), args, {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(spec.runAs ? { uid: spec.runAs.uid, gid: spec.runAs.gid } : {}),
  });

/** Make a new cluster whose superuser is `refrain` with `password`. */
export async function initCluster(spec: ServerSpec, password: string): Promise<void> {
  const pwFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'refrain-pw-')), 'pw');
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (spec.runAs) {
    fs.chownSync(path.dirname(pwFile), spec.runAs.uid, spec.runAs.gid);
    fs.chownSync(pwFile, spec.runAs.uid, spec.runAs.gid);
  }
  try {
    const child = spawnAs(spec, 'initdb', [
      `--pgdata=${spec.clusterDir}`,
      '--auth=scram-sha-256',
      '--username=refrain',
      `--pwfile=${pwFile}`,
      '--encoding=UTF8',
      '--no-locale',
    ]);
    const tail = new OutputTail();
    child.stdout!.on('data', (c: Buffer) => tail.push(c));
    child.stderr!.on('data', (c: Buffer) => tail.push(c));
    const code = await exitOf(child, 120_000);
    if (code !== 0) throw serverFailure('initdb', spec, tail.text(), code);
  } finally {
    fs.rmSync(path.dirname(pwFile), { recursive: true, force: true });
  }
}

export interface RunningServer {
  stop(): Promise<void>;
}

/** Start the postmaster on 127.0.0.1:port (TCP only) and wait until it accepts connections. */
export async function startServer(spec: ServerSpec): Promise<RunningServer> {
  const child = spawnAs(spec, 'postgres', [
    '-D', spec.clusterDir,
    '-p', String(spec.port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
  ]);
  const tail = new OutputTail();
  child.stdout!.on('data', (c: Buffer) => tail.push(c));
  // Whatever ends this process, the server is told to stop (a kill -9 leaves it: see clearStalePid).
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(serverFailure('postgres', spec, tail.text() || 'it printed nothing', 'timeout'));
    }, 60_000);
    child.stderr!.on('data', (c: Buffer) => {
      tail.push(c);
      if (c.toString('utf8').includes('ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(serverFailure('postgres', spec, err.message, null));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      reject(serverFailure('postgres', spec, tail.text(), code));
    });
  });
  return {
    async stop() {
      process.off('exit', onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGINT'); // fast shutdown: cut the clients, write a checkpoint
      const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(force);
    },
  };
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('timeout');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve(err.message);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? String(signal));
    });
  });
}

/** What the server said, turned into what failed and what to do. */
export function serverFailure(what: 'initdb' | 'postgres', spec: ServerSpec, said: string, code: number | string | null): StartupError {
  const as = spec.runAs ? ` (as user ${spec.runAs.name})` : '';
  const cause = new Error(said);
  if (/No space left on device|Disk quota exceeded/i.test(said)) {
    return new StartupError(`The disk holding the embedded Postgres cluster (${spec.clusterDir}) is full.`, 'Free some space, or point DATA_DIR at another disk.', { cause });
  }
  if (/could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(said)) {
    return new StartupError(`The embedded Postgres could not listen on 127.0.0.1:${spec.port}: the port is in use.`, 'Stop what uses it, or let Refrain pick a free port.', { cause });
  }
  if (/Permission denied|EACCES/i.test(said)) {
    return new StartupError(`The embedded Postgres${as} was denied access to its files: ${firstLine(said)}`, 'Check the owner and mode of DATA_DIR (or PG_RUNTIME_DIR), or set DATABASE_URL.', { cause });
  }
  if (/exists but is not empty/i.test(said)) {
    return new StartupError(`${spec.clusterDir} holds files but no finished Postgres cluster (a first start was interrupted?).`, 'Move that folder away and start again.', { cause });
  }
  const how = code === 'timeout' ? 'did not finish within its time limit' : `stopped (${code ?? 'no exit code'})`;
  return new StartupError(`The embedded Postgres ${what}${as} ${how}. It said:\n${indent(said || '(nothing)')}`, 'Fix what it names, move DATA_DIR away to start afresh, or set DATABASE_URL.', { cause });
}

const firstLine = (s: string) => s.split('\n').find((l) => /denied|EACCES/i.test(l))?.trim() ?? s.split('\n')[0]!;
const indent = (s: string) => s.split('\n').map((l) => `    ${l}`).join('\n');
