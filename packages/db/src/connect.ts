import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema';

export type Db = NodePgDatabase<typeof schema>;
export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface ConnectOptions {
  max?: number;
  /** Fail fast instead of hanging when Postgres is down. */
  connectionTimeoutMillis?: number;
  statementTimeoutMs?: number;
}

export function connectDatabase(url: string, opts: ConnectOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 3000,
    statement_timeout: opts.statementTimeoutMs ?? 15000,
  });
  // A dropped connection must not crash the process: idle ones report on the pool, and a
  // checked-out one (inside a transaction when Postgres restarts) on the client itself,
  // where pg-pool listens only while it is idle. The query in flight fails and is retried.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}

/** Apply the checked-in drizzle-kit migrations (idempotent; serialised by drizzle's own lock table). */
export async function runMigrations(db: Db): Promise<void> {
  await db.execute('select pg_advisory_lock(748213)');
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS });
  } finally {
    await db.execute('select pg_advisory_unlock(748213)');
  }
}

/** One connection attempt to `url`; rejects with pg's error (its `code` tells auth from absence). */
export async function pingPostgresOnce(url: string, timeoutMs = 3000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => {});
  }
}
