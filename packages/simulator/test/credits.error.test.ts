import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boot, call, dialectClient, FakeClock, type Sim } from './helpers';
import { INSUFFICIENT_CREDITS_MESSAGE } from '../src/index';

const clock = new FakeClock();
const D = 60_000;
let sim: Sim;
beforeAll(async () => {
  sim = await boot({ durationMs: D, now: clock.now });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const WORDS = 'insufficient credits: 0 songs left';

/** Nothing made, nothing counted as a submission. */
async function nothingCreated(): Promise<void> {
  expect(sim.stats()).toMatchObject({ submissions: 0, duplicates: 0, tasks: 0 });
  expect((await call(sim.url, 'GET', '/_sim/tasks')).body).toEqual([]);
}

describe('credits spent → 402 in each envelope, nothing created', () => {
  it('gateway, credits 2: the limit says 2, two submissions pass, the limit says 0, the third is refused', async () => {
    expect(INSUFFICIENT_CREDITS_MESSAGE).toBe(WORDS);
    sim.configure({ credits: 2 });
    const api = dialectClient(sim, 'gateway');
    expect((await api.get('/gateway/limit')).body).toEqual({ code: 0, msg: 'success', data: { songs_left: 2, points: 0 } });
    const one = await api.post('/gateway/generate/music', { prompt: 'first verse', title: 'One', tags: 'pop' });
    const two = await api.post('/gateway/generate/gpt_desc', { gpt_description_prompt: 'a second song' });
    expect([one.status, two.status]).toEqual([200, 200]);
    expect((await api.get('/gateway/limit')).body.data).toEqual({ songs_left: 0, points: 0 });
    const third = await api.post('/gateway/generate/music', { prompt: 'third verse', title: 'Three', tags: 'pop' });
    expect(third.status).toBe(402);
    expect(third.body).toEqual({ code: 402, msg: WORDS, data: null });
    // Every music route of the dialect, the blocking one too (concat's source is complete, so only credits refuse it).
    clock.advance(D);
    for (const [path, body] of [
      ['/gateway/generate/gpt_desc', { gpt_description_prompt: 'more' }],
      ['/gateway/generate/chatgpt', { gpt_description_prompt: 'more' }],
      ['/gateway/generate/concat', { clip_id: one.body.data[0].song_id }],
    ] as const) {
      const r = await api.post(path, body);
      expect(r.status, `${path} ${r.text}`).toBe(402);
      expect(r.body, path).toEqual({ code: 402, msg: WORDS, data: null });
    }
    expect((await api.get('/gateway/limit')).body.data.songs_left).toBe(0);
    expect(sim.stats()).toMatchObject({ submissions: 2, duplicates: 0, tasks: 2 });
    expect((await call(sim.url, 'GET', '/_sim/tasks')).body).toHaveLength(2);
  });

  it('native, credits 0: {detail}', async () => {
    sim.configure({ credits: 0 });
    const api = dialectClient(sim, 'native');
    const gen = await api.post('/v1/suno/generate', { prompt: 'x', mv: 'chirp-v4' });
    expect(gen.status).toBe(402);
    expect(gen.body).toEqual({ detail: WORDS });
    const upload = await api.post('/v1/suno/uploads/audio-url', { url: 'http://127.0.0.1:9/a/track.mp3' });
    expect(upload.status).toBe(402);
    expect(upload.body).toEqual({ detail: WORDS });
    await nothingCreated();
  });

  it('relay, credits 0: {code: "error", message, data: null}', async () => {
    sim.configure({ credits: 0 });
    const r = await dialectClient(sim, 'relay').post('/suno/submit/music', { gpt_description_prompt: 'a song' });
    expect(r.status).toBe(402);
    expect(r.body).toEqual({ code: 'error', message: WORDS, data: null });
    await nothingCreated();
  });

  it('action, credits 0: {success: false, error: {code, message}}, async, callback and blocking alike, and upload', async () => {
    sim.configure({ credits: 0 });
    const api = dialectClient(sim, 'action');
    const body = { action: 'generate', prompt: 'a song', custom: false };
    for (const extra of [{ async: true }, { callback_url: 'http://127.0.0.1:9/hook' }, {}]) {
      const r = await api.post('/suno/audios', { ...body, ...extra });
      expect(r.status).toBe(402);
      expect(r.body).toEqual({ success: false, error: { code: 'bad_request', message: WORDS } }); // @refrain/wire's code for a status it has no word for
    }
    const up = await api.post('/suno/upload', { audio_url: 'http://127.0.0.1:9/a/track.mp3' });
    expect(up.status).toBe(402);
    expect(up.body.error.message).toBe(WORDS);
    await nothingCreated();
  });

  it('a bad body is still a 400, and lyrics are not refused', async () => {
    sim.configure({ credits: 0 });
    const bad = await dialectClient(sim, 'relay').post('/suno/submit/music', { title: 'only a title' });
    expect(bad.status).toBe(400);
    const lyrics = await dialectClient(sim, 'relay').post('/suno/submit/lyrics', { prompt: 'rain' });
    expect(lyrics.status).toBe(200);
    expect(sim.stats()).toMatchObject({ submissions: 1, tasks: 1 });
  });

  it('a refused submission is not remembered: the same body, once paid for, is no duplicate', async () => {
    sim.configure({ credits: 0 });
    const api = dialectClient(sim, 'native');
    const body = { prompt: 'same', mv: 'chirp-v4' };
    expect((await api.post('/v1/suno/generate', body)).status).toBe(402);
    sim.configure({ credits: 1 });
    expect((await api.post('/v1/suno/generate', body)).status).toBe(200);
    expect((await api.post('/v1/suno/generate', body)).status).toBe(402);
    expect(sim.stats()).toMatchObject({ submissions: 1, duplicates: 0, tasks: 1 });
    expect(sim.stats().requests['native.generate']).toBe(3);
  });
});
