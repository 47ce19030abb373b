import { z } from 'zod';
import type { Warn } from './status';

/** The id an item names, for the log line about it (whatever else is wrong with it). */
function idOf(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const rec = item as Record<string, unknown>;
  for (const k of ['task_id', 'id', 'song_id', 'clip_id']) if (typeof rec[k] === 'string') return rec[k];
  return undefined;
}

/**
 * Validates each task (or clip) of a batched status answer on its own. One that does not
 * match is reported with what was unexpected and left out: the others are applied, and the
 * odd one waits for a later answer or its own deadline. The answer as a whole is fine, so
 * nothing here counts against the provider.
 */
export function parseItems<T>(items: readonly unknown[], schema: z.ZodType<T>, ctx: { dialect: string; what: string; warn?: Warn }): T[] {
  const out: T[] = [];
  for (const item of items) {
    const parsed = schema.safeParse(item);
    if (parsed.success) {
      out.push(parsed.data);
      continue;
    }
    ctx.warn?.(`${ctx.dialect}: a ${ctx.what} in a status answer does not match its schema; left out until a later answer or its deadline`, {
      dialect: ctx.dialect,
      id: idOf(item),
      issues: z.prettifyError(parsed.error),
    });
  }
  return out;
}
