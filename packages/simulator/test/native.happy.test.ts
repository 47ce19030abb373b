import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boot, call, dialectClient, FakeClock, fetchWav, type Sim, type J } from './helpers';

const clock = new FakeClock();
let sim: Sim;
let api: ReturnType<typeof dialectClient>;
const D = 1000;

beforeAll(async () => {
  sim = await boot({ durationMs: D, now: clock.now });
  api = dialectClient(sim, 'native');
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const describeBody = { gpt_description_prompt: 'an anthemic dancepop song about dancing all night long', mv: 'chirp-v3-5', prompt: '', make_instrumental: false };
const customBody = {
  prompt: '[Verse]\nStars they shine above me\n[Chorus]\nStarry night',
  tags: 'heavy metal',
  mv: 'chirp-v4',
  title: 'Starry',
  continue_clip_id: null,
  continue_at: null,
  infill_start_s: null,
  infill_end_s: null,
};

/** tu-zi's feed: `?ids=` answers a page `{clips, num_total_results, current_page}`. */
async function feed(...ids: string[]) {
  const r = await api.get(`/v1/suno/feed?ids=${ids.join(',')}`);
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ num_total_results: r.body.clips.length, current_page: 0 });
  return r.body.clips as Record<string, J>[];
}

/** Generates and runs the task to completion on the fake clock. */
async function completed(body: object = customBody) {
  const r = await api.post('/v1/suno/generate', body);
  expect(r.status).toBe(200);
  clock.advance(D);
  return r.body as { id: string; clips: { id: string }[] };
}

describe('native generate', () => {
  it('description mode: two clips, made-up title and lyrics, status over time, then a real WAV', async () => {
    const r = await api.post('/v1/suno/generate', describeBody);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'complete', batch_size: 1 });
    expect(r.body.clips).toHaveLength(2);
    const [a, b] = r.body.clips;
    expect(a.status).toBe('submitted');
    expect(a.audio_url).toBe('');
    expect(a.title).toBe('Dancing All Night Long');
    expect(a.metadata.gpt_description_prompt).toBe(describeBody.gpt_description_prompt);
    expect(a.metadata.prompt).toMatch(/\[Verse\][\s\S]*\[Chorus\]/);
    expect(a.model_name).toBe('chirp-v3-5');

    expect((await feed(a.id, b.id)).map((c) => c.status)).toEqual(['submitted', 'submitted']);
    clock.advance(D * 0.3);
    expect((await feed(a.id))[0]!.status).toBe('queued');
    clock.advance(D * 0.3);
    const streaming = (await feed(a.id))[0]!;
    expect(streaming.status).toBe('streaming');
    expect(streaming.audio_url).toBe(`${sim.url}/stream/${a.id}.wav`);
    expect((await fetchWav(streaming.audio_url)).info.channels).toBe(1);
    clock.advance(D * 0.4);
    const done = (await feed(a.id))[0]!;
    expect(done).toMatchObject({
      status: 'complete',
      audio_url: `${sim.url}/audio/${a.id}.wav`,
      video_url: `${sim.url}/video/${a.id}.mp4`,
      image_url: `${sim.url}/image/${a.id}.svg`,
    });
    const { info, res } = await fetchWav(done.audio_url);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(Number(res.headers.get('content-length'))).toBe(44 + info.dataBytes);
    expect(info).toMatchObject({ channels: 1, bits: 16, sampleRate: 22050 });
    expect(done.metadata.duration).toBe(info.seconds);
    expect(info.seconds).toBeGreaterThanOrEqual(4);
    expect(info.seconds).toBeLessThanOrEqual(8);

    const img = await fetch(done.image_url);
    expect(img.headers.get('content-type')).toContain('image/svg+xml');
    expect(await img.text()).toContain('<svg');
    expect((await fetch(done.video_url)).status).toBe(404);
  });

  it('custom mode echoes lyrics, tags and title; empty prompt and make_instrumental mean no lyrics', async () => {
    const r = await api.post('/v1/suno/generate', customBody);
    expect(r.body.clips[0]).toMatchObject({ title: 'Starry', metadata: { tags: 'heavy metal', prompt: customBody.prompt, has_vocal: true } });
    const inst = await api.post('/v1/suno/generate', { ...customBody, prompt: '' });
    expect(inst.body.clips[0].metadata).toMatchObject({ prompt: '', has_vocal: false });
    const desc = await api.post('/v1/suno/generate', { ...describeBody, make_instrumental: true });
    expect(desc.body.clips[0].metadata.prompt).toBe('');
  });

  it('feed answers many clips at once, omits unknown ids, and counts queries per task', async () => {
    const one = await api.post('/v1/suno/generate', customBody);
    const two = await api.post('/v1/suno/generate', customBody);
    const ids = [...one.body.clips, ...two.body.clips].map((c: { id: string }) => c.id);
    const clips = await feed(...ids, 'no-such-clip');
    expect(clips.map((c) => c.id)).toEqual(ids);
    // The sibling proxies' path form answers the bare array.
    const path = await api.get(`/v1/suno/feed/${ids[0]}`);
    expect(path.body).toHaveLength(1);
    expect((await api.get(`/suno/feed/${ids.slice(0, 2).join(',')}`)).body).toHaveLength(2);
    const t1 = (await call(sim.url, 'GET', `/_sim/tasks/${one.body.id}`)).body;
    expect(t1).toMatchObject({ taskId: one.body.id, dialect: 'native', statusQueries: 3, state: 'submitted' });
    expect(sim.stats().statusQueries).toBe(3);
  });
});

