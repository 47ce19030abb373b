import type { Request, Response } from 'express';
import type { OpenAiErrorBody } from '@refrain/contracts';
import { isUnstorableInput } from '../http/client-errors';
import { HttpProblem } from '../http/problem';

/** An error answered in OpenAI's shape, so OpenAI clients raise their usual exception types. */
export class OpenAiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string | null,
    readonly param: string | null = null,
    readonly generationId?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): OpenAiErrorBody {
    return {
      error: {
        message: this.message,
        type: this.type,
        param: this.param,
        code: this.code,
        ...(this.generationId ? { generation_id: this.generationId } : {}),
      },
    };
  }
}

/** OpenAI's words for our statuses; `type` is what OpenAI clients read. */
const BY_STATUS: Record<number, { type: string; code: string }> = {
  400: { type: 'invalid_request_error', code: 'invalid_request' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  404: { type: 'invalid_request_error', code: 'not_found' },
  409: { type: 'invalid_request_error', code: 'conflict' },
  413: { type: 'invalid_request_error', code: 'request_too_large' },
  415: { type: 'invalid_request_error', code: 'unsupported_media_type' },
  422: { type: 'invalid_request_error', code: 'unprocessable' },
  429: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  503: { type: 'server_error', code: 'service_unavailable' },
};

export const invalidRequest = (message: string, param: string | null = null, code = 'invalid_request') =>
  new OpenAiError(400, message, 'invalid_request_error', code, param);

/** Refrain's problem+json errors (auth, validation, planning) carried over, headers included. */
export function fromProblem(p: HttpProblem): OpenAiError {
  const kind = BY_STATUS[p.status] ?? { type: 'server_error', code: 'internal_error' };
  const issue = (p.extra.issues as { path: (string | number)[] }[] | undefined)?.[0];
  return new OpenAiError(p.status, p.detail ?? p.title, kind.type, kind.code, issue ? issue.path.join('.') : null, undefined, p.headers);
}

const UNAVAILABLE_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001'];

/** Any error becomes an OpenAI error; internal details stay in the log. */
export function toOpenAiError(err: unknown, req: Request): OpenAiError {
  if (err instanceof OpenAiError) return err;
  if (err instanceof HttpProblem) return fromProblem(err);
  const e = err as { type?: string; status?: number; message?: string; code?: string };
  if (e.type === 'entity.too.large') return new OpenAiError(413, 'The request body is too large.', 'invalid_request_error', 'request_too_large');
  if (e.type === 'entity.parse.failed') return invalidRequest('The request body is not valid JSON.', null, 'invalid_json');
  if (isUnstorableInput(err)) return invalidRequest('The request holds text that cannot be stored (invalid Unicode or a NUL character).');
  // Any other 4xx that express raises (bad %-escape in the path, undecodable gzip/br body) is the client's.
  if (e.status && e.status >= 400 && e.status < 500) return invalidRequest('The request could not be read.');
  if (UNAVAILABLE_CODES.includes(e.code ?? '') || /Connection (?:terminated|is closed)|ECONNREFUSED/i.test(e.message ?? '')) {
    req.log?.error({ err: e.message }, 'dependency unavailable');
    return new OpenAiError(503, 'A backing service is unavailable; try again shortly.', 'server_error', 'service_unavailable', null, undefined, { 'Retry-After': '5' });
  }
  req.log?.error({ err }, 'unhandled error');
  return new OpenAiError(500, 'Something went wrong on our side. The x-request-id header helps us find it.', 'server_error', 'internal_error');
}

export function sendOpenAiError(res: Response, e: OpenAiError): void {
  for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
  res.status(e.status).json(e.body());
}
