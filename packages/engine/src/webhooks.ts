import { JOBS, QUEUES, type WebhookEvent } from '@refrain/contracts';
import { createDelivery, loadGeneration, webhookTarget } from '@refrain/db';
import { clock, type EngineDeps } from './deps';

/** Delivery ids double as BullMQ job ids and Standard Webhooks `webhook-id`: no colons. */
export const deliveryId = (generationId: string, event: WebhookEvent, subject?: string | number): string =>
  `msg_${generationId}_${event.replace('.', '_')}${subject === undefined ? '' : `_${subject}`}`;

/**
 * Queue a signed webhook for an event of a generation, when the generation asked for it.
 * The body names the event, the generation id and the generation as GET returns it — or,
 * for a generation a front door made with the door's callback (notify_hook, callback_url),
 * the door's own body (kind `door`).
 */
export async function emitWebhook(deps: EngineDeps, generationId: string, event: WebhookEvent, subject?: string | number): Promise<void> {
  const target = await webhookTarget(deps.database.db, generationId);
  if (!target?.url || !target.events.includes(event)) return;
  const doorBody = deps.doorCallbackBody ? await deps.doorCallbackBody(generationId) : null;
  const id = deliveryId(generationId, event, subject);
  const payload =
    doorBody ?? { type: event, timestamp: new Date(clock(deps)).toISOString(), data: { event, generation_id: generationId, generation: await loadGeneration(deps.database.db, generationId) } };
  const created = await createDelivery(deps.database.db, {
    id,
    generationId,
    tenantId: target.tenantId,
    event,
    kind: doorBody ? 'door' : 'webhook',
    url: target.url,
    payload,
  });
  if (created) await enqueueDelivery(deps, id, `${event} ${generationId}`);
}

/** Add the delivery job; its id is the delivery id, so adding it twice is harmless. */
export async function enqueueDelivery(deps: EngineDeps, id: string, name = 'deliver'): Promise<void> {
  await deps.kit.queue(QUEUES.deliveries).add(name, JOBS.deliver.schema.parse({ deliveryId: id }), {
    jobId: id,
    attempts: JOBS.deliver.retry.attempts,
    backoff: { type: 'custom', delay: deps.webhookRetryBaseMs ?? JOBS.deliver.retry.backoff.delay },
    removeOnComplete: { age: 3600 },
    removeOnFail: { age: 7 * 86400 },
  });
}

/** Fire-and-log: a webhook problem never fails the step that caused it. */
export function emitWebhookSafely(deps: EngineDeps, generationId: string, event: WebhookEvent, subject?: string | number): Promise<void> {
  return emitWebhook(deps, generationId, event, subject).catch((err) =>
    deps.logger.error({ generationId, event, err: (err as Error).message }, 'could not queue webhook'),
  );
}
