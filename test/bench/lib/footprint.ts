import type { Redis } from 'ioredis';
import type { Database } from '@refrain/db';

/** Redis `used_memory` (bytes) from INFO memory. */
export async function redisUsedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

/** Every key under `prefix:` with its MEMORY USAGE, grouped by the key's kind (the part after the queue name). */
export async function redisKeysUsage(redis: Redis, prefix: string): Promise<{ keys: number; bytes: number; byKind: Record<string, { keys: number; bytes: number }> }> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  const byKind: Record<string, { keys: number; bytes: number }> = {};
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 2000);
    cursor = next;
    if (batch.length === 0) continue;
    const pipe = redis.pipeline();
    for (const k of batch) pipe.memory('USAGE', k, 'SAMPLES', '0');
    const sizes = (await pipe.exec()) ?? [];
    batch.forEach((k, i) => {
      const size = Number(sizes[i]?.[1] ?? 0);
      const kind = kindOf(k.slice(prefix.length + 1));
      byKind[kind] ??= { keys: 0, bytes: 0 };
      byKind[kind].keys++;
      byKind[kind].bytes += size;
      keys++;
      bytes += size;
    });
  } while (cursor !== '0');
  return { keys, bytes, byKind };
}

/** `steps:gen_x-0` → `steps:<job>`, `steps:delayed` → `steps:delayed`, `limits:…` → `limits`. */
function kindOf(rest: string): string {
  const [queue, second] = rest.split(':');
  if (!second) return queue!;
  if (/^gen_|^msg_|^raw/.test(second)) return `${queue}:<job>${rest.split(':').length > 2 ? ':' + rest.split(':').slice(2).join(':') : ''}`;
  return `${queue}:${second}`;
}

/** pg_total_relation_size (table, indexes, TOAST) of every table of the public schema. */
export async function pgTableBytes(db: Database['pool']): Promise<Record<string, number>> {
  const { rows } = await db.query<{ name: string; bytes: string }>(
    `select c.relname as name, pg_total_relation_size(c.oid)::bigint as bytes
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'`,
  );
  return Object.fromEntries(rows.map((r: { name: string; bytes: string }) => [r.name, Number(r.bytes)]));
}

/** Transactions and rows written in this database so far (pg_stat_database; flushed by the server about every 0.5 s). */
export async function pgActivity(db: Database['pool']): Promise<{ xacts: number; inserted: number; updated: number; deleted: number; returned: number }> {
  const { rows } = await db.query<{ xacts: string; ins: string; upd: string; del: string; ret: string }>(
    `select xact_commit + xact_rollback as xacts, tup_inserted as ins, tup_updated as upd, tup_deleted as del, tup_returned + tup_fetched as ret
       from pg_stat_database where datname = current_database()`,
  );
  const r = rows[0]!;
  return { xacts: Number(r.xacts), inserted: Number(r.ins), updated: Number(r.upd), deleted: Number(r.del), returned: Number(r.ret) };
}

/** Calls per Redis command (INFO commandstats; the whole server, so other users of it count too). */
export async function redisCommandCalls(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info('commandstats');
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

/** Scans per table and index so far (where Postgres reads rows: pg_stat_user_tables and _indexes). */
export async function pgScans(db: Database['pool']): Promise<Record<string, Record<string, number>>> {
  const t = await db.query<{ name: string; seq_scan: string; seq_tup_read: string; idx_scan: string | null; idx_tup_fetch: string | null; n_tup_hot_upd: string; n_tup_upd: string }>(
    `select relname as name, seq_scan, seq_tup_read, idx_scan, idx_tup_fetch, n_tup_hot_upd, n_tup_upd from pg_stat_user_tables`,
  );
  const i = await db.query<{ name: string; idx_scan: string; idx_tup_read: string }>(`select indexrelname as name, idx_scan, idx_tup_read from pg_stat_user_indexes`);
  const out: Record<string, Record<string, number>> = {};
  for (const r of t.rows) {
    out[r.name] = { seq_scan: +r.seq_scan, seq_tup_read: +r.seq_tup_read, idx_scan: +(r.idx_scan ?? 0), idx_tup_fetch: +(r.idx_tup_fetch ?? 0), upd: +r.n_tup_upd, hot_upd: +r.n_tup_hot_upd };
  }
  for (const r of i.rows) out[`index ${r.name}`] = { idx_scan: +r.idx_scan, idx_tup_read: +r.idx_tup_read };
  return out;
}
