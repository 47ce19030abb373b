import type { z } from 'zod';
import { problem } from '../../http/problem';

/**
 * A door's request body, read as its documents describe it: fields it does not know are
 * ignored (as the upstreams do), a wrong or missing one is a 400 naming it.
 */
export function parseDoorBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const input = body ?? {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw problem(400, 'The request body must be a JSON object.');
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.map(String).join('.') || 'request body';
    throw problem(400, `${where}: ${first?.message ?? 'is invalid'}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })),
    });
  }
  return parsed.data;
}

/** Comma-separated ids (`?ids=a,b`, `/feed/a,b`), de-duplicated, empty parts dropped. */
export function idList(raw: unknown): string[] {
  const parts = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  return [...new Set(parts.flatMap((p) => p.split(',')).map((s) => s.trim()).filter(Boolean))];
}

/** Most ids one feed or fetch request may ask about (Refrain's own relay adapter sends up to 1000). */
export const MAX_IDS = 1000;
