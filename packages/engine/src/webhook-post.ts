import { Agent, request } from 'undici';
import { pinnedLookup } from '@refrain/core';

/** How long one webhook attempt may take in all: connecting, the answer's headers and the bounded read of its body. */
export const WEBHOOK_DEADLINE_MS = 10_000;
/** At most this much of a receiver's answer is read (and thrown away): only its status counts. */
export const MAX_WEBHOOK_ANSWER_BYTES = 1024;

export interface WebhookPostOptions {
  deadlineMs: number;
  /**
   * The addresses the URL guard judged: the socket connects to these and never resolves
   * the name again (DNS rebinding). null: no guard ran, the name is resolved as usual.
   */
  addresses: readonly string[] | null;
}

/**
 * An attempt's outcome as it is recorded and shown to the tenant. The error is one of two
 * fixed phrases: no address, port, TLS or socket detail, which would describe a host's
 * state (the delivery log must not work as a port scanner).
 */
export type WebhookAnswer = { status: number; retryAfter?: string | string[] } | { status: null; error: string };

/**
 * POST one signed webhook. Every failure is an answer, never a throw. The deadline is a
 * hard one: undici's own timeouts restart with every chunk, so a receiver that trickles a
 * byte at a time could otherwise hold the attempt (and a delivery slot) for as long as it likes.
 */
export async function postWebhook(url: string, body: string, headers: Record<string, string>, opts: WebhookPostOptions): Promise<WebhookAnswer> {
  const signal = AbortSignal.timeout(opts.deadlineMs);
  // One connection per attempt, to the checked addresses only; closed whatever happens.
  const dispatcher = opts.addresses ? new Agent({ connect: { lookup: pinnedLookup(opts.addresses) }, connections: 1 }) : undefined;
  try {
    const res = await request(url, {
      method: 'POST',
      body,
      headers,
      signal,
      headersTimeout: opts.deadlineMs,
      bodyTimeout: opts.deadlineMs,
      ...(dispatcher ? { dispatcher } : {}),
    });
    const retryAfter = res.headers['retry-after'];
    // The status is what counts; a body that is large or slow is cut, not waited for.
    await res.body.dump({ limit: MAX_WEBHOOK_ANSWER_BYTES, signal }).catch(() => undefined);
    return { status: res.statusCode, ...(retryAfter ? { retryAfter } : {}) };
  } catch {
    return { status: null, error: signal.aborted ? `timed out after ${opts.deadlineMs / 1000} s` : 'connection failed' };
  } finally {
    await dispatcher?.destroy().catch(() => undefined);
  }
}
