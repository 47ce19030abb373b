import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boot, call, dialectClient, FakeClock, fetchWav, receiver, type Sim, type J } from './helpers';

const clock = new FakeClock();
let sim: Sim;
let api: ReturnType<typeof dialectClient>;
const D = 1000;

beforeAll(async () => {
  sim = await boot({ durationMs: D, now: clock.now });
  api = dialectClient(sim, 'action');
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const describeBody = { action: 'generate', prompt: 'A song for Christmas', model: 'chirp-v4', custom: false, instrumental: false };

/** AceData's task query: retrieve_batch answers `{items: [{id, request, response}], count}`. */
async function records(...ids: string[]) {
  const r = await api.post('/suno/tasks', { ids, action: 'retrieve_batch' });
  expect(r.status).toBe(200);
  expect(r.body.count).toBe(r.body.items.length);
  return r.body.items as J[];
}

describe('action: how a submission answers', () => {
  it('blocking (neither async nor callback_url), D = 0: the songs at once, with task_id and trace_id', async () => {
    sim.configure({ durationMs: 0 });
    const r = await api.post('/suno/audios', describeBody);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ success: true, task_id: expect.any(String), trace_id: expect.any(String) });
    expect(r.body.data).toHaveLength(2);
    const clip = r.body.data[0];
    expect(clip).toMatchObject({
      state: 'succeeded',
      title: 'Christmas',
      audio_url: `${sim.url}/audio/${clip.id}.wav`,
      video_url: `${sim.url}/video/${clip.id}.mp4`,
      image_url: `${sim.url}/image/${clip.id}.svg`,
      model: 'chirp-v4',
      prompt: 'A song for Christmas',
    });
    expect(r.body.task_id).not.toBe(clip.id);
    expect(clip.lyric).toMatch(/\[Verse\]/);
    expect((await fetchWav(clip.audio_url)).info.seconds).toBe(clip.duration);
  });

  it('async: true answers {success, task_id, trace_id} at once; the task records follow it to succeeded', async () => {
    const r = await api.post('/suno/audios', { action: 'generate', custom: true, lyric: '[Verse]\nSnow', style: 'holiday', title: 'Winter', async: true });
    expect(r.body).toEqual({ success: true, task_id: expect.any(String), trace_id: expect.any(String) });
    const id = r.body.task_id as string;
    const [first] = await records(id);
    expect(first).toMatchObject({ id, request: { action: 'generate', lyric: '[Verse]\nSnow', async: true }, response: { success: true, task_id: id } });
    expect(first.response.data[0]).toMatchObject({ state: 'pending', audio_url: '', lyric: '[Verse]\nSnow', style: 'holiday', title: 'Winter' });
    const states: string[] = [];
    for (const step of [0.3, 0.3, 0.4]) {
      clock.advance(D * step);
      states.push((await records(id))[0].response.data.map((c: J) => c.state).join());
    }
    expect(states).toEqual(['pending,pending', 'running,running', 'succeeded,succeeded']);
    const one = await api.post('/suno/tasks', { id, action: 'retrieve' });
    expect(one.body).toMatchObject({ id, response: { success: true, data: [{ state: 'succeeded' }, { state: 'succeeded' }] } });
    expect(await records('unknown', id)).toHaveLength(1);
    expect((await call(sim.url, 'GET', `/_sim/tasks/${id}`)).body).toMatchObject({ taskId: id, operation: 'generate', statusQueries: 6, state: 'complete' });
  });

  it('a failed task: its record says success: false with the words; a blocking answer is a 500 naming the task', async () => {
    const r = await api.post('/suno/audios', { ...describeBody, prompt: 'p [sim:error]', async: true });
    clock.advance(D);
    expect((await records(r.body.task_id))[0].response).toEqual({
      success: false,
      error: { code: 'api_error', message: 'Simulated upstream failure' },
      task_id: r.body.task_id,
      trace_id: expect.any(String),
    });
    sim.configure({ durationMs: 0 });
    const blocking = await api.post('/suno/audios', { ...describeBody, prompt: 'q [sim:error]' });
    expect(blocking.status).toBe(500);
    expect(blocking.body).toMatchObject({ success: false, error: { code: 'api_error' }, task_id: expect.any(String) });
  });

  it('blocking past actionBlockMs: 504 with the task_id, and the task goes on (real time)', async () => {
    const real = await boot({ durationMs: 400 });
    try {
      real.configure({ actionBlockMs: 100 });
      const client = dialectClient(real, 'action');
      const r = await client.post('/suno/audios', describeBody);
      expect(r.status).toBe(504);
      expect(r.body).toMatchObject({ success: false, error: { code: 'timeout', message: 'timeout while waiting for audio generation' }, task_id: expect.any(String) });
      await new Promise((res) => setTimeout(res, 450));
      const rec = await client.post('/suno/tasks', { id: r.body.task_id, action: 'retrieve' });
      expect(rec.body.response.data.map((c: J) => c.state)).toEqual(['succeeded', 'succeeded']);
      expect(real.stats()).toMatchObject({ submissions: 1, duplicates: 0 });
    } finally {
      await real.close();
    }
  });

  it('[sim:hold] makes the task, then holds the answer (real time)', async () => {
    const real = await boot({ durationMs: 0 });
    try {
      const started = Date.now();
      const r = await dialectClient(real, 'action').post('/suno/audios', { ...describeBody, prompt: 'slow [sim:hold=200]', async: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(180);
      expect(r.body.task_id).toEqual(expect.any(String));
      expect(real.stats().tasks).toBe(1);
    } finally {
      await real.close();
    }
  });

  it('callback_url: {task_id} at once, then {success, task_id, data} once final (real time)', async () => {
    const hook = await receiver();
    const real = await boot({ durationMs: 150 });
    try {
      const r = await dialectClient(real, 'action').post('/suno/audios', { ...describeBody, callback_url: `${hook.url}/cb` });
      expect(r.body).toEqual({ task_id: expect.any(String) });
      await hook.waitFor(1);
      await new Promise((res) => setTimeout(res, 100));
      expect(hook.hits).toHaveLength(1);
      const body = hook.hits[0]!.body as J;
      expect(body).toMatchObject({ success: true, task_id: r.body.task_id });
      expect(body.data.map((c: J) => c.state)).toEqual(['succeeded', 'succeeded']);
    } finally {
      await real.close();
      await hook.close();
    }
  });
});

describe('action: every action', () => {
  const ok = (body: object) => api.post('/suno/audios', { ...body, async: true }).then(async (r) => {
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    clock.advance(D);
    return (await records(r.body.task_id))[0].response.data as J[];
  });

  it('upload (AceData /suno/upload and seed upload_generate), upload_extend, upload_cover, extend, concat, stems, cover, replace_section, artist_consistency', async () => {
    const up = await api.post('/suno/upload', { audio_url: 'http://127.0.0.1:9/a/track.mp3' });
    expect(up.body).toMatchObject({ success: true, task_id: expect.any(String), data: { audio_id: expect.any(String), title: 'track', duration: expect.any(Number) } });
    const upId = up.body.data.audio_id as string;
    expect(await ok({ action: 'upload_generate', audio_url: 'http://127.0.0.1:9/b.mp3' })).toHaveLength(1);
    const bad = await api.post('/suno/audios', { action: 'extend', audio_id: upId, continue_at: 3, lyric: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/upload_extend/);
    expect((await api.post('/suno/audios', { action: 'cover', audio_id: upId })).body.error.message).toMatch(/upload_cover/);
    const noLyric = await api.post('/suno/audios', { action: 'upload_extend', audio_id: upId, continue_at: 3 });
    expect(noLyric.body.error.message).toBe('lyric is required when extend audio and instrumental is false');
    const gen = (await ok({ action: 'upload_extend', audio_id: upId, continue_at: 3, lyric: 'la la' }))[0].id as string;
    expect(await ok({ action: 'upload_cover', audio_id: upId, style: 'jazz', instrumental: true })).toHaveLength(2);
    expect(await ok({ action: 'extend', audio_id: gen, continue_at: 5, lyric: 'more' })).toHaveLength(2);
    expect(await ok({ action: 'concat', audio_id: gen })).toHaveLength(1);
    expect((await ok({ action: 'stems', audio_id: gen })).map((c: J) => c.title)).toEqual(['track (Vocals)', 'track (Instrumental)']);
    expect(await ok({ action: 'cover', audio_id: gen, style: 'jazz' })).toHaveLength(2);
    const section = { action: 'replace_section', audio_id: gen, prompt: 'x', lyric: 'x' };
    expect((await api.post('/suno/audios', { ...section, replace_section_start: 2, replace_section_end: 1 })).status).toBe(400);
    expect(await ok({ ...section, replace_section_start: 1, replace_section_end: 2 })).toHaveLength(2);
    expect(await ok({ action: 'artist_consistency', persona_id: 'p-1', custom: true, lyric: 'x' })).toHaveLength(2);
    expect(sim.stats().requests).toMatchObject({ 'action.upload': 1, 'action.audios': 13 });
  });
});
