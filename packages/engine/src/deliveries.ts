import type { Job } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { JOBS } from '@refrain/contracts';
import { RefrainError } from '@refrain/core';
import { getWebhookSecret, loadDelivery, recordAttempt } from '@refrain/db';
import { recordWebhookDelivery } from '@refrain/observability';
import { parseRetryAfter } from '@refrain/providers';
import { DelayedError, UnrecoverableError } from '@refrain/queue';
import { clock, type EngineDeps } from './deps';
import { DEFAULT_DELIVERY_SLOTS_PER_TENANT, TenantSlots } from './delivery-slots';
import { postWebhook, WEBHOOK_DEADLINE_MS } from './webhook-post';

/** A delivery whose tenant has no free slot waits this long (plus jitter) and is picked up again; no attempt is spent. */
const NO_SLOT_WAIT_MS = 500;

/**
 * Deliver one webhook (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature,
 * HMAC-SHA256 with the tenant's whsec_ secret). Every attempt is recorded in Postgres.
 * 2xx: delivered. 410: the receiver is gone, stop. Anything else: retry with backoff
 * (honouring Retry-After) until the attempts run out. Redirects are not followed.
 */
export function createDeliveryProcessor(deps: EngineDeps) {
  const slots = new TenantSlots(deps.webhookSlotsPerTenant ?? DEFAULT_DELIVERY_SLOTS_PER_TENANT);
  const deadlineMs = deps.webhookDeadlineMs ?? WEBHOOK_DEADLINE_MS;
  return async function deliver(job: Job, token?: string): Promise<string> {
    const { deliveryId } = JOBS.deliver.schema.parse(job.data);
    const d = await loadDelivery(deps.database.db, deliveryId);
    if (!d || d.status !== 'pending') return d?.status ?? 'missing';
    const release = slots.take(d.tenantId);
    if (!release) {
      await job.moveToDelayed(Date.now() + NO_SLOT_WAIT_MS + Math.floor(Math.random() * NO_SLOT_WAIT_MS), token);
      throw new DelayedError();
    }
    try {
      return await attempt(deps, job, d, deadlineMs);
    } finally {
      release();
    }
  };
}

type Delivery = NonNullable<Awaited<ReturnType<typeof loadDelivery>>>;

async function attempt(deps: EngineDeps, job: Job, d: Delivery, deadlineMs: number): Promise<string> {
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const at = new Date(clock(deps));
  const verdict = deps.urlGuard ? await deps.urlGuard(d.url) : null;
  if (verdict && !verdict.allowed) {
    await recordAttempt(deps.database.db, d.id, { at: at.toISOString(), status: null, duration_ms: 0, error: `refused: ${verdict.reason}` }, 'failed');
    recordWebhookDelivery('refused');
    throw new UnrecoverableError(`webhook URL refused: ${verdict.reason}`);
  }
  const body = JSON.stringify(d.payload);
  const secret = await getWebhookSecret(deps.database.db, d.tenantId);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Refrain-Webhooks/1',
    'webhook-id': d.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(d.id, at, body),
  };
  const started = Date.now();
  const answer = await postWebhook(d.url, body, headers, { deadlineMs, addresses: verdict?.addresses ?? null });
  const status = answer.status;
  const error = answer.status === null ? answer.error : null;
  const ok = status !== null && status >= 200 && status < 300;
  const outcome = ok ? 'delivered' : status === 410 ? 'gone' : lastAttempt ? 'failed' : 'pending';
  await recordAttempt(deps.database.db, d.id, { at: at.toISOString(), status, duration_ms: Date.now() - started, error }, outcome);
  deps.logger.info({ deliveryId: d.id, generationId: d.generationId, event: d.event, status, outcome }, 'webhook attempt');
  recordWebhookDelivery(ok ? 'delivered' : status === 410 ? 'gone' : status === null ? 'error' : `http_${Math.floor(status / 100)}xx`);
  if (outcome === 'pending') {
    const retryAfter = answer.status !== null ? answer.retryAfter : undefined;
    throw new RefrainError({
      code: 'upstream_unavailable',
      retry: true,
      message: `webhook receiver answered ${status ?? error}`,
      ...(retryAfter ? { retryAfterMs: parseRetryAfter(retryAfter) } : {}),
    });
  }
  return outcome;
}