describe('native edits', () => {
  it('extend continues a complete clip and records its history', async () => {
    const src = await completed();
    const r = await api.post('/v1/suno/generate', { ...customBody, continue_clip_id: src.clips[0]!.id, continue_at: 3.5 });
    expect(r.status).toBe(200);
    expect(r.body.clips[0].metadata.history).toEqual([
      { id: src.clips[0]!.id, continue_at: 3.5, type: 'gen', source: 'web', infill: false },
    ]);
    expect((await call(sim.url, 'GET', `/_sim/tasks/${r.body.id}`)).body.operation).toBe('extend');
  });

  it('upload answers its clip id in the envelope; continuing it is task upload_extend (or a deprecated -upload model)', async () => {
    const up = await api.post('/v1/suno/uploads/audio-url', { url: 'http://127.0.0.1:9/songs/my%20demo.mp3' });
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ code: 'success', message: '', data: expect.any(String) });
    const id = up.body.data as string;
    clock.advance(D);
    expect((await feed(id))[0]).toMatchObject({ status: 'complete', title: 'my demo', metadata: { type: 'upload' } });
    const plain = await api.post('/v1/suno/generate', { ...customBody, mv: 'chirp-auk', continue_clip_id: id, continue_at: 2 });
    expect(plain.status).toBe(400);
    expect(plain.body.detail).toMatch(/upload_extend/);
    const ok = await api.post('/v1/suno/generate', { ...customBody, mv: 'chirp-auk', task: 'upload_extend', continue_clip_id: id, continue_at: 2 });
    expect(ok.status).toBe(200);
    expect(ok.body.clips[0].metadata.history[0].type).toBe('upload');
    expect((await call(sim.url, 'GET', `/_sim/tasks/${ok.body.id}`)).body.operation).toBe('upload_extend');
    // Seed 002's -upload models exist for v3.5 and v4 only.
    expect((await api.post('/v1/suno/generate', { ...customBody, mv: 'chirp-v4-upload', continue_clip_id: id, continue_at: 2 })).status).toBe(200);
    expect((await api.post('/v1/suno/generate', { ...customBody, mv: 'chirp-auk-upload', continue_clip_id: id, continue_at: 2 })).status).toBe(400);
    // upload_extend is for uploads only.
    const src = await completed();
    expect((await api.post('/v1/suno/generate', { ...customBody, task: 'upload_extend', continue_clip_id: src.clips[0]!.id, continue_at: 2 })).status).toBe(400);
  });

  it('upload answers a bare clip where the shape says so', async () => {
    sim.configure({ shapes: { nativeUpload: 'clip' } });
    const up = await api.post('/v1/suno/uploads/audio-url', { url: 'http://127.0.0.1:9/a.mp3' });
    expect(up.body).toMatchObject({ id: expect.any(String), status: 'submitted', metadata: { type: 'upload' } });
  });

  it('cover (with a cover-capable model), infill, concat with is_infill, stems and persona', async () => {
    const src = await completed();
    const id = src.clips[0]!.id;
    const plainModel = await api.post('/v1/suno/generate', { ...customBody, mv: 'chirp-v4', task: 'cover', cover_clip_id: id });
    expect(plainModel.status).toBe(400);
    expect(plainModel.body.detail).toMatch(/cannot cover.*chirp-v4-tau/);
    const cover = await api.post('/v1/suno/generate', { ...customBody, mv: 'chirp-v4-tau', task: 'cover', cover_clip_id: id });
    expect(cover.body.clips[0].metadata.task).toBe('cover');
    const infill = await api.post('/v1/suno/generate', { ...customBody, task: 'infill', continue_clip_id: id, infill_start_s: 1, infill_end_s: 2 });
    expect(infill.body.clips[0].metadata.infill).toBe(true);
    const persona = await api.post('/v1/suno/generate', { ...customBody, task: 'artist_consistency', persona_id: 'p1' });
    expect(persona.status).toBe(200);

    const concat = await api.post('/v1/suno/generate/concat', { clip_id: id, is_infill: false });
    expect(concat.status).toBe(200);
    expect(concat.body.metadata).toMatchObject({ type: 'concat', concat_history: [{ id, continue_at: null }] });
    clock.advance(D);
    // A replaced section becomes a whole song only with is_infill: true.
    const section = infill.body.clips[0].id as string;
    expect((await api.post('/v1/suno/generate/concat', { clip_id: section })).status).toBe(400);
    expect((await api.post('/v1/suno/generate/concat', { clip_id: section, is_infill: true })).status).toBe(200);

    // The proxies' stems: generate with task gen_stem; Suno's own /edit/stems path is served too.
    const stems = await api.post('/v1/suno/generate', { task: 'gen_stem', mv: 'chirp-auk', prompt: '', continue_clip_id: id, stem_task: 'two' });
    expect(stems.body.clips.map((c: J) => c.metadata.stem_type)).toEqual(['vocals', 'instrumental']);
    expect((await call(sim.url, 'GET', `/_sim/tasks/${stems.body.id}`)).body.operation).toBe('stems');
    const edit = await api.post(`/v1/suno/edit/stems/${id}`);
    expect(edit.body.clips).toHaveLength(2);
    clock.advance(D);
    const [v, i] = await feed(...stems.body.clips.map((c: { id: string }) => c.id));
    expect([v!.status, i!.status]).toEqual(['complete', 'complete']);
    expect(sim.stats().requests).toMatchObject({ 'native.generate': 6, 'native.concat': 3, 'native.stems': 1, 'native.feed': 1 });
  });

  it('lyrics: an id, running, then title and text', async () => {
    const r = await api.post('/v1/suno/generate/lyrics', { prompt: 'a song about the sea' });
    expect(r.body).toEqual({ id: expect.any(String) });
    expect((await api.get(`/v1/suno/lyrics/${r.body.id}`)).body).toMatchObject({ status: 'running', text: '' });
    clock.advance(D);
    const done = await api.get(`/v1/suno/lyrics/${r.body.id}`);
    expect(done.body).toMatchObject({ id: r.body.id, status: 'complete', title: 'Sea' });
    expect(done.body.text).toMatch(/\[Verse\]/);
  });
});
