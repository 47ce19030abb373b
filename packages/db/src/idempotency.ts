import { and, eq, lt, or } from 'drizzle-orm';
import type { Db } from './connect';
import { idempotencyKeys } from './schema';

/** A finished answer kept for replay. */
export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

export interface ClaimInput {
  tenantId: string;
  key: string;
  requestHash: string;
  ttlMs: number;
  /** A request still marked running after this long is taken to have died with its process. */
  staleAfterMs: number;
  now?: Date;
}

/**
 * Claim an Idempotency-Key for a tenant, in one statement: insert it as `processing`, or
 * take over an expired key or one whose request died. When the key is held, say why:
 * same body and done → replay; another body → mismatch; same body, still running → in progress.
 */
export async function claimIdempotencyKey(db: Db, c: ClaimInput): Promise<IdempotencyClaim> {
  const now = c.now ?? new Date();
  const expiresAt = new Date(now.getTime() + c.ttlMs);
  const staleBefore = new Date(now.getTime() - c.staleAfterMs);
  const fresh = {
    requestHash: c.requestHash,
    status: 'processing',
    responseStatus: null,
    responseBody: null,
    responseHeaders: null,
    createdAt: now,
    expiresAt,
  };
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ tenantId: c.tenantId, key: c.key, ...fresh })
    .onConflictDoUpdate({
      target: [idempotencyKeys.tenantId, idempotencyKeys.key],
      set: fresh,
      setWhere: or(
        lt(idempotencyKeys.expiresAt, now),
        and(eq(idempotencyKeys.status, 'processing'), lt(idempotencyKeys.createdAt, staleBefore)),
      ),
    })
    .returning({ key: idempotencyKeys.key });
  if (claimed.length > 0) return { kind: 'claimed' };

  const [held] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, c.tenantId), eq(idempotencyKeys.key, c.key)));
  // Released between our insert and this read: the caller may simply try again.
  if (!held) return { kind: 'in_progress' };
  if (held.requestHash !== c.requestHash) return { kind: 'mismatch' };
  if (held.status !== 'done') return { kind: 'in_progress' };
  return {
    kind: 'replay',
    response: {
      status: held.responseStatus ?? 200,
      body: held.responseBody,
      headers: (held.responseHeaders as Record<string, string> | null) ?? {},
    },
  };
}

/** Keep the answer of a claimed key for replay until the key expires. */
export async function completeIdempotencyKey(db: Db, tenantId: string, key: string, response: StoredResponse): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ status: 'done', responseStatus: response.status, responseBody: response.body, responseHeaders: response.headers })
    .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key), eq(idempotencyKeys.status, 'processing')));
}

/** Forget a claimed key whose request did not succeed, so the client can try again with it. */
export async function releaseIdempotencyKey(db: Db, tenantId: string, key: string): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key), eq(idempotencyKeys.status, 'processing')));
}

/** Drop expired keys; returns how many went. */
export async function deleteExpiredIdempotencyKeys(db: Db, now = new Date()): Promise<number> {
  const gone = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.expiresAt, now))
    .returning({ key: idempotencyKeys.key });
  return gone.length;
}
