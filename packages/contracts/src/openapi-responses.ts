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
    query_batch_size: z.number().int().describe('Tasks (or clip ids) per status request.'),
  }),
  circuit: z
    .object({
      state: z.enum(['closed', 'open', 'half_open']),
      open_until: z.string().nullable(),
      paused_until: z.string().nullable().describe('Set while the provider asked us to slow down (429).'),
    })
    .describe('The circuit breaker of this provider, shared by every worker.'),
  budget: z
    .object({
      max_rps: z.number(),
      effective_rps: z.number().describe('What the shared gate allows now: max_rps less its guard, and less for a while after a 429.'),
      factor: z.number().describe('1, or the share of max_rps left after a 429 (it grows back by 1 % of max_rps a second).'),
      used_last_second: z.number().int().describe('Requests every worker sent in the last whole second.'),
      spare_rps: z.number(),
      booked_ahead_ms: z.number().int().describe('How far ahead request slots are taken: 0 means a request would go at once.'),
      paused_until: z.string().nullable(),
    })
    .nullable()
    .describe('The request budget shared by every worker: submissions and status queries together (docs/architecture.md); null when the shared store cannot be read.'),
  polling: z
    .object({
      at: z.string().describe('When the last poll tick ran.'),
      waiting: z.number().int(),
      due: z.number().int().describe('Waiting tasks old enough to be done (or whose callback is overdue).'),
      asked: z.number().int(),
      requests: z.number().int(),
      overdue: z.number().int().describe('Due tasks the budget left for a later tick.'),
      callback_overdue: z.number().int(),
      effective_interval_ms: z.number().int().describe('poll_interval_ms, stretched when the budget cannot cover every due task each tick.'),
      durations: z
        .record(z.string(), z.object({ samples: z.number().int(), p05: z.number(), p50: z.number(), p95: z.number() }))
        .describe('Learned task durations per operation, in seconds.'),
    })
    .nullable()
    .describe('The last poll tick of this provider (null before the first).'),
  credits: z
    .object({ songs_left: z.number().nullable(), at: z.string(), source: z.enum(['query', 'refusal']) })
    .nullable()
    .describe('The last known credits, where the dialect reports them (pool members are asked on a schedule; a refusal for lack of credits sets 0): null when unknown.'),
  pools: z.array(z.string()).describe('The pools this provider is a member of.'),
});

export const poolDescription = z.object({
  name: z.string(),
  members: z.array(
    z.object({
      provider: z.string(),
      priority: z.number().int(),
      weight: z.number(),
      condition: z.enum(['ready', 'busy', 'resting', 'no_credits', 'unknown']).describe('How the choice policy sees the member now (docs/providers.md, "Provider pools").'),
      why: z.string(),
      credits: z.number().nullable(),
    }),
  ),
});
export const providerList = z.object({ data: z.array(providerDescription), pools: z.array(poolDescription) });

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
