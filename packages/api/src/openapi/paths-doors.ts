import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { DOORS } from '../doors';
import type { Door, DoorRoute } from '../doors/core/types';
import { API_KEY_SECURITY, REQUEST_ID, textHeader, v1Json, V1_ERRORS } from './shared';

const STATUSES = [400, 401, 404, 413, 422, 429, 500, 503] as const;

const operationId = (door: Door, r: DoorRoute) =>
  `door_${door.name}_${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+/g, '_')}`;

const pathParams = (path: string) => {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return names.length ? { path: z.object(Object.fromEntries(names.map((n) => [n, z.string().max(20_000)]))) } : undefined;
};

function operation(door: Door, r: DoorRoute): ZodOpenApiOperationObject {
  const errors = Object.fromEntries(
    STATUSES.map((s) => [
      String(s),
      {
        description: `An error in the ${door.name} door's own envelope (HTTP ${s}).${s === 401 ? ' Carries `WWW-Authenticate: Bearer`.' : ''}`,
        headers: { ...REQUEST_ID, ...(s === 401 ? { 'WWW-Authenticate': textHeader('`Bearer realm="refrain"`.') } : {}) },
        content: { 'application/json': { schema: door.errorBody } },
      },
    ]),
  );
  const params = pathParams(r.path);
  return {
    operationId: operationId(door, r),
    tags: ['doors'],
    summary: `${door.name}: ${r.summary}`,
    description: `${r.answer}${r.op ? ` Runs \`${r.op}\` as an ordinary generation.` : ''}${r.holdsS ? ` Holds the answer up to ${r.holdsS} s.` : ''} See docs/doors.md#${door.name}.`,
    security: door.auth === 'api-key' ? [{ apiKeyHeader: [] }] : API_KEY_SECURITY,
    ...(params ? { requestParams: params } : {}),
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
    responses: {
      '200': { description: r.answer, headers: REQUEST_ID, content: { 'application/json': { schema: z.unknown().meta({ description: r.answer }) } } },
      ...errors,
    },
  };
}

const doorList = z.object({
  data: z.array(
    z.object({
      name: z.string(),
      source: z.string(),
      auth: z.object({ header: z.string(), value: z.string() }),
      provider: z.string(),
      routes: z.array(z.object({ method: z.string(), path: z.string(), summary: z.string(), op: z.string().optional(), holds_s: z.number().optional() })),
      docs: z.string(),
    }),
  ),
});

/** Every door route (the same list the doors mount and GET /v1/doors shows), and GET /v1/doors. */
export function doorPaths(): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {
    '/v1/doors': {
      get: {
        operationId: 'listDoors',
        tags: ['doors'],
        summary: 'The front doors: the seed dialects and gcui-art/suno-api served by Refrain',
        security: API_KEY_SECURITY,
        responses: { '200': v1Json('The doors.', doorList), ...V1_ERRORS },
      },
    },
  };
  for (const door of DOORS) {
    for (const r of door.routes) {
      const item = (paths[r.path] ??= {}) as Record<string, ZodOpenApiOperationObject>;
      item[r.method.toLowerCase()] = operation(door, r);
    }
  }
  return paths;
}
