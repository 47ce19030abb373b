import { z } from 'zod';
import {
  apiKeyList,
  createApiKeyRequest,
  createdApiKey,
  listApiKeysQuery,
  liveness,
  providerCredits,
  providerList,
  readiness,
  webhookSecret,
} from '@refrain/contracts';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { ADMIN_SECURITY, API_KEY_SECURITY, jsonResponse, problems, REQUEST_ID, textHeader, v1Json, V1_ERRORS } from './shared';

const NO_STORE = { 'Cache-Control': textHeader('`no-store`: the body is a secret.') };
const ADMIN_ERRORS = problems(401, 429, 500, 503);
const keyIdParam = z.object({ id: z.string().max(200).meta({ description: 'The key id (`key_…`), from create or list.' }) });

const revoke = (operationId: string) => ({
  operationId,
  tags: ['admin'],
  summary: 'Revoke an API key',
  description: 'Refused from the next request on. Revoking a revoked key is fine (204).',
  security: ADMIN_SECURITY,
  requestParams: { path: keyIdParam },
  responses: { '204': { description: 'Revoked.', headers: REQUEST_ID }, ...problems(404, 415), ...ADMIN_ERRORS },
});

const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' as const } } } });

export const platformPaths: ZodOpenApiPathsObject = {
  '/v1/providers': {
    get: {
      operationId: 'listProviders',
      tags: ['providers'],
      summary: 'Configured providers, their dialect, operations and models',
      security: API_KEY_SECURITY,
      responses: { '200': v1Json('The providers.', providerList), ...V1_ERRORS },
    },
  },
  '/v1/providers/{name}/credits': {
    get: {
      operationId: 'providerCredits',
      tags: ['providers'],
      summary: "A provider's remaining credits",
      security: API_KEY_SECURITY,
      requestParams: { path: z.object({ name: z.string().max(64) }) },
      responses: { '200': v1Json('What the provider says is left.', providerCredits), ...problems(404, 422), ...V1_ERRORS },
    },
  },
  '/v1/webhooks/secret': {
    get: {
      operationId: 'getWebhookSecret',
      tags: ['webhooks'],
      summary: "The tenant's webhook signing secret",
      security: API_KEY_SECURITY,
      responses: { '200': v1Json('The secret (Standard Webhooks).', webhookSecret, NO_STORE), ...V1_ERRORS },
    },
  },
  '/v1/webhooks/secret/rotate': {
    post: {
      operationId: 'rotateWebhookSecret',
      tags: ['webhooks'],
      summary: 'Make a new webhook signing secret',
      security: API_KEY_SECURITY,
      responses: { '200': v1Json('The new secret; the old one stops signing at once.', webhookSecret, NO_STORE), ...V1_ERRORS },
    },
  },
  '/admin/keys': {
    post: {
      operationId: 'createApiKey',
      tags: ['admin'],
      summary: 'Create an API key for a tenant',
      description: 'The key is in this answer only; Refrain keeps its sha256. Creates the tenant when it is new.',
      security: ADMIN_SECURITY,
      requestBody: { required: true, content: { 'application/json': { schema: createApiKeyRequest } } },
      responses: {
        '201': jsonResponse('The new key, shown once.', createdApiKey, {
          ...NO_STORE,
          Location: textHeader('`/admin/keys/{id}`.'),
        }),
        ...problems(400, 413, 415),
        ...ADMIN_ERRORS,
      },
    },
    get: {
      operationId: 'listApiKeys',
      tags: ['admin'],
      summary: 'API keys, newest first (never the keys themselves)',
      security: ADMIN_SECURITY,
      requestParams: { query: listApiKeysQuery },
      responses: { '200': jsonResponse('The keys, with prefix, last use and revocation.', apiKeyList), ...problems(400), ...ADMIN_ERRORS },
    },
  },
  '/admin/keys/{id}': { delete: revoke('revokeApiKey') },
  '/admin/keys/{id}/revoke': { post: revoke('revokeApiKeyByPost') },
  '/admin/queues': {
    get: {
      operationId: 'dashboard',
      tags: ['admin'],
      summary: 'Bull Board, the queue dashboard',
      description: 'A web UI (its assets and API live under this path). ADMIN_TOKEN as Bearer, or as the basic-auth password.',
      security: [{ adminToken: [] }, { adminBasic: [] }],
      responses: { '200': html('The dashboard.'), ...problems(401) },
    },
  },
  '/hooks/{provider}/{token}': {
    post: {
      operationId: 'providerCallback',
      tags: ['internal'],
      summary: 'notify_hook callbacks from upstream providers',
      description:
        'Not for clients: providers call the URL Refrain gave them with each submission. The token is per step, stored hashed, compared in constant time. Answers are `{status, message}` JSON, not problem+json, because providers read none of them.',
      requestParams: { path: z.object({ provider: z.string(), token: z.string().max(200) }) },
      requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
      responses: {
        '200': { description: 'Applied (or nothing new).' },
        '400': { description: 'The body does not match the provider\'s dialect, or is not JSON.' },
        '404': { description: 'Unknown provider or token.' },
        '413': { description: 'The body is too large.' },
      },
    },
  },
  '/healthz': {
    get: { operationId: 'liveness', tags: ['operations'], summary: 'The process answers', responses: { '200': jsonResponse('Alive.', liveness) } },
  },
  '/readyz': {
    get: {
      operationId: 'readiness',
      tags: ['operations'],
      summary: 'Postgres and the queue answer',
      responses: { '200': jsonResponse('Ready.', readiness), '503': jsonResponse('Not ready; `checks` says what is down.', readiness) },
    },
  },
  '/metrics': {
    get: {
      operationId: 'metrics',
      tags: ['operations'],
      summary: 'Prometheus metrics',
      description: 'No API key; keep it off the public internet.',
      responses: { '200': { description: 'The Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  },
  '/openapi.json': {
    get: {
      operationId: 'openapi',
      tags: ['documentation'],
      summary: 'This document',
      responses: { '200': { description: 'OpenAPI 3.1, generated from the zod contracts.', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
  '/docs': {
    get: { operationId: 'docs', tags: ['documentation'], summary: 'Read and try this API in the browser', responses: { '200': html('Swagger UI over /openapi.json.') } },
  },
  '/': {
    get: { operationId: 'listeningPage', tags: ['documentation'], summary: 'The listening page', responses: { '200': html('A page that makes and plays songs with your API key.') } },
  },
};
