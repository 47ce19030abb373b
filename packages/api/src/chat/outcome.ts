import type { GenerationView } from '@refrain/contracts';
import { OpenAiError } from './errors';

/**
 * Once the generation exists, OpenAI clients must not retry on an error: a retry would
 * start (and pay for) a second song. `x-should-retry: false` is the header they obey.
 */
export const NO_RETRY = { 'x-should-retry': 'false' };

/**
 * Not final within the maximum wait: 504 (we are a gateway and the upstream is slow).
 * The generation keeps running; the message and `generation_id` say where to fetch it.
 */
export function timeoutError(generationId: string, seconds: number): OpenAiError {
  return new OpenAiError(
    504,
    `The song is not finished after ${seconds} s. Generation ${generationId} keeps running: fetch it with GET /v1/generations/${generationId}.`,
    'timeout_error',
    'generation_timeout',
    null,
    generationId,
    NO_RETRY,
  );
}

/** A final generation that made no song, as an error; null otherwise. */
export function finalError(view: GenerationView): OpenAiError | null {
  if (view.status === 'canceled') {
    return new OpenAiError(409, `Generation ${view.id} was canceled.`, 'invalid_request_error', 'generation_canceled', null, view.id, NO_RETRY);
  }
  if (view.status !== 'failed') return null;
  const why = view.error ? `${view.error.code}: ${view.error.message}` : 'no reason given';
  // 502: the upstream provider failed or refused the song.
  return new OpenAiError(502, `Generation ${view.id} failed (${why}).`, 'server_error', view.error?.code ?? 'generation_failed', null, view.id, NO_RETRY);
}
