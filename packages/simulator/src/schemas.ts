import { z } from 'zod';
import { formatIssues } from './config';
import { badRequest } from './errors';

/** Models the seeds show; each also with -upload (continuing an uploaded clip, seed 002). */
export const BASE_MODELS = ['chirp-v3-0', 'chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-auk'] as const;
export const MODELS: readonly string[] = [...BASE_MODELS, ...BASE_MODELS.map((m) => `${m}-upload`)];

export const model = z.string().refine((m) => MODELS.includes(m), {
  error: (iss) => `unknown model ${JSON.stringify(iss.input)}; expected one of ${BASE_MODELS.join(', ')} (optionally with -upload)`,
});

export const isUploadModel = (m: string): boolean => m.endsWith('-upload');
export const baseModel = (m: string): string => m.replace(/-upload$/, '');

/** Optional text where upstreams also send null. */
export const text = z.string().nullish();
/** Seconds; gateway documents continue_at as a string, so numeric strings are accepted there. */
export const seconds = z.number().min(0).nullish();
export const looseSeconds = z
  .union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, 'expected a number of seconds').transform(Number)])
  .pipe(z.number().min(0))
  .nullish();
export const hookUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** Parses a request body or throws a 400 naming every bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const input = body === undefined ? {} : body;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw badRequest('Invalid body: expected a JSON object');
  }
  const r = schema.safeParse(input);
  if (!r.success) throw badRequest(`Invalid body: ${formatIssues(r.error)}`);
  return r.data;
}

/** Comma-separated ids from a query parameter, de-duplicated, empty parts dropped. */
export function idList(raw: unknown): string[] {
  const parts = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  return [...new Set(parts.flatMap((p) => p.split(',')).map((s) => s.trim()).filter(Boolean))];
}
