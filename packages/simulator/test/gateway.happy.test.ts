import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boot, call, dialectClient, FakeClock, fetchWav, type Sim, type J } from './helpers';

const clock = new FakeClock();
let sim: Sim;
let api: ReturnType<typeof dialectClient>;
const D = 800;

beforeAll(async () => {
  sim = await boot({ durationMs: D, now: clock.now });
  api = dialectClient(sim, 'gateway');
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('gateway', () => {
  it('custom mode: two songs in the envelope, one song per feed, status over time, a real WAV', async () => {
    const r = await api.post('/gateway/generate/music', { title: 'Happy dog Song', tags: 'happy, rock', prompt: '[Verse]\nWoof' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 0, msg: 'success' });
    expect(r.body.data).toHaveLength(2);
    const song = r.body.data[0];
    expect(song).toMatchObject({ status: 'submitted', title: 'Happy dog Song', meta_tags: 'happy, rock', meta_prompt: '[Verse]\nWoof', model_name: 'chirp-v3-0', audio_url: '' });
    const feed = async () => (await api.get(`/gateway/feed/${song.song_id}`)).body;
    expect((await feed()).data.status).toBe('submitted');
    clock.advance(D * 0.3);
    expect((await feed()).data.status).toBe('queued');
    clock.advance(D * 0.3);
    expect((await feed()).data).toMatchObject({ status: 'streaming', audio_url: `${sim.url}/stream/${song.song_id}.wav` });
    clock.advance(D * 0.4);
    const done = (await feed()).data;
    expect(done).toMatchObject({ status: 'complete', meta_error_msg: null, video_url: `${sim.url}/video/${song.song_id}.mp4` });
    expect(done.meta_duration).toBeGreaterThan(0);
    const { info } = await fetchWav(done.audio_url);
    expect(info.seconds).toBe(done.meta_duration);
    // the task id is the first song id
    const t = (await call(sim.url, 'GET', `/_sim/tasks/${song.song_id}`)).body;
    expect(t).toMatchObject({ taskId: song.song_id, clipIds: r.body.data.map((s: J) => s.song_id), statusQueries: 4 });
  });

  it('description mode, extend, concat, lyrics (without status, as live) and limit', async () => {
    const desc = await api.post('/gateway/generate/gpt_desc', { gpt_description_prompt: 'a jazz tune about rainy mornings', make_instrumental: true, mv: 'chirp-v4' });
    expect(desc.body.data[0]).toMatchObject({ title: 'Rainy Mornings', meta_prompt: '', model_name: 'chirp-v4' });
    expect(desc.body.data[0].meta_tags).toContain('jazz');
    clock.advance(D);
    const ext = await api.post('/gateway/generate/music', { prompt: 'more', continue_clip_id: desc.body.data[0].song_id, continue_at: '12.5' });
    expect(ext.status).toBe(200);
    expect(ext.body.data[0].title).toBe('Rainy Mornings');
    clock.advance(D);
    const whole = await api.post('/gateway/generate/concat', { clip_id: ext.body.data[0].song_id });
    expect(whole.status).toBe(200);
    expect(whole.body.data).toHaveLength(1);

    const lyr = await api.post('/gateway/generate/lyrics', { prompt: 'a happy dog' });
    const lid = lyr.body.data.id as string;
    expect(lyr.body.data).toEqual({ id: expect.any(String) });
    const running = (await api.get(`/gateway/lyrics/${lid}`)).body.data;
    expect(running).toEqual({ user_id: expect.any(String), text: '', id: lid, title: '', lyrics_id: lid });
    clock.advance(D);
    const got = (await api.get(`/gateway/lyrics/${lid}`)).body.data;
    expect(got).not.toHaveProperty('status');
    expect(got.text).toMatch(/\[Chorus\]/);
    sim.configure({ shapes: { gatewayLyrics: 'status' } });
    expect((await api.get(`/gateway/lyrics/${lid}`)).body.data).toMatchObject({ status: 'complete', title: got.title, text: got.text });

    const limit = await api.get('/gateway/limit');
    expect(limit.body).toEqual({ code: 0, msg: 'success', data: { songs_left: 997, points: 0 } });
  });
});

describe('gateway chatgpt (real time)', () => {
  it('blocks until the task completes and answers both songs', async () => {
    const real = await boot({ durationMs: 300 });
    try {
      const started = Date.now();
      const r = await dialectClient(real, 'gateway').post('/gateway/generate/chatgpt', { gpt_description_prompt: 'a song about waiting' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(r.body.code).toBe(0);
      expect(r.body.data.map((s: J) => s.status)).toEqual(['complete', 'complete']);
      expect(r.body.data[0].audio_url).toBe(`${real.url}/audio/${r.body.data[0].song_id}.wav`);
      expect(real.stats().requests['gateway.chatgpt']).toBe(1);
    } finally {
      await real.close();
    }
  });
});

describe('gateway /gateway/query', () => {
  it('answers the songs of one request as a bare array of Suno clips with meta_data; mixing requests is refused', async () => {
    const one = await api.post('/gateway/generate/music', { prompt: 'a', title: 'One' });
    const two = await api.post('/gateway/generate/music', { prompt: 'b', title: 'Two' });
    const ids = one.body.data.map((s: J) => s.song_id as string);
    clock.advance(D);
    const r = await api.get(`/gateway/query?ids=${ids.join(',')}`);
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body)).toBe(true);
    expect(r.body.map((c: J) => c.id)).toEqual(ids);
    expect(r.body[0]).toMatchObject({ status: 'complete', meta_data: { tags: '', prompt: 'a', duration: expect.any(Number) } });
    expect(r.body[0]).not.toHaveProperty('metadata');
    const mixed = await api.get(`/gateway/query?ids=${ids[0]},${two.body.data[0].song_id}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.msg).toMatch(/same creation request/);
    expect(sim.stats().requests['gateway.query']).toBe(2);
  });
});
