import type { Response } from 'express';
import type { ZodError } from 'zod';

/** RFC 9457 problem+json. `type` links to the docs section of the problem kind. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function sendProblem(res: Response, p: HttpProblem): void {
  const requestId = res.getHeader('x-request-id');
  for (const [k, v] of Object.entries(p.headers)) res.setHeader(k, v);
  res
    .status(p.status)
    .type('application/problem+json')
    .json({
      type: `https://refrain.dev/problems/${p.status}`,
      title: p.title,
      status: p.status,
      ...(p.detail ? { detail: p.detail } : {}),
      ...(requestId ? { request_id: String(requestId) } : {}),
      ...p.extra,
    });
}

export const problem = (status: number, detail?: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  new HttpProblem(status, TITLES[status] ?? 'Error', detail, extra, headers);

export function validationProblem(err: ZodError, where: string): HttpProblem {
  const issues = err.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
    code: i.code,
  }));
  const first = issues[0];
  const stepIndex = first && first.path[0] === 'steps' && typeof first.path[1] === 'number' ? first.path[1] : undefined;
  const detail = first ? `${where}: ${first.path.join('.') || '(root)'}: ${first.message}` : `${where} is invalid`;
  return problem(400, detail, { issues, ...(stepIndex !== undefined ? { step: stepIndex } : {}) });
}
