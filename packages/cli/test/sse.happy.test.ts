import { describe, expect, it } from 'vitest';
import { readSse, type SseEvent } from '../src/sse';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(enc.encode(c));
      controller.close();
    },
  });
}

async function all(chunks: string[]): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const ev of readSse(streamOf(chunks))) out.push(ev);
  return out;
}

describe('readSse', () => {
  it('parses id, event and data, whatever the chunk boundaries', async () => {
    const text = 'retry: 2000\n\nid: 1\nevent: step\ndata: {"index":0,"status":"waiting"}\n\nid: 2\nevent: generation\ndata: {"status":"succeeded"}\n\n';
    const whole = await all([text]);
    const byteByByte = await all(text.split(''));
    expect(whole).toEqual([
      { id: '1', event: 'step', data: '{"index":0,"status":"waiting"}' },
      { id: '2', event: 'generation', data: '{"status":"succeeded"}' },
    ]);
    expect(byteByByte).toEqual(whole);
  });

  it('handles CRLF and CR line ends, comments, multi-line data and a missing event name', async () => {
    const evs = await all([': keep-alive\r\n\r\n', 'data: line one\r', '\ndata: line two\r\rid: 7\revent: clip\rdata: x\r\r']);
    expect(evs).toEqual([
      { event: 'message', data: 'line one\nline two' },
      { id: '7', event: 'clip', data: 'x' },
    ]);
  });

  it('keeps multi-byte characters split across chunks intact', async () => {
    const bytes = new TextEncoder().encode('data: café ☕\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const b of bytes) c.enqueue(new Uint8Array([b]));
        c.close();
      },
    });
    const out: SseEvent[] = [];
    for await (const ev of readSse(stream)) out.push(ev);
    expect(out[0]!.data).toBe('café ☕');
  });
});
