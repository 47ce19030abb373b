import type { Request } from 'express';
import { HttpProblem, problem } from './problem';

/** Any error becomes problem+json; internal details stay in the log, never in the answer. */
export function toProblem(err: unknown, req: Request): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string; code?: string };
  if (e.type === 'entity.too.large') return problem(413, 'The request body is too large.');
  if (e.type === 'entity.parse.failed') return problem(400, 'The request body is not valid JSON.');
  if (e.type && e.status && e.status < 500) return problem(e.status, 'The request body could not be read.');
  if (isUnavailable(e)) {
    req.log?.error({ err: e.message }, 'dependency unavailable');
    return problem(503, 'A backing service is unavailable; try again shortly.', {}, { 'Retry-After': '5' });
  }
  req.log?.error({ err }, 'unhandled error');
  return problem(500, 'Something went wrong on our side. The request id helps us find it.');
}

/** Postgres or Redis is away. drizzle wraps the driver's error, so walk the cause chain. */
function isUnavailable(err: unknown): boolean {
  for (let e = err as { message?: string; code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001'].includes(e.code ?? '')) return true;
    if (/Connection terminated|timeout exceeded when trying to connect|Stream isn't writeable|Connection is closed|ECONNREFUSED|the database system is (starting up|shutting down)/i.test(e.message ?? '')) return true;
  }
  return false;
}
