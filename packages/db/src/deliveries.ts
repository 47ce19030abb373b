import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from './connect';
import { deliveries, generations } from './schema';

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  duration_ms: number;
  error: string | null;
}

/**
 * One outbound webhook per (generation, event, subject). The id is deterministic, so an
 * event noticed twice (a retried job, two workers) is delivered once. `kind` says whose body
 * it carries: a Standard Webhook of the generation, or a front door's own callback body.
 */
export async function createDelivery(
  db: Db,
  d: { id: string; generationId: string; tenantId: string; event: string; url: string; payload: unknown; kind?: 'webhook' | 'door' },
): Promise<boolean> {
  const rows = await db
    .insert(deliveries)
    .values({ ...d, status: 'pending' })
    .onConflictDoNothing()
    .returning({ id: deliveries.id });
  return rows.length > 0;
}

/** Deliveries not yet settled, for the reconciler. */
export async function pendingDeliveryIds(db: Db, limit = 1000): Promise<string[]> {
  const rows = await db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.status, 'pending')).orderBy(asc(deliveries.createdAt)).limit(limit);
  return rows.map((r) => r.id);
}

export async function loadDelivery(db: Db, id: string) {
  const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
  return row ?? null;
}

export async function recordAttempt(db: Db, id: string, attempt: DeliveryAttempt, status: 'pending' | 'delivered' | 'failed' | 'gone') {
  await db
    .update(deliveries)
    .set({ status, attempts: sql`${deliveries.attempts} || ${JSON.stringify([attempt])}::jsonb`, updatedAt: new Date() })
    .where(eq(deliveries.id, id));
}

export async function listDeliveries(db: Db, tenantId: string, generationId: string) {
  const [owner] = await db
    .select({ id: generations.id })
    .from(generations)
    .where(and(eq(generations.id, generationId), eq(generations.tenantId, tenantId)));
  if (!owner) return null;
  const rows = await db.select().from(deliveries).where(eq(deliveries.generationId, generationId)).orderBy(asc(deliveries.createdAt));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    event: r.event,
    url: r.url,
    status: r.status,
    attempts: r.attempts as DeliveryAttempt[],
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  }));
}

/** What a generation asked for: where to send webhooks and which events. */
export async function webhookTarget(db: Db, generationId: string) {
  const [row] = await db
    .select({ tenantId: generations.tenantId, url: generations.callbackUrl, events: generations.webhookEvents })
    .from(generations)
    .where(eq(generations.id, generationId));
  return row ?? null;
}
