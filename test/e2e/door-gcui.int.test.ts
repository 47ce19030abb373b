import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startHarness, type Harness } from '../support/harness';
import { callDoor, expectAudio, pollUntil, UUID, type DoorCall, type J } from '../support/doors';

// The gcui-art/suno-api door: its /api/* routes and its clip object (AudioInfo), as its
// README, swagger document and route code describe them, with a Refrain key as Bearer.
// The default provider is the simulator in the native dialect, which cannot tell its credits.

/** gcui-art's AudioInfo fields (src/lib/SunoApi.ts) and the JSON types Suno gives them (null until known). */
const AUDIO_INFO: Record<string, string[]> = {
  id: ['string'], title: ['string'], image_url: ['string', 'null'], lyric: ['string'], audio_url: ['string'], video_url: ['string'],
  created_at: ['string'], model_name: ['string'], status: ['string'], gpt_description_prompt: ['string', 'null'], prompt: ['string'],
  type: ['string'], tags: ['string'], negative_tags: ['string'], duration: ['number', 'null'], error_message: ['string', 'null'],
};
const typeOf = (v: unknown) => (v === null ? 'null' : typeof v);
function expectAudioInfo(c: J) {
  for (const [k, types] of Object.entries(AUDIO_INFO)) expect(types, `${k}: ${JSON.stringify(c[k])}`).toContain(typeOf(c[k]));
  expect(['submitted', 'queued', 'streaming', 'complete', 'error']).toContain(c.status);
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const gcui = (path: string, init: DoorCall = {}) => callDoor(h.url, path, { key: KEYS.alpha, ...init });
const post = async (path: string, body: unknown): Promise<J> => {
  const r = await gcui(path, { body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const get = async (ids: string[]): Promise<J[]> => (await gcui(`/api/get?ids=${ids.join(',')}`)).body;
const untilComplete = (ids: string[]) => pollUntil(() => get(ids), (cs) => cs.length === ids.length && cs.every((c) => c.status === 'complete' || c.status === 'error'));

describe('gcui door: the documented bodies and the AudioInfo object', () => {
  it('accepts the swagger examples of /api/generate and /api/custom_generate, answering two AudioInfo at once', async () => {
    const a = await post('/api/generate', { prompt: 'A popular heavy metal song about war, sung by a deep-voiced male singer', make_instrumental: false, model: 'chirp-v3-5', wait_audio: false });
    const b = await post('/api/custom_generate', { prompt: '[Verse 1]\nCruel flames of war engulf this land', tags: 'pop metal male melancholic', negative_tags: 'female edm techno', title: 'Silent Battlefield', make_instrumental: false, model: 'chirp-v3-5', wait_audio: false });
    for (const answer of [a, b]) {
      expect(answer).toHaveLength(2);
      for (const c of answer) {
        expectAudioInfo(c);
        expect(c.id).toMatch(UUID);
      }
    }
    expect(b[0]).toMatchObject({ title: 'Silent Battlefield', tags: 'pop metal male melancholic', negative_tags: 'female edm techno', type: 'gen' });
    expect(a[0].gpt_description_prompt).toContain('heavy metal song');
  });
});

describe('gcui door, end to end as a gcui-art client', () => {
  it('wait_audio holds until the audio is final; the audio URLs serve audio', async () => {
    const songs = await post('/api/generate', { prompt: 'a lullaby [sim:duration=1200]', make_instrumental: true, wait_audio: true });
    expect(songs.map((c: J) => c.status)).toEqual(['complete', 'complete']);
    for (const c of songs) {
      expectAudioInfo(c);
      expect(c.duration).toBeGreaterThan(0);
      await expectAudio(c.audio_url);
    }
  });

  it('extend_audio (continue_at as "mm:ss"), concat, stems; get by ids and clip by id', async () => {
    const [first] = await untilComplete((await post('/api/generate', { prompt: 'a song to go on' })).map((c: J) => c.id));
    const ext = await post('/api/extend_audio', { audio_id: first.id, prompt: '[Verse]\nStill going', continue_at: '00:03', tags: 'pop', title: 'Going On' });
    const [longer] = await untilComplete(ext.map((c: J) => c.id));
    expect(longer).toMatchObject({ status: 'complete', title: 'Going On' });
    const byEnd = await post('/api/extend_audio', { audio_id: first.id, prompt: '[Verse]\nFrom the end' }); // continue_at defaults to the clip's end
    expect((await untilComplete(byEnd.map((c: J) => c.id))).map((c) => c.status)).toEqual(['complete', 'complete']);
    const whole = await post('/api/concat', { clip_id: longer.id });
    expectAudioInfo(whole);
    expect(whole.type).toBe('concat');
    const stems = await post('/api/generate_stems', { audio_id: first.id });
    expect(stems.map((s: J) => s.stem_from_id)).toEqual([first.id, first.id]);
    const done = await untilComplete([whole.id, ...stems.map((s: J) => s.id)]);
    expect(done.map((c) => c.status)).toEqual(['complete', 'complete', 'complete']);
    const clip = await gcui(`/api/clip?id=${whole.id}`);
    expect(clip.body).toMatchObject({ id: whole.id, status: 'complete', metadata: { type: 'concat' } });
  });

  it('generate_lyrics answers the written lyrics; get without ids lists this key\'s clips, newest first', async () => {
    const lyrics = await post('/api/generate_lyrics', { prompt: 'A soothing lullaby' });
    expect(lyrics.status).toBe('complete');
    expect(lyrics.text).toMatch(/\[Verse\]/);
    expect(typeof lyrics.title).toBe('string');
    const newest = await post('/api/generate', { prompt: 'the newest one' });
    const list = (await gcui('/api/get')).body;
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list.length).toBeLessThanOrEqual(20);
    expect(newest.map((c: J) => c.id)).toContain(list[0].id);
    expect((await gcui('/api/get?page=100')).body).toEqual([]);
  });

  it('get_limit is refused, naming the provider, when the default provider cannot tell its credits', async () => {
    const r = await gcui('/api/get_limit');
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ error: 'provider "sim" (native) cannot tell its credits' });
  });

  it('answers errors as {error} with the HTTP status', async () => {
    const noId = await gcui('/api/extend_audio', { body: { prompt: 'x' } });
    expect(noId.status).toBe(400);
    expect(noId.body).toEqual({ error: expect.stringContaining('Audio ID is required') });
    const clip = await gcui('/api/clip');
    expect(clip.status).toBe(400);
    expect(clip.body).toEqual({ error: 'Missing parameter id' });
    const gone = await gcui('/api/clip?id=00000000-0000-4000-8000-000000000000');
    expect(gone.status).toBe(404);
    const refused = await gcui('/api/generate', { body: { prompt: 'no [sim:reject]' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('Simulated rejection');
    const model = await gcui('/api/generate', { body: { prompt: 'x', model: 'chirp-v9' } });
    expect(model.status).toBe(422);
    expect(model.body.error).toContain('chirp-v9');
  });
});
