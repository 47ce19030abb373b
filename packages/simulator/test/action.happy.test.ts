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

async function query(...ids: string[]) {
  const r = await api.get(`/suno/audios?ids=${ids.join(',')}`);
  expect(r.body.success).toBe(true);
  return r.body.data as J[];
}

describe('action', () => {
  it('D = 0: the submit answer is already final (succeeded, with URLs)', async () => {
    sim.configure({ durationMs: 0 });
    const r = await api.post('/suno/audios', describeBody);
    expect(r.status).toBe(200);
    expect(r.body.success).toBe(true);
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
    expect(clip.lyric).toMatch(/\[Verse\]/);
    expect((await fetchWav(clip.audio_url)).info.seconds).toBe(clip.duration);
  });

  it('D > 0: pending, then queued, running and succeeded through the query', async () => {
    const r = await api.post('/suno/audios', { action: 'generate', custom: true, prompt: '[Verse]\nSnow', style: 'holiday', title: 'Winter' });
    const [a, b] = r.body.data;
    expect(a).toMatchObject({ state: 'pending', audio_url: '', lyric: '[Verse]\nSnow', style: 'holiday', title: 'Winter' });
    expect(a.duration).toBeUndefined();
    const states: string[] = [];
    for (const step of [0.3, 0.3, 0.4]) {
      clock.advance(D * step);
      states.push((await query(a.id, b.id)).map((c) => c.state).join());
    }
    expect(states).toEqual(['queued,queued', 'running,running', 'succeeded,succeeded']);
    expect(await query('unknown', b.id)).toHaveLength(1);
    const t = (await call(sim.url, 'GET', `/_sim/tasks/${a.id}`)).body;
    expect(t).toMatchObject({ taskId: a.id, operation: 'generate', statusQueries: 4, state: 'complete' });
  });

  it('upload_generate, upload_extend, extend, concat, stems, cover, replace_section, artist_consistency', async () => {
    const up = await api.post('/suno/audios', { action: 'upload_generate', audio_url: 'http://127.0.0.1:9/a/track.mp3' });
    expect(up.body.data).toHaveLength(1);
    clock.advance(D);
    const upId = up.body.data[0].id;
    const bad = await api.post('/suno/audios', { action: 'extend', audio_id: upId, continue_at: 3 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/upload_extend/);
    const ue = await api.post('/suno/audios', { action: 'upload_extend', audio_id: upId, continue_at: 3, prompt: 'la la' });
    expect(ue.status).toBe(200);
    clock.advance(D);
    const gen = ue.body.data[0].id;
    const ok = (body: object) => api.post('/suno/audios', body).then((r) => (expect(r.status).toBe(200), r.body.data));
    expect(await ok({ action: 'extend', audio_id: gen, continue_at: 5, lyric: 'more' })).toHaveLength(2);
    expect(await ok({ action: 'concat', audio_id: gen })).toHaveLength(1);
    expect((await ok({ action: 'stems', audio_id: gen })).map((c: J) => c.title)).toEqual(['track (Vocals)', 'track (Instrumental)']);
    expect(await ok({ action: 'cover', audio_id: gen, style: 'jazz' })).toHaveLength(2);
    expect(await ok({ action: 'replace_section', audio_id: gen, infill_start_s: 1, infill_end_s: 2, prompt: 'x' })).toHaveLength(2);
    expect(await ok({ action: 'artist_consistency', persona_id: 'p-1', custom: true, prompt: 'x' })).toHaveLength(2);
    expect(sim.stats().requests['action.audios']).toBe(9);
  });

  it('callback_url gets {success, data} when streaming starts and when final (real time)', async () => {
    const hook = await receiver();
    const real = await boot({ durationMs: 150 });
    try {
      const r = await dialectClient(real, 'action').post('/suno/audios', { ...describeBody, callback_url: `${hook.url}/cb` });
      await hook.waitFor(2);
      const bodies = hook.hits.map((h) => h.body as J);
      expect(bodies.map((b) => b.success)).toEqual([true, true]);
      expect(bodies.map((b) => b.data[0].state)).toEqual(['running', 'succeeded']);
      expect(bodies[1].data.map((c: J) => c.id)).toEqual(r.body.data.map((c: J) => c.id));
    } finally {
      await real.close();
      await hook.close();
    }
  });
});
