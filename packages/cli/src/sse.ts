export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Server-sent events from a fetch body (EventSource is not in Node, and cannot send an
 * Authorization header anyway). Follows the WHATWG parsing rules that matter here:
 * CRLF/CR/LF line ends, comments, multi-line data, `id` and `event` fields.
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buf = '';
  let ev: { id?: string; event?: string; data: string[] } = { data: [] };
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buf += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // A CR at a chunk's end may be half of a CRLF: decide once the next chunk is here.
      const held = !done && buf.endsWith('\r') ? '\r' : '';
      buf = buf.slice(0, buf.length - held.length).replace(/\r\n?/g, '\n');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === '') {
          if (ev.data.length) yield { ...(ev.id !== undefined ? { id: ev.id } : {}), event: ev.event ?? 'message', data: ev.data.join('\n') };
          ev = { data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') ev.data.push(value);
        else if (field === 'event') ev.event = value;
        else if (field === 'id' && !value.includes('\0')) ev.id = value;
      }
      buf += held;
      if (done) return;
    }
  } finally {
    // Stopping early (the caller broke out) must also close the connection.
    await reader.cancel().catch(() => {});
  }
}
