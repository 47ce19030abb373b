import {
  apiKeyView,
  clipView,
  createGenerationFromScenario,
  createGenerationFromSteps,
  deliveryView,
  generationError,
  generationView,
  problem,
  stepInput,
  stepView,
  WEBHOOK_EVENTS,
  WEBHOOK_EVENT_SUMMARIES,
  webhookPayloads,
} from '@refrain/contracts';
import { createDocument, type oas31, type ZodOpenApiPathsObject } from 'zod-openapi';
import { generationPaths } from './paths-generations';
import { mediaPaths } from './paths-media';
import { doorPaths } from './paths-doors';
import { openAiPaths } from './paths-openai';
import { platformPaths } from './paths-platform';

const DESCRIPTION = `
Refrain makes music through Suno-compatible providers behind one API. A generation is a
list of 1–10 steps (generate, extend, upload, concat, cover, replace_section, stems,
persona, lyrics) run in order; it never gets lost and is never submitted twice.

* **Auth**: \`Authorization: Bearer <api key>\` on every \`/v1\` route; everything is scoped to the key's tenant
  (another tenant's generation is a 404). Admins manage keys under \`/admin/keys\` with ADMIN_TOKEN.
* **Errors**: RFC 9457 \`application/problem+json\` with \`issues\` for validation errors and the
  \`request_id\` (also in \`X-Request-Id\`). Never a stack trace.
* **Unknown fields** in JSON bodies and in the query of routes that take one are refused (400 naming them).
* **Idempotency**: \`Idempotency-Key\` on POST /v1/generations (kept 24 h).
* **Rate limits**: per API key, \`RateLimit\` / \`RateLimit-Policy\` headers, 429 with \`Retry-After\`.
* **Webhooks**: see the \`webhooks\` section; signed with the tenant's secret (Standard Webhooks).
* **Front doors** (tag \`doors\`): the relay, native, gateway and action dialects and gcui-art/suno-api's \`/api/*\`, served with
  their own bodies, answers and error envelopes; each request is an ordinary generation (docs/doors.md).

Also served, not described here: the assets of \`/docs\`, \`/web/*\` and \`/admin/queues/*\`.
`.trim();

function webhookItems(): ZodOpenApiPathsObject {
  return Object.fromEntries(
    WEBHOOK_EVENTS.map((event) => [
      event,
      {
        post: {
          operationId: `webhook_${event.replace('.', '_')}`,
          tags: ['webhooks'],
          summary: WEBHOOK_EVENT_SUMMARIES[event],
          description:
            'POSTed to the generation\'s `callback_url` when the event is in its `webhook_events`. Verify `webhook-signature` (HMAC-SHA256 over `webhook-id.webhook-timestamp.body` with the `whsec_` secret of GET /v1/webhooks/secret). Answer 2xx to acknowledge; 410 stops deliveries; anything else is retried with backoff (honouring `Retry-After`). Deliveries are at least once: use `webhook-id` to drop repeats.',
          parameters: [
            { in: 'header', name: 'webhook-id', required: true, schema: { type: 'string' }, description: 'Unique per event; the same on every retry.' },
            { in: 'header', name: 'webhook-timestamp', required: true, schema: { type: 'string' }, description: 'Unix seconds of this attempt.' },
            { in: 'header', name: 'webhook-signature', required: true, schema: { type: 'string' }, description: '`v1,<base64 HMAC-SHA256>`.' },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: webhookPayloads[event] } } },
          responses: {
            '200': { description: 'Received (any 2xx).' },
            '410': { description: 'Gone: stop sending this generation\'s events there.' },
          },
        },
      },
    ]),
  );
}

/** The OpenAPI 3.1 document, generated from the zod contracts (the same schemas that validate requests). */
export function buildOpenApiDocument(opts: { version?: string } = {}): oas31.OpenAPIObject {
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'Refrain API', version: opts.version ?? '1.0.0', description: DESCRIPTION },
    tags: [
      { name: 'generations', description: 'Make songs and follow them.' },
      { name: 'webhooks', description: 'Outbound webhooks: secret, deliveries, and the events themselves.' },
      { name: 'providers', description: 'The upstream providers behind Refrain.' },
      { name: 'openai', description: 'The OpenAI chat-completions door.' },
      { name: 'doors', description: 'Front doors: the relay, native, gateway and action dialects and gcui-art/suno-api\'s routes, served as their documents describe them (docs/doors.md).' },
      { name: 'admin', description: 'API keys and the dashboard, behind ADMIN_TOKEN.' },
      { name: 'operations', description: 'Health and metrics.' },
      { name: 'documentation', description: 'This document and its pages.' },
      { name: 'internal', description: 'Called by providers, not by clients.' },
    ],
    paths: { ...generationPaths, ...mediaPaths, ...platformPaths, ...openAiPaths, ...doorPaths() },
    webhooks: webhookItems(),
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (`rk_…`) from `pnpm keys create <tenant>` or API_KEYS.' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN.' },
        adminBasic: { type: 'http', scheme: 'basic', description: 'ADMIN_TOKEN as the password (for browsers).' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'api-key', description: 'An API key in the `api-key` header (the gateway door, as seed 001 sends it).' },
      },
      schemas: {
        Problem: problem,
        GenerationView: generationView,
        StepView: stepView,
        ClipView: clipView,
        GenerationError: generationError,
        StepInput: stepInput,
        CreateGenerationFromSteps: createGenerationFromSteps,
        CreateGenerationFromScenario: createGenerationFromScenario,
        Delivery: deliveryView,
        ApiKey: apiKeyView,
      },
    },
  });
}
