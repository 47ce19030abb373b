import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { StartupError } from '@refrain/core';
import { locateBinaries, type PostgresBinaries } from './binaries';
import { placeServer } from './placement';

export { ensureWritableFolder } from './placement';
import { initCluster, startServer, type ServerSpec } from './server';

export interface EmbeddedPostgresHandle {
  url: string;
  /** The cluster's folder (inside DATA_DIR, or under PG_RUNTIME_DIR as root: docs/architecture.md). */
  clusterDir: string;
  /** What a person should know about where the server lives (empty in the plain case). */
  notes: string[];
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Exactly this port (an error when taken); without it 54329, or any free port when that is taken. */
  port?: number;
  /** Root only: where binaries and clusters go when user postgres cannot reach DATA_DIR. */
  runtimeDir?: string;
}

export const DEFAULT_PG_RUNTIME_DIR = '/var/lib/refrain';

/**
 * The embedded default (SPEC section 6): a private Postgres server for DATA_DIR, made on
 * first use and reused afterwards. Needs nothing but Node. Every failure is a StartupError
 * that says what failed, where, and what to do.
 */
export async function startEmbeddedPostgres(dataDir: string, opts: EmbeddedOptions = {}): Promise<EmbeddedPostgresHandle> {
  const binaries = locateBinaries();
  const placed = placeServer({ dataDir, runtimeDir: opts.runtimeDir ?? DEFAULT_PG_RUNTIME_DIR, binaries });
  const spec: ServerSpec = { binDir: placed.binDir, clusterDir: placed.clusterDir, runAs: placed.runAs, port: await pickPort(opts.port) };
  const fresh = !checkVersion(placed.clusterDir, binaries);
  if (fresh) await initCluster(spec, placed.password);
  else await clearStalePid(placed.clusterDir);
  const server = await startServer(spec);
  const url = `postgres://refrain:${encodeURIComponent(placed.password)}@127.0.0.1:${spec.port}/refrain`;
  try {
    await ensureDatabase(url);
  } catch (err) {
    await server.stop();
    throw new StartupError(`The embedded Postgres started but its database could not be made: ${(err as Error).message}.`, 'Move DATA_DIR away to start afresh, or set DATABASE_URL.', { cause: err });
  }
  return { url, clusterDir: placed.clusterDir, notes: placed.notes, stop: () => server.stop() };
}

/** False when there is no cluster yet; throws when the cluster is of another Postgres version. */
function checkVersion(clusterDir: string, binaries: PostgresBinaries): boolean {
  let version: string;
  try {
    version = fs.readFileSync(path.join(clusterDir, 'PG_VERSION'), 'utf8').trim();
  } catch {
    return false;
  }
  if (version === binaries.major) return true;
  throw new StartupError(
    `The embedded Postgres cluster in ${clusterDir} was made by Postgres ${version}; this Refrain runs Postgres ${binaries.major}.`,
    `Move that folder away to start afresh (or upgrade it with pg_upgrade), or set DATABASE_URL to a Postgres ${version} server.`,
  );
}

/**
 * A server left running by a Refrain that was killed (-9) holds the cluster; one whose
 * parent is still a live Node process belongs to another Refrain and is left alone.
 */
async function clearStalePid(clusterDir: string): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  } catch {
    return;
  }
  const cmdline = (p: number) => {
    try {
      return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
    } catch {
      return null;
    }
  };
  const own = Number.isInteger(pid) && pid > 0 ? cmdline(pid) : null;
  if (own === null || !own.includes('postgres')) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  const ppid = Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
  if (/node/.test(cmdline(ppid) ?? '')) {
    throw new StartupError(
      `The embedded Postgres of this DATA_DIR is already running (pid ${pid}, started by process ${ppid}).`,
      'Another Refrain uses this DATA_DIR: stop it first, or give this one another DATA_DIR.',
    );
  }
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && cmdline(pid) !== null; i++) await new Promise((r) => setTimeout(r, 100));
  if (cmdline(pid) !== null) process.kill(pid, 'SIGKILL');
}

async function ensureDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rowCount } = await client.query(`select 1 from pg_database where datname = 'refrain'`);
    if (!rowCount) await client.query('create database refrain');
  } finally {
    await client.end();
  }
}

function portFree(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(null));
    srv.listen(port, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : port));
    });
  });
}

async function pickPort(exact?: number): Promise<number> {
  if (exact !== undefined) {
    if ((await portFree(exact)) !== null) return exact;
    throw new StartupError(`The embedded Postgres cannot listen on 127.0.0.1:${exact}: the port is in use.`, 'Stop what uses it, or choose another port.');
  }
  return (await portFree(54329)) ?? (await portFree(0))!;
}
