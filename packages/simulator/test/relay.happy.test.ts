import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boot, call, dialectClient, FakeClock, fetchWav, receiver, type Sim, type J } from './helpers';

const clock = new FakeClock();
let sim: Sim;
let api: ReturnType<typeof dialectClient>;
const D = 1000;

beforeAll(async () => {
  sim = await boot({ durationMs: D, now: clock.now });
  api = dialectClient(sim, 'relay');
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const custom = { prompt: '[Verse]\nWalking down the streets', tags: 'emotional punk', mv: 'chirp-v3-0', title: 'City Lights' };

describe('relay', () => {
  it('inspiration mode: a task id, then NOT_START … SUCCESS with clips and a real WAV', async () => {
    const r = await api.post('/suno/submit/music', { gpt_description_prompt: '欢快的磁性女声歌曲,中文,主题:难忘周末' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ code: 'success', message: '', data: expect.any(String) });
    const id = r.body.data as string;
    const fetchTask = async () => (await api.get(`/suno/fetch/${id}`)).body.data;
    const seen: string[] = [];
    for (const step of [0, 0.15, 0.15, 0.25, 0.45]) {
      clock.advance(D * step);
      seen.push((await fetchTask()).status);
    }
    expect(seen).toEqual(['NOT_START', 'SUBMITTED', 'QUEUED', 'IN_PROGRESS', 'SUCCESS']);
    const task = await fetchTask();
    expect(task).toMatchObject({ task_id: id, action: 'MUSIC', fail_reason: '', progress: '100%' });
    expect(task.finish_time).toBeGreaterThanOrEqual(task.start_time);
    expect(task.start_time).toBeGreaterThanOrEqual(task.submit_time);
    expect(task.data).toHaveLength(2);
    expect(task.data[0]).toMatchObject({ status: 'complete', title: '难忘周末' });
    expect((await fetchWav(task.data[0].audio_url)).info.bits).toBe(16);
  });

  it('custom and continuation modes; batched fetch omits unknown ids', async () => {
    const a = (await api.post('/suno/submit/music', custom)).body.data;
    clock.advance(D);
    const first = (await api.get(`/suno/fetch/${a}`)).body.data;
    expect(first.data[0]).toMatchObject({ title: 'City Lights', metadata: { tags: 'emotional punk', prompt: custom.prompt } });
    const clip = first.data[0].id;
    const b = await api.post('/suno/submit/music', { ...custom, task_id: a, continue_clip_id: clip, continue_at: 80 });
    expect(b.status).toBe(200);
    const batch = await api.post('/suno/fetch', { ids: [a, 'nope', b.body.data] });
    expect(batch.body.code).toBe('success');
    expect(batch.body.data.map((t: J) => t.task_id)).toEqual([a, b.body.data]);
    expect(batch.body.data[1].data[0].metadata.history[0]).toMatchObject({ id: clip, continue_at: 80 });
    const stats = sim.stats();
    expect(stats.requests).toMatchObject({ 'relay.submit_music': 2, 'relay.fetch': 1, 'relay.fetch_batch': 1 });
    expect(stats.statusQueries).toBe(2);
  });

  it('lyrics task: LYRICS action with {id, text, title, status}', async () => {
    const id = (await api.post('/suno/submit/lyrics', { prompt: 'summer rain' })).body.data;
    clock.advance(D);
    const t = (await api.get(`/suno/fetch/${id}`)).body.data;
    expect(t).toMatchObject({ task_id: id, action: 'LYRICS', status: 'SUCCESS', data: { id, status: 'complete' } });
    expect(t.data.text).toMatch(/\[Verse\]/);
  });
});

describe('relay callbacks (real time)', () => {
  it('posts the task when streaming starts and when it is final, bare by default', async () => {
    const hook = await receiver();
    const real = await boot({ durationMs: 200 });
    try {
      const relay = dialectClient(real, 'relay');
      const id = (await relay.post('/suno/submit/music', { ...custom, notify_hook: `${hook.url}/hooks/relay/tok123` })).body.data;
      await hook.waitFor(2);
      expect(hook.hits.map((h) => h.path)).toEqual(['/hooks/relay/tok123', '/hooks/relay/tok123']);
      expect(hook.hits.map((h) => (h.body as J).status)).toEqual(['IN_PROGRESS', 'SUCCESS']);
      const final = hook.hits[1]!.body as J;
      expect(final).toMatchObject({ task_id: id, action: 'MUSIC', progress: '100%' });
      expect(final.data[0].audio_url).toBe(`${real.url}/audio/${final.data[0].id}.wav`);
      const t = (await call(real.url, 'GET', `/_sim/tasks/${id}`)).body;
      expect(t.callbacksSent).toBe(2);
      // When the final callback went out (benchmarks measure callback → succeeded from it).
      expect(t.finalCallbackAt).toBeGreaterThanOrEqual(t.createdAt + 200 - 5); // timers may fire a millisecond early
      expect(real.stats().callbacks).toEqual({ sent: 2, failed: 0, dropped: 0 });

      real.configure({ callbackEnvelope: true, durationMs: 0 });
      await relay.post('/suno/submit/lyrics', { prompt: 'x', notify_hook: `${hook.url}/wrapped` });
      await hook.waitFor(3);
      expect(hook.hits[2]!.body).toMatchObject({ code: 'success', message: '', data: { action: 'LYRICS', status: 'SUCCESS' } });
    } finally {
      await real.close();
      await hook.close();
    }
  });
});

describe('relay shapes of the live relays', () => {
  it('clips with state instead of status, LYRICS data as an array, and no cap on a batch fetch', async () => {
    sim.configure({ shapes: { relayClipStatus: 'state', relayLyricsData: 'array' } });
    const music = await api.post('/suno/submit/music', custom);
    const lyrics = await api.post('/suno/submit/lyrics', { prompt: 'a cat' });
    clock.advance(D);
    const ids = [music.body.data, lyrics.body.data, ...Array.from({ length: 600 }, (_, i) => `missing-${i}`)];
    const [m, l] = (await api.post('/suno/fetch', { ids })).body.data;
    expect(m.data[0]).toMatchObject({ state: 'succeeded' });
    expect(m.data[0]).not.toHaveProperty('status');
    expect(l).toMatchObject({ action: 'LYRICS', status: 'SUCCESS', data: [{ id: lyrics.body.data, status: 'complete', text: expect.stringMatching(/\[Verse\]/) }] });
  });

  it('a relay built on new-api drops notify_hook: no callback comes (real time)', async () => {
    const hook = await receiver();
    const real = await boot({ durationMs: 50 });
    try {
      real.configure({ shapes: { relayNotifyHook: 'dropped' } });
      const r = await dialectClient(real, 'relay').post('/suno/submit/music', { ...custom, notify_hook: `${hook.url}/x` });
      await new Promise((res) => setTimeout(res, 250));
      expect(hook.hits).toHaveLength(0);
      expect((await call(real.url, 'GET', `/_sim/tasks/${r.body.data}`)).body).toMatchObject({ state: 'complete', callbacksSent: 0 });
    } finally {
      await real.close();
      await hook.close();
    }
  });
});
