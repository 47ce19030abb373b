import type { NextFunction, Request, Response } from 'express';
import { problem } from './problem';

/** Node 20 has String.prototype.isWellFormed; the ES2023 lib this repo compiles against does not declare it. */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

type Unstorable = 'nul' | 'surrogate';

/** What in a string Postgres cannot store: U+0000, or a lone UTF-16 surrogate (`\ud800`). */
const unstorable = (s: string): Unstorable | null => (s.includes('\u0000') ? 'nul' : wellFormed(s) ? null : 'surrogate');

/** The first unstorable character kind in any string or key of a parsed JSON value (walked without recursion). */
export function findUnstorable(value: unknown): Unstorable | null {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      const bad = unstorable(v);
      if (bad) return bad;
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v as object)) {
        const bad = unstorable(k);
        if (bad) return bad;
        stack.push(child);
      }
    }
  }
  return null;
}

const MESSAGES: Record<Unstorable, string> = {
  nul: 'The request body holds a NUL character (\\u0000), which no field accepts.',
  surrogate: 'The request body holds invalid Unicode: a lone surrogate (such as \\ud800) that is not half of a pair.',
};

/**
 * Postgres text and jsonb cannot hold U+0000 or a lone surrogate: refuse them at the door
 * (400) rather than let the insert or the lookup fail later as a 500 (whose log line would
 * then quote the input). Runs after the JSON depth limit.
 */
export function rejectUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  if (/%00/i.test(req.originalUrl) || req.originalUrl.includes('\u0000')) return next(problem(400, 'The request URL holds a NUL character (%00).'));
  const bad = findUnstorable(req.body);
  if (bad) return next(problem(400, MESSAGES[bad]));
  next();
}
