import { z } from 'zod';
import { DIALECTS, OPS } from './vocabulary';

/**
 * Answers of the routes whose bodies are built outside the generation contracts; the
 * OpenAPI document and the end-to-end response checks read them.
 */
export const providerDescription = z.object({
  name: z.string(),
  dialect: z.enum(DIALECTS),
  operations: z.array(z.enum(OPS)),
  models: z.array(z.string()),
  default_model: z.string(),
  callbacks: z.boolean(),
  default: z.boolean(),
  limits: z.object({
    max_rps: z.number(),
    max_in_flight: z.number().int(),
    poll_interval_ms: z.number().int(),
    deadline_s: z.number().int(),
  }),
  circuit: z
    .object({
      state: z.enum(['closed', 'open', 'half_open']),
      open_until: z.string().nullable(),
      paused_until: z.string().nullable().describe('Set while the provider asked us to slow down (429).'),
    })
    .describe('The circuit breaker of this provider, shared by every worker.'),
});
export const providerList = z.object({ data: z.array(providerDescription) });

export const providerCredits = z.object({ provider: z.string(), songs_left: z.number().nullable() });

export const webhookSecret = z.object({ secret: z.string().describe('Standard Webhooks signing secret, `whsec_…`.') });

export const deliveryAttempt = z.object({
  at: z.string(),
  status: z.number().int().nullable().describe('HTTP status the receiver answered; null when it could not be reached.'),
  duration_ms: z.number(),
  error: z.string().nullable(),
});
export const deliveryView = z.object({
  id: z.string().describe('Also the `webhook-id` header of every attempt.'),
  kind: z.enum(['webhook', 'door']).describe('`webhook`: a signed Standard Webhook of the generation; `door`: a front door\'s own callback body (relay `notify_hook`, action `callback_url`; docs/doors.md).'),
  event: z.string(),
  url: z.string(),
  status: z.enum(['pending', 'delivered', 'failed', 'gone']),
  attempts: z.array(deliveryAttempt),
  created_at: z.string(),
  updated_at: z.string(),
});
export const deliveryList = z.object({ data: z.array(deliveryView) });

export const liveness = z.object({ status: z.literal('ok') });
export const readiness = z.object({
  status: z.enum(['ready', 'not ready']),
  checks: z.object({ database: z.enum(['ok', 'down']), queue: z.enum(['ok', 'down']) }),
});
