import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startHarness, type Harness } from '../support/harness';
import { callDoor, expectAudio, expectSameShape, pollUntil, seedExample, UUID, type DoorCall, type J } from '../support/doors';

// The native door (seeds 002 and 000): a client of tu-zi's /v1/suno/* or of /suno/v2/generate
// sends Suno's own bodies and reads Suno's own clip objects, with ids usable at once.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { ALLOW_LOOPBACK_URLS: 'true' } });
});
afterAll(async () => {
  await h?.stop();
});

const native = (path: string, init: DoorCall = {}) => callDoor(h.url, path, { key: KEYS.alpha, ...init });
const generate = async (body: unknown, path = '/v1/suno/generate'): Promise<J> => {
  const r = await native(path, { body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const feed = async (ids: string[]): Promise<J[]> => (await native(`/v1/suno/feed?ids=${ids.join(',')}`)).body.clips;
const untilComplete = (ids: string[]) => pollUntil(() => feed(ids), (clips) => clips.length === ids.length && clips.every((c) => c.status === 'complete' || c.status === 'error'));

describe('native door: the seeds\' own examples', () => {
  it('accepts seed 002\'s custom-mode body and seed 000\'s description body, answering the documented batch', async () => {
    const seed = seedExample('seed002-native-generate-response.json');
    for (const [path, body] of [['/v1/suno/generate', seedExample('seed002-native-generate-request.json')], ['/suno/v2/generate', seedExample('seed000-native-description-request.json')]] as const) {
      const batch = await generate(body, path);
      expectSameShape(batch, seed, `${path} batch`);
      expect(batch.id).toMatch(UUID);
      expect(batch.clips).toHaveLength(2);
      for (const clip of batch.clips) {
        expectSameShape(clip, seed.clips[0], `${path} clip`);
        expectSameShape(clip.metadata, seed.clips[0].metadata, `${path} clip.metadata`);
        expect(clip.id).toMatch(UUID);
        expect(['submitted', 'queued']).toContain(clip.status);
      }
    }
  });

  it('feeds the clip ids it answered at once, then complete, in tu-zi\'s page and the proxies\' bare array', async () => {
    const batch = await generate(seedExample('seed002-native-generate-request.json'));
    const ids = batch.clips.map((c: J) => c.id);
    const early = await native(`/v1/suno/feed?ids=${ids.join(',')}`);
    expectSameShape(early.body, seedExample('tuzi-native-feed-response.json'), 'feed page');
    expect(early.body.clips.map((c: J) => c.id)).toEqual(ids);
    const clips = await untilComplete(ids);
    for (const c of clips) {
      expect(c).toMatchObject({ status: 'complete', title: 'Starry', model_name: 'chirp-v3-5', metadata: { tags: 'heavy metal', prompt: '' } });
      expect(c.metadata.duration).toBeGreaterThan(0);
      await expectAudio(c.audio_url);
    }
    for (const path of [`/v1/suno/feed/${ids.join(',')}`, `/suno/feed/${ids.join(',')}`]) {
      const bare = await native(path);
      expect(Array.isArray(bare.body), path).toBe(true);
      expectSameShape(bare.body[0], seedExample('proxies-native-feed-path-response.json')[0], path);
    }
  });

  it('accepts the proxies\' concat and gen_stem bodies with clip ids of ours', async () => {
    const [src] = await untilComplete((await generate({ gpt_description_prompt: 'a song to split' })).clips.map((c: J) => c.id));
    const concat = await native('/v1/suno/generate/concat', { body: { ...seedExample('proxies-native-concat-request.json'), clip_id: src.id } });
    expect(concat.status, JSON.stringify(concat.body)).toBe(200);
    expect(concat.body.id).toMatch(UUID);
    expect(concat.body.metadata.type).toBe('concat');
    const stems = await generate({ ...seedExample('proxies-native-gen-stem-request.json'), continue_clip_id: src.id });
    expect(stems.clips).toHaveLength(2);
    const done = await untilComplete([concat.body.id, ...stems.clips.map((c: J) => c.id)]);
    expect(done.map((c) => c.status)).toEqual(['complete', 'complete', 'complete']);
  });
});

describe('native door, end to end as a native client', () => {
  it('description mode → extend → concat (scenario 6), every id valid from the answer on', async () => {
    const first = await generate({ gpt_description_prompt: 'an anthemic dancepop song', mv: 'chirp-v3-5', make_instrumental: false });
    const [song] = await untilComplete(first.clips.map((c: J) => c.id));
    const extended = await generate({ prompt: '[Verse]\nOne more time', tags: 'dancepop', title: 'Longer', mv: 'chirp-v3-5', continue_clip_id: song.id, continue_at: 3 });
    const [longer] = await untilComplete(extended.clips.map((c: J) => c.id));
    expect(longer).toMatchObject({ status: 'complete', title: 'Longer' });
    const whole = await native('/v1/suno/generate/concat', { body: { clip_id: longer.id } });
    const [full] = await untilComplete([whole.body.id]);
    expect(full.status).toBe('complete');
    await expectAudio(full.audio_url);
  });

  it('upload → continue it with seed 002\'s -upload model and with task "upload_extend"', async () => {
    const up = await native('/v1/suno/uploads/audio-url', { body: { url: `${h.sim.url}/audio/my-demo.wav` } });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expectSameShape(up.body, seedExample('tuzi-native-upload-response.json'), 'upload');
    expect(up.body).toMatchObject({ code: 'success', message: '' });
    const [uploaded] = await untilComplete([up.body.data]);
    expect(uploaded.metadata.type).toBe('upload');
    for (const variant of [{ mv: 'chirp-v3-5-upload' }, { mv: 'chirp-v3-5', task: 'upload_extend' }]) {
      const ext = await generate({ prompt: '[Verse]\nMy own song goes on', tags: 'folk', title: 'Mine', continue_clip_id: uploaded.id, continue_at: 2, ...variant });
      const clips = await untilComplete(ext.clips.map((c: J) => c.id));
      expect(clips.map((c) => c.status), JSON.stringify(variant)).toEqual(['complete', 'complete']);
    }
  });

  it('cover (task "cover") and replace a section (infill_start_s / infill_end_s)', async () => {
    const [src] = await untilComplete((await generate({ prompt: '[Verse]\nOriginal words', tags: 'rock', title: 'Original' })).clips.map((c: J) => c.id));
    const cover = await generate({ task: 'cover', cover_clip_id: src.id, prompt: '[Verse]\nOriginal words', tags: 'jazz', title: 'Covered', mv: 'chirp-v4' });
    const infill = await generate({ prompt: '[Verse]\nNew middle', tags: 'rock', title: 'Fixed', continue_clip_id: src.id, infill_start_s: 1, infill_end_s: 2 });
    const clips = await untilComplete([...cover.clips, ...infill.clips].map((c: J) => c.id));
    expect(clips.map((c) => c.status)).toEqual(['complete', 'complete', 'complete', 'complete']);
    expect(clips[0]).toMatchObject({ title: 'Covered', metadata: { task: 'cover' } });
    expect(clips[2]).toMatchObject({ title: 'Fixed', metadata: { task: 'infill', infill: true } });
  });

  it('stems on Suno\'s web path', async () => {
    const [src] = await untilComplete((await generate({ gpt_description_prompt: 'a song with a voice' })).clips.map((c: J) => c.id));
    const r = await native(`/v1/suno/edit/stems/${src.id}`, { method: 'POST' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const clips = await untilComplete(r.body.clips.map((c: J) => c.id));
    expect(clips.map((c) => c.metadata.type)).toEqual(['edit_stem', 'edit_stem']);
  });

  it('lyrics: {id}, then {id, status, title, text} once written', async () => {
    const r = await native('/v1/suno/generate/lyrics', { body: { prompt: 'a song about a lighthouse' } });
    expect(r.body.id).toMatch(UUID);
    const lyrics = await pollUntil(async () => (await native(`/v1/suno/lyrics/${r.body.id}`)).body, (l) => l.status === 'complete');
    expect(lyrics).toMatchObject({ id: r.body.id, status: 'complete' });
    expect(lyrics.text).toMatch(/\[Verse\]/);
  });

  it('answers errors as {detail} with the HTTP status', async () => {
    const bad = await native('/v1/suno/generate', { body: { prompt: 42 } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body)).toEqual(['detail']);
    expect(bad.body.detail).toContain('prompt');
    const missing = await native('/v1/suno/lyrics/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toMatch(/not found/i);
    const noIds = await native('/v1/suno/feed');
    expect(noIds.status).toBe(400);
    const refused = await native('/v1/suno/generate', { body: { gpt_description_prompt: 'no thanks [sim:reject]', mv: 'chirp-v3-5' } });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('Simulated rejection: prompt refused');
    const unknownModel = await native('/v1/suno/generate', { body: { gpt_description_prompt: 'x', mv: 'chirp-v9' } });
    expect(unknownModel.status).toBe(422);
    expect(unknownModel.body.detail).toContain('chirp-v9');
  });
});
