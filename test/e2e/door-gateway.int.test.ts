import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startHarness, type Harness } from '../support/harness';
import { callDoor, expectAudio, expectSameShape, pollUntil, seedExample, UUID, type DoorCall, type J } from '../support/doors';

// The gateway door (seed 001, sunoaiapi): the key in the `api-key` header, `{code: 0, msg, data}`.
// The default provider here is itself a gateway, so /gateway/limit can tell the songs left.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ providers: (sim) => [{ name: 'gw', dialect: 'gateway', base_url: sim, api_key: 'sim-key', poll_interval_ms: 200 }] });
});
afterAll(async () => {
  await h?.stop();
});

const gateway = (path: string, init: DoorCall = {}) => callDoor(h.url, path, { key: KEYS.alpha, header: 'api-key', ...init });
const songs = async (path: string, body: unknown): Promise<J[]> => {
  const r = await gateway(path, { body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body).toMatchObject({ code: 0, msg: 'success' });
  return r.body.data;
};
const song = async (id: string): Promise<J> => (await gateway(`/gateway/feed/${id}`)).body.data;
const untilComplete = (id: string) => pollUntil(() => song(id), (s) => s.status === 'complete' || s.status === 'error');

describe('gateway door: the seed\'s own examples', () => {
  it('API1 music (custom mode) answers seed 001\'s songs; API2 feeds one by song_id', async () => {
    const seed = seedExample('seed001-gateway-music-response.json');
    const data = await songs('/gateway/generate/music', { title: 'Happy dog Song', tags: 'happy, rock', prompt: 'A happy song about dogs', mv: 'chirp-v3-0' });
    expectSameShape({ code: 0, msg: 'success', data }, seed, 'music');
    expect(data).toHaveLength(2);
    for (const s of data) {
      expectSameShape(s, seed.data[0], 'song');
      expect(s.song_id).toMatch(UUID);
    }
    const done = await untilComplete(data[0].song_id);
    expectSameShape((await gateway(`/gateway/feed/${data[0].song_id}`)).body, seedExample('seed001-gateway-feed-response.json'), 'feed');
    expect(done).toMatchObject({ status: 'complete', title: 'Happy dog Song', meta_tags: 'happy, rock', meta_prompt: 'A happy song about dogs' });
    expect(done.meta_duration).toBeGreaterThan(0);
    await expectAudio(done.audio_url);
  });

  it('API3 gpt_desc (description mode), lyrics and its result, and the songs left', async () => {
    const data = await songs('/gateway/generate/gpt_desc', { gpt_description_prompt: 'a song about the sun', make_instrumental: false, mv: 'chirp-v3-0', prompt: '' });
    expect(data).toHaveLength(2);
    const lid = await gateway('/gateway/generate/lyrics', { body: { prompt: 'a dog on the beach' } });
    expectSameShape(lid.body, seedExample('seed001-gateway-lyrics-submit-response.json'), 'lyrics submit');
    const lyrics = await pollUntil(async () => (await gateway(`/gateway/lyrics/${lid.body.data.id}`)).body, (l) => l.data.status === 'complete');
    expectSameShape(lyrics, seedExample('seed001-gateway-lyrics-get-response.json'), 'lyrics');
    expect(lyrics.data.text).toMatch(/\[Verse\]/);
    const limit = await gateway('/gateway/limit');
    expectSameShape(limit.body, seedExample('seed001-gateway-limit-response.json'), 'limit');
    expect(limit.body.data.songs_left).toBeGreaterThan(0);
  });
});

describe('gateway door, end to end as a gateway client', () => {
  it('extends a song (continue_at as the string seed 001 documents) and joins the whole song', async () => {
    const [first] = await songs('/gateway/generate/gpt_desc', { gpt_description_prompt: 'a waltz' });
    await untilComplete(first.song_id);
    const [ext] = await songs('/gateway/generate/music', { title: 'Waltz II', tags: 'waltz', prompt: '[Verse]\nAnd round again', continue_clip_id: first.song_id, continue_at: '3' });
    expect((await untilComplete(ext.song_id)).status).toBe('complete');
    const [whole] = await songs('/gateway/generate/concat', { clip_id: ext.song_id });
    const done = await untilComplete(whole.song_id);
    expect(done.status).toBe('complete');
    await expectAudio(done.audio_url);
  });

  it('API4 chatgpt holds the answer until both songs are done', async () => {
    const started = Date.now();
    const data = await songs('/gateway/generate/chatgpt', { gpt_description_prompt: 'a slow one [sim:duration=1500]', make_instrumental: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(data.map((s) => s.status)).toEqual(['complete', 'complete']);
    for (const s of data) await expectAudio(s.audio_url);
  });

  it('answers sunoaiapi\'s /gateway/query with Suno clips for our song ids', async () => {
    const data = await songs('/gateway/generate/gpt_desc', { gpt_description_prompt: 'query me' });
    const ids = data.map((s) => s.song_id);
    await untilComplete(ids[1]);
    const r = await gateway(`/gateway/query?ids=${ids.join(',')}`);
    expect(r.body.map((c: J) => c.id)).toEqual(ids);
    expect(r.body[0]).toMatchObject({ status: 'complete', meta_data: { type: 'gen' } });
  });

  it('answers errors as {code: <status>, msg, data: null}', async () => {
    const noKey = await gateway('/gateway/limit', { key: null });
    expect(noKey.status).toBe(401);
    expect(noKey.body).toMatchObject({ code: 401, data: null });
    expect(noKey.body.msg).toContain('api-key');
    const bearer = await callDoor(h.url, '/gateway/limit', { key: KEYS.alpha });
    expect(bearer.status).toBe(200); // a Bearer key works too
    const bad = await gateway('/gateway/generate/gpt_desc', { body: { make_instrumental: true } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 400, data: null, msg: expect.stringContaining('gpt_description_prompt') });
    const missing = await gateway('/gateway/feed/00000000-0000-4000-8000-000000000000');
    expect(missing.body).toMatchObject({ code: 404, data: null });
    const refused = await gateway('/gateway/generate/gpt_desc', { body: { gpt_description_prompt: 'nope [sim:reject]' } });
    expect(refused.status).toBe(400);
    expect(refused.body.msg).toContain('Simulated rejection: prompt refused');
  });
});
