import { z } from 'zod';
import { generationView } from './generation';
import { WEBHOOK_EVENTS, type WebhookEvent } from './vocabulary';

/** What each outbound webhook event means, for the OpenAPI `webhooks` section. */
export const WEBHOOK_EVENT_SUMMARIES: Record<WebhookEvent, string> = {
  'generation.succeeded': 'The last step succeeded; `data.generation` holds the clips and the output.',
  'generation.failed': 'A step failed; `data.generation.error` says which and why (with the upstream\'s own words).',
  'generation.canceled': 'The generation was canceled through POST /v1/generations/{id}/cancel.',
  'step.succeeded': 'One step finished; sent once per step.',
  'clip.streaming': 'A clip can be listened to while it is still being made; sent once per clip.',
};

/**
 * The JSON body of an outbound webhook (Standard Webhooks): signed with the tenant's
 * `whsec_` secret in the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers.
 */
export const webhookPayload = (event: WebhookEvent) =>
  z.object({
    type: z.literal(event),
    timestamp: z.string().describe('When the event happened (ISO 8601).'),
    data: z.object({
      event: z.literal(event),
      generation_id: z.string(),
      generation: generationView.nullable().describe('The generation as GET /v1/generations/{id} returned it at that moment.'),
    }),
  });

export const webhookPayloads = Object.fromEntries(WEBHOOK_EVENTS.map((e) => [e, webhookPayload(e)])) as Record<
  WebhookEvent,
  ReturnType<typeof webhookPayload>
>;
