import type { NextFunction, Request, Response } from 'express';
import { HttpProblem, problem } from './problem';

/**
 * Errors that express and its parsers raise for a bad request (a malformed %-escape in a
 * path parameter, an unsupported charset or encoding) carry a 4xx `status` but not always
 * a body-parser `type`. Answer them as the client error they are, in our own words,
 * instead of letting them fall through to a 500. Also the database errors that are the
 * input's fault: text Postgres cannot store or read.
 */
export function clientErrors(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
  if (err instanceof HttpProblem) return next(err);
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown } | null;
  if (isUnstorableInput(err)) return next(problem(400, 'The request holds text that cannot be stored (invalid Unicode or a NUL character).'));
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

/**
 * Postgres refusing the input's text: a NUL (22021, 22P05) or what its JSON parser cannot
 * read, such as a lone surrogate escape in jsonb (22P02). Validation refuses these first;
 * this keeps a path that slips past it a 400, not a 500. Drizzle wraps the driver's error,
 * so its code may be on `cause`.
 */
export function isUnstorableInput(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return code === '22021' || code === '22P05' || code === '22P02';
}
