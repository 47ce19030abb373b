import { z } from 'zod';
import { formatIssues } from './config';
import { badRequest } from './errors';

/**
 * Models the providers document: version names (AceData), Suno's codenames (the web API
 * and its proxies), and the cover-capable `-tau` twins.
 */
export const BASE_MODELS = [
  'chirp-v3-0', 'chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-v4-5-plus', 'chirp-v5', 'chirp-v5-5',
  'chirp-auk', 'chirp-bluejay', 'chirp-crow', 'chirp-fenix', 'chirp-v3-5-tau', 'chirp-v4-tau',
] as const;
/** Seed 002's `-upload` models, marked for deprecation: only v3.5 and v4 have one. */
export const UPLOAD_MODELS = ['chirp-v3-5-upload', 'chirp-v4-upload'] as const;
export const MODELS: readonly string[] = [...BASE_MODELS, ...UPLOAD_MODELS];
/** Models a native cover may use (tu-zi: the -tau twins, chirp-auk, chirp-bluejay; and the newer ones). */
export const COVER_MODELS: readonly string[] = ['chirp-v3-5-tau', 'chirp-v4-tau', 'chirp-auk', 'chirp-bluejay', 'chirp-crow', 'chirp-fenix'];

export const model = z.string().refine((m) => MODELS.includes(m), {
  error: (iss) => `unknown model ${JSON.stringify(iss.input)}; expected one of ${MODELS.join(', ')}`,
});

export const isUploadModel = (m: string): boolean => m.endsWith('-upload');
export const baseModel = (m: string): string => m.replace(/-upload$/, '');

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
