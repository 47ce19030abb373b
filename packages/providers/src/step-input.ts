import { RefrainError } from '@refrain/core';
import { z } from 'zod';
import type { SubmitRequest } from './types';

/**
 * The Suno-named fields adapters read from a step's input. The API validated the
 * input already; this reads it type-safely and tolerates fields it does not use.
 */
const stepFields = z.looseObject({
  gpt_description_prompt: z.string().optional(),
  make_instrumental: z.boolean().optional(),
  prompt: z.string().optional(),
  title: z.string().optional(),
  tags: z.string().optional(),
  negative_tags: z.string().optional(),
  continue_clip_id: z.string().optional(),
  continue_at: z.number().optional(),
  clip_id: z.string().optional(),
  audio_url: z.string().optional(),
  infill_start_s: z.number().optional(),
  infill_end_s: z.number().optional(),
  persona_id: z.string().optional(),
  upstream: z.record(z.string(), z.unknown()).optional(),
});
export type StepFields = z.infer<typeof stepFields>;

/** What to sing, in one of Suno's two modes. */
export type Song =
  | { mode: 'description'; description: string; instrumental: boolean }
  | {
      mode: 'custom';
      /** Lyrics; '' when instrumental (Suno's own rule). */
      lyrics: string;
      title: string;
      tags: string;
      negativeTags: string | undefined;
      instrumental: boolean;
    };

export function readFields(req: SubmitRequest): StepFields {
  // Stored inputs may carry nulls for absent fields; they mean the same as absence here.
  const present = Object.fromEntries(Object.entries(req.input).filter(([, v]) => v !== null));
  const parsed = stepFields.safeParse(present);
  if (!parsed.success) {
    throw new RefrainError({
      code: 'internal',
      retry: false,
      message: `step input for ${req.op} is not readable: ${z.prettifyError(parsed.error)}`,
    });
  }
  return parsed.data;
}

/**
 * Description mode when the step has `gpt_description_prompt` and no lyrics were handed
 * over; otherwise custom mode. Lyrics from a previous lyrics step are sung when the step
 * brings no prompt of its own, and their title is used unless the step gives one.
 */
export function readSong(req: SubmitRequest, f: StepFields = readFields(req)): Song {
  const description = f.gpt_description_prompt?.trim();
  if (description && !req.lyrics) {
    return { mode: 'description', description: f.gpt_description_prompt ?? '', instrumental: f.make_instrumental ?? false };
  }
  return readCustomSong(req, f);
}

/** Custom mode only (extend, cover, replace_section, persona): the step's lyrics, else handed-over lyrics. */
export function readCustomSong(req: SubmitRequest, f: StepFields = readFields(req)): Extract<Song, { mode: 'custom' }> {
  const text = f.prompt !== undefined && f.prompt.trim() !== '' ? f.prompt : (req.lyrics?.text ?? '');
  const instrumental = f.make_instrumental === true || text.trim() === '';
  return {
    mode: 'custom',
    lyrics: instrumental ? '' : text,
    title: f.title ?? req.lyrics?.title ?? '',
    tags: f.tags ?? '',
    negativeTags: f.negative_tags,
    instrumental,
  };
}

/** The clip an op works on: the planner's choice, else the id the step names. */
export function sourceClip(req: SubmitRequest, f: StepFields, provider: string): string {
  const id = req.source?.clipId ?? f.continue_clip_id ?? f.clip_id;
  if (!id) {
    throw new RefrainError({
      code: 'internal',
      retry: false,
      message: `${req.op} on provider ${provider} needs a source clip, and the step names none`,
    });
  }
  return id;
}

export function requireField<T>(value: T | undefined, name: string, op: string): T {
  if (value === undefined || value === '') {
    throw new RefrainError({ code: 'internal', retry: false, message: `${op} needs ${name}` });
  }
  return value;
}

/** Asking a dialect for an op it lacks; the API answers 422 before this can happen. */
export function unsupported(provider: string, dialect: string, op: string): RefrainError {
  return new RefrainError({
    code: 'internal',
    retry: false,
    message: `provider ${provider} (${dialect}) does not support ${op}`,
  });
}

/** Drops undefined fields so request bodies carry only what we mean to send. */
export function compact<T extends Record<string, unknown>>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Adds the step's `upstream` extras to a request body, verbatim. A field the body already
 * has is Refrain's own and is never overridden (the API refuses such extras already; this
 * keeps it true for stored inputs too).
 */
export function withExtras<T extends Record<string, unknown>>(
  body: T,
  f: StepFields,
  warn?: (msg: string, data?: Record<string, unknown>) => void,
): T {
  const extras = f.upstream;
  if (!extras) return body;
  const out: Record<string, unknown> = { ...body };
  for (const [k, v] of Object.entries(extras)) {
    if (Object.hasOwn(out, k)) warn?.(`upstream extra "${k}" left out: Refrain sets that field itself`, { field: k });
    else out[k] = v;
  }
  return out as T;
}
