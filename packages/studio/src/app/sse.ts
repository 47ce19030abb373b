import { createParser } from 'eventsource-parser';
import type { Client } from './api';
import type { LoggedEvent } from './timeline';

/**
 * Reads GET /v1/generations/{id}/events once, from after `lastEventId`, until the server
 * ends the stream (it does after the final state) or `signal` aborts. EventSource cannot
 * send an Authorization header, so the stream is read with fetch and parsed by
 * eventsource-parser. Returns the retry delay the server asked for.
 */
export async function readEvents(
  client: Client,
  id: string,
  lastEventId: number,
  onEvent: (e: LoggedEvent) => void,
  signal: AbortSignal,
): Promise<{ retryMs: number }> {
  let retryMs = 2000;
  const res = await client.stream(
    `/v1/generations/${encodeURIComponent(id)}/events`,
    { accept: 'text/event-stream', ...(lastEventId > 0 ? { 'last-event-id': String(lastEventId) } : {}) },
    signal,
  );
  const parser = createParser({
    onRetry: (ms) => {
      retryMs = ms;
    },
    onEvent: (m) => {
      const eventId = Number(m.id);
      if (!Number.isFinite(eventId)) return;
      let data: Record<string, unknown> = {};
      try {
        data = JSON.parse(m.data) as Record<string, unknown>;
      } catch {
        return;
      }
      onEvent({ id: eventId, type: m.event ?? 'message', data, at: Date.now() });
    },
  });
  if (!res.body) return { retryMs };
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
  } finally {
    reader.releaseLock();
  }
  return { retryMs };
}
