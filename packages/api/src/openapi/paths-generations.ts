import { z } from 'zod';
import {
  createGenerationRequest,
  deliveryList,
  generationList,
  generationView,
  listGenerationsQuery,
  waitQuery,
} from '@refrain/contracts';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { API_KEY_SECURITY, problems, RATE_LIMIT, REQUEST_ID, v1Json, V1_ERRORS } from './shared';

const idParam = z.object({ id: z.string().max(200).meta({ description: 'The generation id (`gen_…`).' }) });

const idempotencyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({
      description:
        'Makes the request safe to retry (draft-ietf-httpapi-idempotency-key-header). The same key and body within 24 h (IDEMPOTENCY_TTL_HOURS) replays the first answer with `Idempotent-Replayed: true` and makes no second generation; the same key with another body → 422; while the first request still runs → 409. Keys are per tenant; only successful answers are kept.',
      example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
    }),
});

const preferHeader = z.object({
  Prefer: z.string().max(100).optional().meta({ description: '`wait=N`: the same as `?wait=N`.', example: 'wait=30' }),
});

const eventsHeader = z.object({
  'Last-Event-ID': z.string().max(20).optional().meta({ description: 'Resume after this event id (browsers send it on reconnect).' }),
});

const SSE_DESCRIPTION = [
  'Server-sent events, replayed from the start (or after `Last-Event-ID` / `?last_event_id=`) and then live; the stream ends after the final state.',
  'Each event has an `id`, an `event` (`generation`, `step` or `clip`) and JSON `data`:',
  '`generation` → `{status, error?}`; `step` → `{index, status, upstream_task_id?, clip_ids?, error?}`; `clip` → `{id, step, status, audio_url}`.',
].join(' ');

export const generationPaths: ZodOpenApiPathsObject = {
  '/v1/generations': {
    post: {
      operationId: 'createGeneration',
      tags: ['generations'],
      summary: 'Start a generation',
      description:
        'A list of 1–10 steps (`steps`) or a named `scenario` with a flat `input`. Validated, written to Postgres, then queued. Strict: unknown fields are refused (400). `audio_url` must be https to a public address.',
      security: API_KEY_SECURITY,
      requestParams: { header: idempotencyHeader },
      requestBody: { required: true, content: { 'application/json': { schema: createGenerationRequest } } },
      responses: {
        '202': v1Json('Accepted: the generation, queued.', generationView, {
          Location: { description: 'Where to follow it: `/v1/generations/{id}`.', schema: { type: 'string' } },
          'Idempotent-Replayed': { description: '`true` when this is the kept answer of an earlier request with the same `Idempotency-Key`.', schema: { type: 'string' } },
        }),
        ...problems(400, 409, 413, 415, 422),
        ...V1_ERRORS,
      },
    },
    get: {
      operationId: 'listGenerations',
      tags: ['generations'],
      summary: "The tenant's generations, newest first",
      security: API_KEY_SECURITY,
      requestParams: { query: listGenerationsQuery },
      responses: { '200': v1Json('One page; pass `next_cursor` as `cursor` for the next.', generationList), ...problems(400), ...V1_ERRORS },
    },
  },
  '/v1/generations/{id}': {
    get: {
      operationId: 'getGeneration',
      tags: ['generations'],
      summary: 'A generation',
      description: '`?wait=N` (or `Prefer: wait=N`) holds the answer up to N seconds (at most 60) until the generation is final.',
      security: API_KEY_SECURITY,
      requestParams: { path: idParam, query: waitQuery, header: preferHeader },
      responses: {
        '200': v1Json('The generation.', generationView, {
          'Preference-Applied': { description: '`wait=N` when the answer waited.', schema: { type: 'string' } },
        }),
        ...problems(400, 404),
        ...V1_ERRORS,
      },
    },
  },
  '/v1/generations/{id}/cancel': {
    post: {
      operationId: 'cancelGeneration',
      tags: ['generations'],
      summary: 'Cancel what has not started',
      description: 'Steps not yet submitted are canceled; a step already upstream keeps waiting so its result is stored. A final generation is left as it is.',
      security: API_KEY_SECURITY,
      requestParams: { path: idParam },
      responses: { '200': v1Json('The generation after canceling.', generationView), ...problems(404), ...V1_ERRORS },
    },
  },
  '/v1/generations/{id}/events': {
    get: {
      operationId: 'generationEvents',
      tags: ['generations'],
      summary: 'Live progress (server-sent events)',
      description: SSE_DESCRIPTION,
      security: API_KEY_SECURITY,
      requestParams: {
        path: idParam,
        query: z.object({ last_event_id: z.string().max(20).optional().meta({ description: 'Same as the `Last-Event-ID` header.' }) }),
        header: eventsHeader,
      },
      responses: {
        '200': {
          description: 'An event stream.',
          headers: { ...REQUEST_ID, ...RATE_LIMIT },
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
        ...problems(404),
        ...V1_ERRORS,
      },
    },
  },
  '/v1/generations/{id}/deliveries': {
    get: {
      operationId: 'generationDeliveries',
      tags: ['webhooks'],
      summary: 'Outbound webhook attempts of a generation',
      security: API_KEY_SECURITY,
      requestParams: { path: idParam },
      responses: { '200': v1Json('Every delivery and each of its attempts.', deliveryList), ...problems(404), ...V1_ERRORS },
    },
  },
};
