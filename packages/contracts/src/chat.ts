import { z } from 'zod';

/**
 * The OpenAI chat-completions request, as far as Refrain reads it. Objects are not strict:
 * apps written for OpenAI send options we ignore (temperature, top_p, user, tools...),
 * and refusing them would break the "change only the base URL" promise.
 */

const textPart = z.object({ type: z.literal('text'), text: z.string() });
/** Image, audio and other parts are accepted and ignored; only text describes a song. */
const otherPart = z.object({ type: z.string() }).refine((p) => p.type !== 'text', 'a text part needs "text"');

export const chatContent = z.union([z.string(), z.array(z.union([textPart, otherPart])).max(100), z.null()]);

export const chatMessage = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: chatContent.optional(),
  name: z.string().max(256).optional(),
});
export type ChatMessage = z.infer<typeof chatMessage>;

/** OpenAI metadata is a string map; booleans and numbers are accepted as well. */
const chatMetadata = z.record(z.string().max(64), z.union([z.string().max(512), z.number(), z.boolean(), z.null()]));

export const chatCompletionRequest = z.object({
  model: z.string().min(1).max(128),
  messages: z.array(chatMessage).min(1).max(500),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  /** One song per request: a generation already answers two clips. */
  n: z.literal(1).nullable().optional(),
  metadata: chatMetadata.nullable().optional(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

/** `{error: {message, type, param, code}}`, OpenAI's error body. */
export const openAiErrorBody = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string().nullable(),
    generation_id: z.string().optional(),
  }),
});
export type OpenAiErrorBody = z.infer<typeof openAiErrorBody>;

export const openAiModel = z.object({
  id: z.string(),
  object: z.literal('model'),
  created: z.number().int(),
  owned_by: z.string(),
  /** Refrain extension: the upstream model (`mv`) the alias maps to. */
  mv: z.string(),
});
export type OpenAiModel = z.infer<typeof openAiModel>;
