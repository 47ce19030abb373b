import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { ADMIN_TOKEN, KEYS, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function expectPlayableClips(g: GenerationView) {
  expect(g.status).toBe('succeeded');
  expect(g.clips).toHaveLength(2);
  for (const c of g.clips) {
    expect(c.status).toBe('complete');
    const res = await fetch(c.audio_url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^audio\//);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
    expect(bytes.length).toBeGreaterThan(10_000);
  }
}

describe('the spine: one generate, end to end, on Redis + Postgres', () => {
  it('runs a description-mode generation to two complete, playable clips', async () => {
    const r = await h.api<GenerationView>('/v1/generations', {
      body: { steps: [{ op: 'generate', gpt_description_prompt: 'a calm piano song about rain', make_instrumental: false }] },
    });
    expect(r.status).toBe(202);
    expect(r.headers.get('location')).toBe(`/v1/generations/${r.body.id}`);
    expect(r.body.status).toBe('queued');
    const g = await h.waitFinal(r.body.id);
    await expectPlayableClips(g);
    expect(g.steps[0]).toMatchObject({ op: 'generate', status: 'succeeded' });
    expect(g.steps[0]!.upstream_task_id).toBeTruthy();
    expect(g.output?.clips).toEqual(g.steps[0]!.clip_ids);
  });

  it('runs a custom-mode generation with lyrics, title and tags', async () => {
    const r = await h.api<GenerationView>('/v1/generations', {
      body: { steps: [{ op: 'generate', prompt: '[Verse]\nHello spine\n[Chorus]\nLa la', title: 'Spine Song', tags: 'indie pop', mv: 'chirp-v3-5' }] },
    });
    expect(r.status).toBe(202);
    const g = await h.waitFinal(r.body.id);
    await expectPlayableClips(g);
    expect(g.clips[0]!.title).toBe('Spine Song');
  });

  it('holds ?wait until the generation is final', async () => {
    const r = await h.api<GenerationView>('/v1/generations', {
      body: { steps: [{ op: 'generate', gpt_description_prompt: 'a waiting song' }] },
    });
    const g = await h.api<GenerationView>(`/v1/generations/${r.body.id}?wait=20`);
    expect(g.status).toBe(200);
    expect(g.body.status).toBe('succeeded');
  });

  it('lists generations newest first, filters by status and pages with a cursor', async () => {
    const first = await h.api<{ data: GenerationView[]; next_cursor: string | null }>('/v1/generations?limit=1');
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(1);
    expect(first.body.next_cursor).toBeTruthy();
    const second = await h.api<{ data: GenerationView[] }>(`/v1/generations?limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body.data[0]!.created_at <= first.body.data[0]!.created_at).toBe(true);
    expect(second.body.data[0]!.id).not.toBe(first.body.data[0]!.id);
    const ok = await h.api<{ data: GenerationView[] }>('/v1/generations?status=succeeded&limit=100');
    expect(ok.body.data.length).toBeGreaterThanOrEqual(3);
    expect(ok.body.data.every((g) => g.status === 'succeeded')).toBe(true);
  });

  it('answers 401 without a key, and 404 for another tenant', async () => {
    const none = await h.api('/v1/generations', { key: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await h.api('/v1/generations', { key: 'not-a-key-at-all-000000' });
    expect(wrong.status).toBe(401);

    const mine = await h.api<GenerationView>('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: 'tenant song' }] } });
    const other = await h.api(`/v1/generations/${mine.body.id}`, { key: KEYS.beta });
    expect(other.status).toBe(404);
    const cancelOther = await h.api(`/v1/generations/${mine.body.id}/cancel`, { method: 'POST', key: KEYS.beta });
    expect(cancelOther.status).toBe(404);
    const list = await h.api<{ data: GenerationView[] }>('/v1/generations', { key: KEYS.beta });
    expect(list.body.data.find((g) => g.id === mine.body.id)).toBeUndefined();
  });

  it('answers 400 problem+json with the zod issues for bad input', async () => {
    const r = await h.api<{ title: string; status: number; issues: { path: unknown[] }[] }>('/v1/generations', {
      body: { steps: [{ op: 'generate', gpt_description_prompt: 42 }] },
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.status).toBe(400);
    expect(r.body.issues.length).toBeGreaterThan(0);
    const notJson = await h.api('/v1/generations', { body: '{"steps": [' });
    expect(notJson.status).toBe(400);
    const empty = await h.api('/v1/generations', { body: { steps: [] } });
    expect(empty.status).toBe(400);
  });

  it('cancels a queued generation and leaves a final one alone', async () => {
    const r = await h.api<GenerationView>('/v1/generations', {
      body: { steps: [{ op: 'generate', gpt_description_prompt: 'cancel me [sim:duration=5000]' }, { op: 'extend', continue_at: 10 }] },
    });
    const c = await h.api<GenerationView>(`/v1/generations/${r.body.id}/cancel`, { method: 'POST' });
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('canceled');
    expect(c.body.steps[1]!.status).toBe('canceled');
    const again = await h.api<GenerationView>(`/v1/generations/${r.body.id}/cancel`, { method: 'POST' });
    expect(again.body.status).toBe('canceled');
  });

  it('keeps Bull Board behind the admin token', async () => {
    const res = await fetch(`${h.url}/admin/queues`);
    expect(res.status).toBe(401);
    const bearer = await fetch(`${h.url}/admin/queues`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(bearer.status).toBe(200);
    const basic = await fetch(`${h.url}/admin/queues`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` },
    });
    expect(basic.status).toBe(200);
    const wrong = await fetch(`${h.url}/admin/queues`, { headers: { authorization: 'Bearer nope-nope-nope-nope' } });
    expect(wrong.status).toBe(401);
  });

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: 'ok', queue: 'ok' } });
  });
});
