import type { NextFunction, Request, Response } from 'express';
import { HttpProblem, problem } from './problem';

/**
 * Errors that express and its parsers raise for a bad request (a malformed %-escape in a
 * path parameter, an unsupported charset or encoding) carry a 4xx `status` but not always
 * a body-parser `type`. Answer them as the client error they are, in our own words,
 * instead of letting them fall through to a 500. Also the one database error that is the
 * input's fault: a character Postgres cannot store.
 */
export function clientErrors(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
  if (err instanceof HttpProblem) return next(err);
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; code?: unknown; cause?: { code?: unknown } } | null;
  // Postgres refusing a character of the input (NUL in text or jsonb): the input's fault, not ours.
  // Drizzle wraps the driver's error, so its code is on `cause`.
  const pgCode = e?.code ?? e?.cause?.code;
  if (pgCode === '22021' || pgCode === '22P05') return next(problem(400, 'The request holds a character that cannot be stored.'));
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status >= 500) return next(err);
  if (err instanceof URIError) return next(problem(400, 'The request path holds a malformed percent-encoding.'));
  if (e?.type === 'entity.too.large') return next(problem(413, 'The request body is too large.'));
  if (e?.type === 'entity.parse.failed') return next(problem(400, 'The request body is not valid JSON.'));
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return next(problem(415, 'The request body uses an encoding or charset this API does not read.'));
  }
  next(problem(status, 'The request could not be read.'));
}
