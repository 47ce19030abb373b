import type pg from 'pg';
import type { Db } from './connect';

/**
 * The hot path (a step's state changes, the poller, POST /v1/generations) runs hand-written
 * SQL as named prepared statements: Postgres parses and plans each once per connection, and
 * no query builder runs per call. One statement per state change where it can be one
 * (data-modifying CTEs are atomic without BEGIN/COMMIT round trips). docs/performance.md.
 */
export function poolOf(db: Db): pg.Pool {
  const client = (db as unknown as { $client?: pg.Pool }).$client;
  if (!client || typeof client.query !== 'function') throw new Error('the hot path needs the drizzle database of connectDatabase (with its pg pool)');
  return client;
}

export interface Statement {
  name: string;
  text: string;
}

/** A named statement; the name must be unique per text. */
export const statement = (name: string, text: string): Statement => ({ name: `refrain_${name}`, text });

export async function run<R extends pg.QueryResultRow>(on: Db | pg.PoolClient, s: Statement, values: unknown[]): Promise<R[]> {
  const target = 'release' in on ? on : poolOf(on);
  const res = await target.query<R>({ name: s.name, text: s.text, values });
  return res.rows;
}

/** BEGIN … COMMIT on one connection of the pool (ROLLBACK on error). `begin` may carry more SQL (no parameters). */
export async function inTransaction<T>(db: Db, fn: (client: pg.PoolClient) => Promise<T>, begin = 'begin'): Promise<T> {
  const client = await poolOf(db).connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const out = await fn(client);
    await client.query('commit');
    return out;
  } catch (err) {
    await client.query('rollback').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}

/** Postgres string literal (for the few statements that must run as simple queries). */
export const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;
