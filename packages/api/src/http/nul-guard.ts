import type { NextFunction, Request, Response } from 'express';
import { problem } from './problem';


/** True when a parsed JSON value holds U+0000 in any string or key (walked without recursion). */
export function holdsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v as object)) {
        if (k.includes('\u0000')) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

/**
 * Postgres text and jsonb cannot hold U+0000: refuse it at the door (400) rather than let
 * the insert or the lookup fail later as a 500. Runs after the JSON depth limit.
 */
export function rejectNul(req: Request, _res: Response, next: NextFunction): void {
  if (/%00/i.test(req.originalUrl) || req.originalUrl.includes('\u0000')) return next(problem(400, 'The request URL holds a NUL character (%00).'));
  if (holdsNul(req.body)) return next(problem(400, 'The request body holds a NUL character (\\u0000), which no field accepts.'));
  next();
}
