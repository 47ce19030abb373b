/**
 * Errors of the database layers quote the data of the statement that failed: drizzle's
 * DrizzleQueryError ends its message (and so its stack) with `\nparams: <values>`, and pg's
 * DatabaseError carries `where`/`detail` excerpts of the input (a prompt, a title). Logged
 * as they are, an error line would hold what a user sent. These are cut before any line is written.
 */
const PARAMS_TAIL = /\nparams: [\s\S]*$/;
/** Fields of those errors that quote the input; their code, severity and routine stay. */
const DATA_FIELDS = new Set(['params', 'parameters', 'where', 'detail', 'internalQuery', 'hint']);
const MAX_DEPTH = 5;

const withoutParams = (s: string): string => s.replace(PARAMS_TAIL, '\nparams: [redacted]');

/**
 * A plain copy of the error without the data. No prototype, and `name` set: pino's error
 * serializer then keeps the original type name (it reads `constructor.name` first).
 */
function scrubError(e: Error, depth: number): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  out.name = e.constructor?.name ?? e.name;
  out.message = withoutParams(e.message);
  if (e.stack) out.stack = withoutParams(e.stack);
  for (const [k, v] of Object.entries(e)) {
    if (DATA_FIELDS.has(k) || k === 'cause') continue;
    out[k] = typeof v === 'string' ? withoutParams(v) : v;
  }
  if (e.cause !== undefined) {
    const cause = scrubValue(e.cause, depth + 1);
    out.cause = cause;
    // The serializer folds a cause into the message; keep the driver's error code visible.
    const code = (e.cause as { code?: unknown }).code;
    if (out.code === undefined && code !== undefined) out.code = code;
  }
  return out;
}

function scrubValue(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return withoutParams(v);
  if (depth >= MAX_DEPTH) return '[cause chain cut]';
  if (v instanceof Error) return scrubError(v, depth);
  return v;
}

/** A log line's `err` / `error` field, with every statement parameter and data excerpt cut. */
export function scrubLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  if (fields.err === undefined && fields.error === undefined) return fields;
  const out = { ...fields };
  if (out.err !== undefined) out.err = scrubValue(out.err);
  if (out.error !== undefined) out.error = scrubValue(out.error);
  return out;
}
