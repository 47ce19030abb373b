import { LIMITS, type ChatCompletionRequest, type CreateGenerationRequest } from '@refrain/contracts';
import { invalidRequest } from './errors';
import { hintsFromMetadata, lastUserText, MAX_SONG_MESSAGE_CHARS, parseSongMessage } from './parse';

/** Metadata keys the chat door reads itself; the rest is stored as given. */
const ROUTING_KEYS = new Set(['provider', 'callback_url']);

/**
 * A chat request → the same request POST /v1/generations takes: one generate step, in
 * description or custom mode, tagged `metadata.source = "chat"` so it shows as such.
 */
export function toGenerationRequest(body: ChatCompletionRequest, mv: string, provider: string): CreateGenerationRequest {
  const text = lastUserText(body.messages);
  if (text === null) throw invalidRequest('messages: there is no user message with text to make a song from.', 'messages');
  // Before any pattern looks at it: no song message is longer, and the parser's work stays small.
  if (text.length > MAX_SONG_MESSAGE_CHARS) {
    throw invalidRequest(`The last user message is ${text.length} characters; a song message is at most ${MAX_SONG_MESSAGE_CHARS} (lyrics at most ${LIMITS.lyrics}).`, 'messages');
  }
  const meta = body.metadata ?? {};
  const ask = parseSongMessage(text, hintsFromMetadata(meta));
  if (ask.mode === 'description' && ask.description.length > LIMITS.description) {
    throw invalidRequest(`The song description is ${ask.description.length} characters; at most ${LIMITS.description}.`, 'messages');
  }
  if (ask.mode === 'custom' && ask.lyrics.length > LIMITS.lyrics) {
    throw invalidRequest(`The lyrics are ${ask.lyrics.length} characters; at most ${LIMITS.lyrics}.`, 'messages');
  }
  const step =
    ask.mode === 'description'
      ? { op: 'generate' as const, gpt_description_prompt: ask.description, make_instrumental: ask.instrumental, mv }
      : {
          op: 'generate' as const,
          prompt: ask.lyrics,
          ...(ask.title ? { title: ask.title.slice(0, LIMITS.title) } : {}),
          ...(ask.tags ? { tags: ask.tags.slice(0, LIMITS.tags) } : {}),
          ...(ask.instrumental ? { make_instrumental: true } : {}),
          mv,
        };
  const stored = Object.fromEntries(Object.entries(meta).filter(([k, v]) => v !== null && !ROUTING_KEYS.has(k)));
  const callbackUrl = typeof meta.callback_url === 'string' ? meta.callback_url : undefined;
  return {
    steps: [step],
    provider,
    metadata: { ...stored, source: 'chat', model: body.model },
    ...(callbackUrl ? { callback_url: callbackUrl } : {}),
  };
}
