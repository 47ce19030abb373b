import type { NextFunction, Request, Response } from 'express';
import { problem } from './problem';

/** Deepest nesting a JSON body may have; every valid request needs fewer than 6 levels. */
export const MAX_JSON_DEPTH = 32;

/** How deep a parsed JSON value nests, walked without recursion; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v as object)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Refuse absurdly nested bodies before anything recursive (validation, JSON.stringify,
 * fingerprinting) touches them: 30,000 nested arrays fit in 64 KiB and overflow the stack.
 */
export function limitJsonDepth(limit = MAX_JSON_DEPTH) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (jsonDepth(req.body, limit) > limit) return next(problem(400, `The request body nests deeper than ${limit} levels.`));
    next();
  };
}
