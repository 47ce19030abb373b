import type { ZodType } from 'zod';
import { problem } from '@refrain/contracts';
import type { oas31, ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';

type Headers = Record<string, oas31.HeaderObject>;

export const textHeader = (description: string): oas31.HeaderObject => ({ description, schema: { type: 'string' } });

export const REQUEST_ID: Headers = {
  'X-Request-Id': textHeader('The id of this request (yours, when you sent a valid `X-Request-Id`); also in logs and in problem bodies as `request_id`.'),
};

/** On every answer behind an API key (draft-ietf-httpapi-ratelimit-headers-08). */
export const RATE_LIMIT: Headers = {
  RateLimit: textHeader('What is left of the key\'s quota: `"per-key"; r=<remaining>; t=<seconds to reset>`.'),
  'RateLimit-Policy': textHeader('The quota: `"per-key"; q=<requests>; w=60; pk=:<partition>:`.'),
};

export const RETRY_AFTER: Headers = { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } } };

const ERRORS: Record<number, string> = {
  400: 'The request is malformed or fails validation; `issues` lists every problem with its path. Unknown fields are refused.',
  401: 'No API key, an unknown one or a revoked one. Carries `WWW-Authenticate: Bearer`.',
  404: 'Nothing here — or it belongs to another tenant.',
  409: 'A request with the same `Idempotency-Key` is still running; retry after `Retry-After`.',
  413: 'The body is larger than the limit (64 KiB by default).',
  415: 'The body uses an encoding or charset this API does not read (admin routes: a body that is not `application/json`).',
  422: 'Understood but not possible: an unknown provider or model, an operation the provider lacks, or an `Idempotency-Key` reused with another body.',
  429: 'Over the rate limit of this API key, over its cap of long-lived connections (event streams, waits, chat completions), or too many failed authentications from this address; wait `Retry-After` seconds.',
  500: 'Something broke on our side; the body carries only the request id.',
  502: 'The upstream answered something Refrain does not pass on (clip media: an error, another content type, a refused address).',
  503: 'Postgres or the queue is unreachable; retry after `Retry-After`.',
};

export function problemResponse(status: number, description = ERRORS[status] ?? 'Error'): ZodOpenApiResponseObject {
  const extra = status === 401 ? { 'WWW-Authenticate': textHeader('`Bearer realm="refrain"`.') } : status === 429 || status === 503 || status === 409 ? RETRY_AFTER : {};
  return {
    description,
    headers: { ...REQUEST_ID, ...extra },
    content: { 'application/problem+json': { schema: problem } },
  };
}

export const problems = (...statuses: number[]): ZodOpenApiResponsesObject =>
  Object.fromEntries(statuses.map((s) => [String(s), problemResponse(s)])) as ZodOpenApiResponsesObject;

/** Errors every authenticated /v1 route can answer. */
export const V1_ERRORS = problems(401, 429, 500, 503);

export const jsonResponse = (description: string, schema: ZodType, headers: Headers = {}): ZodOpenApiResponseObject => ({
  description,
  headers: { ...REQUEST_ID, ...headers },
  content: { 'application/json': { schema } },
});

/** A /v1 answer: JSON plus the rate-limit headers. */
export const v1Json = (description: string, schema: ZodType, headers: Headers = {}): ZodOpenApiResponseObject =>
  jsonResponse(description, schema, { ...RATE_LIMIT, ...headers });

export const API_KEY_SECURITY = [{ apiKey: [] }];
export const ADMIN_SECURITY = [{ adminToken: [] }];
