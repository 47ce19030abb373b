import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from './connect';
import { generationEvents } from './schema';

export type EventType = 'generation' | 'step' | 'clip';
export interface GenerationEvent {
  id: number;
  type: EventType;
  data: Record<string, unknown>;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Record a visible change inside the transaction that made it. */
export async function appendEvents(
  tx: Db | Tx,
  generationId: string,
  events: { type: EventType; data: Record<string, unknown> }[],
): Promise<void> {
  if (events.length === 0) return;
  await tx.insert(generationEvents).values(events.map((e) => ({ generationId, type: e.type, data: e.data })));
}

export async function eventsSince(db: Db, generationId: string, afterId: number, limit = 500): Promise<GenerationEvent[]> {
  const rows = await db
    .select()
    .from(generationEvents)
    .where(and(eq(generationEvents.generationId, generationId), gt(generationEvents.id, afterId)))
    .orderBy(asc(generationEvents.id))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, type: r.type as EventType, data: r.data as Record<string, unknown> }));
}
