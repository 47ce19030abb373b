import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { KEYS, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

interface SseEvent {
  id: number;
  event: string;
  data: Record<string, unknown>;
}

/** Read a whole SSE stream until the server closes it. */
async function readEvents(id: string, lastEventId?: number): Promise<SseEvent[]> {
  const res = await fetch(`${h.url}/v1/generations/${id}/events`, {
    headers: { authorization: `Bearer ${KEYS.alpha}`, ...(lastEventId ? { 'last-event-id': String(lastEventId) } : {}) },
  });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.includes('data:'))
    .map((block) => {
      const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? '';
      return { id: Number(field('id')), event: field('event'), data: JSON.parse(field('data')) as Record<string, unknown> };
    });
}

describe('live progress', () => {
  it('streams queued → running → succeeded with clip events over SSE, and resumes after Last-Event-ID', async () => {
    const r = await h.api<GenerationView>('/v1/generations', {
      body: { steps: [{ op: 'generate', gpt_description_prompt: 'sse song [sim:duration=800]' }] },
    });
    const events = await readEvents(r.body.id);
    const statuses = events.filter((e) => e.event === 'generation').map((e) => e.data.status);
    expect(statuses).toEqual(['queued', 'running', 'succeeded']);
    const clipStates = events.filter((e) => e.event === 'clip').map((e) => e.data.status);
    expect(clipStates).toContain('streaming');
    expect(clipStates.filter((s) => s === 'complete')).toHaveLength(2);
    const streaming = events.find((e) => e.event === 'clip' && e.data.status === 'streaming')!;
    expect(String(streaming.data.audio_url)).toContain('/stream/');
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));

    const middle = events[Math.floor(events.length / 2)]!;
    const resumed = await readEvents(r.body.id, middle.id);
    expect(resumed.map((e) => e.id)).toEqual(events.filter((e) => e.id > middle.id).map((e) => e.id));
  });

  it('answers a long-poll as soon as the generation is final, not at the end of the wait', async () => {
    const r = await h.api<GenerationView>('/v1/generations', {
      body: { steps: [{ op: 'generate', gpt_description_prompt: 'long poll [sim:duration=500]' }] },
    });
    const started = Date.now();
    const g = await h.api<GenerationView>(`/v1/generations/${r.body.id}`, { headers: { prefer: 'wait=30' } });
    const took = Date.now() - started;
    expect(g.body.status).toBe('succeeded');
    expect(g.headers.get('preference-applied')).toBe('wait=30');
    expect(took).toBeLessThan(10_000);
  });

  it('gives up a long-poll at the end of its wait when the generation is still running', async () => {
    const r = await h.api<GenerationView>('/v1/generations', {
      body: { steps: [{ op: 'generate', gpt_description_prompt: 'slow [sim:duration=5000]' }] },
    });
    const g = await h.api<GenerationView>(`/v1/generations/${r.body.id}?wait=1`);
    expect(g.status).toBe(200);
    expect(['queued', 'running']).toContain(g.body.status);
    await h.api(`/v1/generations/${r.body.id}/cancel`, { method: 'POST' });
  });

  it('keeps the event stream to its tenant', async () => {
    const r = await h.api<GenerationView>('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: 'private' }] } });
    const res = await fetch(`${h.url}/v1/generations/${r.body.id}/events`, { headers: { authorization: `Bearer ${KEYS.beta}` } });
    expect(res.status).toBe(404);
    const deliveries = await h.api(`/v1/generations/${r.body.id}/deliveries`, { key: KEYS.beta });
    expect(deliveries.status).toBe(404);
  });
});
