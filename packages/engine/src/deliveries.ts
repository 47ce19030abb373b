import type { Job } from 'bullmq';
import { request } from 'undici';
import { Webhook } from 'standardwebhooks';
import { JOBS } from '@refrain/contracts';
import { RefrainError } from '@refrain/core';
import { getWebhookSecret, loadDelivery, recordAttempt } from '@refrain/db';
import { recordWebhookDelivery } from '@refrain/observability';
import { parseRetryAfter } from '@refrain/providers';
import { UnrecoverableError } from '@refrain/queue';
import { clock, type EngineDeps } from './deps';

const TIMEOUT_MS = 10_000;

/**
 * Deliver one webhook (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature,
 * HMAC-SHA256 with the tenant's whsec_ secret). Every attempt is recorded in Postgres.
 * 2xx: delivered. 410: the receiver is gone, stop. Anything else: retry with backoff
 * (honouring Retry-After) until the attempts run out.
 */
export function createDeliveryProcessor(deps: EngineDeps) {
  return async function deliver(job: Job): Promise<string> {
    const { deliveryId } = JOBS.deliver.schema.parse(job.data);
    const d = await loadDelivery(deps.database.db, deliveryId);
    if (!d || d.status !== 'pending') return d?.status ?? 'missing';
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const at = new Date(clock(deps));
    const blocked = deps.urlGuard ? await deps.urlGuard(d.url) : null;
    if (blocked) {
      await recordAttempt(deps.database.db, d.id, { at: at.toISOString(), status: null, duration_ms: 0, error: `refused: ${blocked}` }, 'failed');
      recordWebhookDelivery('refused');
      throw new UnrecoverableError(`webhook URL refused: ${blocked}`);
    }
    const body = JSON.stringify(d.payload);
    const secret = await getWebhookSecret(deps.database.db, d.tenantId);
    const signature = new Webhook(secret).sign(d.id, at, body);
    const started = Date.now();
    let status: number | null = null;
    let retryAfter: string | string[] | undefined;
    let error: string | null = null;
    try {
      const res = await request(d.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Refrain-Webhooks/1',
          'webhook-id': d.id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signature,
        },
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
      status = res.statusCode;
      retryAfter = res.headers['retry-after'];
      await res.body.dump();
    } catch (err) {
      error = (err as Error).message;
    }
    const ok = status !== null && status >= 200 && status < 300;
    const outcome = ok ? 'delivered' : status === 410 ? 'gone' : lastAttempt ? 'failed' : 'pending';
    await recordAttempt(deps.database.db, d.id, { at: at.toISOString(), status, duration_ms: Date.now() - started, error }, outcome);
    deps.logger.info({ deliveryId: d.id, generationId: d.generationId, event: d.event, status, outcome }, 'webhook attempt');
    recordWebhookDelivery(ok ? 'delivered' : status === 410 ? 'gone' : status === null ? 'error' : `http_${Math.floor(status / 100)}xx`);
    if (outcome === 'pending') {
      throw new RefrainError({
        code: 'upstream_unavailable',
        retry: true,
        message: `webhook receiver answered ${status ?? error}`,
        ...(retryAfter ? { retryAfterMs: parseRetryAfter(retryAfter) } : {}),
      });
    }
    return outcome;
  };
}
