import { StartupError, maskUrl } from '@refrain/core';
import { pingPostgresOnce } from '@refrain/db';
import { pingRedisOnce } from '@refrain/queue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Reachability {
  /** The variable that names the service, for the message. */
  variable: string;
  url: string;
  ping(url: string): Promise<void>;
  /** An answer that waiting cannot change (wrong password, no such database): stop at once. */
  isFinal(err: unknown): boolean;
  /** What to do when it cannot be reached. */
  hint: string;
  /** What to do when it answered but refused (wrong password, missing database). */
  refusedHint: string;
}

/**
 * A backing service named in the environment must answer before the process goes on. It
 * may still be starting (compose, k8s), so it is asked again for up to `waitS` seconds;
 * then the process stops with one message that names the variable (credentials masked).
 */
export async function waitUntilReachable(r: Reachability, waitS: number): Promise<void> {
  const until = Date.now() + waitS * 1000;
  for (;;) {
    try {
      return await r.ping(r.url);
    } catch (err) {
      const final = r.isFinal(err);
      if (final || Date.now() >= until) {
        const reason = describe(err, r.url);
        const when = final ? '' : ` (tried for ${waitS} s)`;
        throw new StartupError(`Cannot ${final ? 'use' : 'reach'} ${r.variable} (${maskUrl(r.url)}): ${reason}${when}.`, final ? r.refusedHint : r.hint, { cause: err });
      }
      await sleep(500);
    }
  }
}

function describe(err: unknown, url: string): string {
  const e = err as { code?: string; message?: string; errors?: { message?: string }[] };
  let text = e.message || e.errors?.map((x) => x.message).join('; ') || e.code || String(err);
  const password = (() => {
    try {
      return decodeURIComponent(new URL(url).password);
    } catch {
      return '';
    }
  })();
  if (password) text = text.split(password).join('***');
  return text;
}

/** pg error codes that mean "reachable, but refused": authentication, a missing database or role. */
const FINAL_PG_CODES = new Set(['28P01', '28000', '3D000', '42501']);

export const postgresTarget = (url: string): Reachability => ({
  variable: 'DATABASE_URL',
  url,
  ping: (u) => pingPostgresOnce(u),
  isFinal: (err) => FINAL_PG_CODES.has((err as { code?: string }).code ?? ''),
  hint: 'Start that Postgres server, or fix DATABASE_URL (leave it unset to use the embedded Postgres).',
  refusedHint: 'The server answered but refused: fix the user, password or database name in DATABASE_URL (or create that database).',
});

export const redisTarget = (url: string): Reachability => ({
  variable: 'REDIS_URL',
  url,
  ping: (u) => pingRedisOnce(u),
  isFinal: (err) => /NOAUTH|WRONGPASS|invalid password|invalid username/i.test((err as Error).message ?? ''),
  hint: 'Start that Redis server, or fix REDIS_URL (leave it unset to keep the queues in Postgres).',
  refusedHint: 'The server answered but refused: fix the user or password in REDIS_URL.',
});
