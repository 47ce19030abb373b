import { afterEach, describe, expect, it } from 'vitest';
import { createAdapter } from '../src';
import { fixture } from './helpers/fixtures';
import { API_KEY, mockUpstream, testConfig } from './helpers/mock-upstream';

// Each adapter sends the request the seed documents show and reads the answers they show.

type Json = Record<string, unknown>;
let up = mockUpstream();
afterEach(async () => {
  await up.close();
  up = mockUpstream();
});

describe('native (seeds 002 and 000)', () => {
  it('sends seed 002 custom-mode instrumental request and reads its answer', async () => {
    const adapter = createAdapter(testConfig('native'), { dispatcher: up.agent });
    const answer = fixture('seed002-native-generate-response.json');
    up.on('POST', '/v1/suno/generate', answer);

    const snap = await adapter.submit({ op: 'generate', model: 'chirp-v3-5', input: { prompt: '', tags: 'heavy metal', title: 'Starry ' } });

    const [call] = up.calls;
    expect(call?.method).toBe('POST');
    expect(call?.path).toBe('/v1/suno/generate');
    expect(call?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(call?.headers['content-type']).toBe('application/json');
    expect(call?.body).toStrictEqual(fixture('seed002-native-generate-request.json'));

    expect(snap.taskId).toBe('3d5f0ee4-1d7b-410a-bafd-60a3978284d1');
    expect(snap.state).toBe('running');
    expect(snap.clips.map((c) => c.id)).toEqual(['7070ec00-462e-42ac-9b9f-1074977f473f', '00e6b9e4-c29c-4cfe-8d7a-5b3f06ff5b90']);
    expect(snap.clips[0]).toMatchObject({
      status: 'submitted',
      rawStatus: 'submitted',
      title: 'Starry ',
      tags: 'heavy metal',
      audio_url: null,
      video_url: null,
      image_url: null,
      duration: null,
      model: 'chirp-v3',
      error_message: null,
    });
    expect(snap.clips[0]?.lyrics).toMatch(/^\[Verse\]\nStars they shine above me/);
  });

  it("sends seed 000's description-mode request to the /suno/v2/generate override", async () => {
    const adapter = createAdapter(testConfig('native', { paths: { generate: '/suno/v2/generate' } }), { dispatcher: up.agent });
    up.on('POST', '/suno/v2/generate', fixture('seed000-native-generate-response.json'));

    const snap = await adapter.submit({
      op: 'generate',
      model: 'chirp-v3-5',
      input: { gpt_description_prompt: 'an anthemic dancepop song about dancing all night long', make_instrumental: false },
    });

    expect(up.calls[0]?.path).toBe('/suno/v2/generate');
    expect(up.calls[0]?.body).toStrictEqual(fixture('seed000-native-description-request.json'));
    expect(snap.taskId).toBe('3d5f0ee4-1d7b-410a-bafd-60a3978284d1');
    expect(snap.clips).toHaveLength(2);
  });

  it("reads the seed's clip objects from the feed and regroups them into the task", async () => {
    const adapter = createAdapter(testConfig('native'), { dispatcher: up.agent });
    const clips = fixture<{ clips: Json[] }>('seed002-native-generate-response.json').clips;
    const done = clips.map((c) => ({ ...c, status: 'complete', audio_url: `https://cdn1.suno.ai/${String(c.id)}.mp3` }));
    up.on('GET', (p) => p.startsWith('/v1/suno/feed'), done);

    const ids = clips.map((c) => String(c.id));
    const [snap] = await adapter.query([{ taskId: '3d5f0ee4-1d7b-410a-bafd-60a3978284d1', clipIds: ids, op: 'generate' }]);

    expect(up.calls[0]?.path).toBe(`/v1/suno/feed?ids=${ids.join(',')}`);
    expect(snap?.state).toBe('complete');
    expect(snap?.clips[1]?.audio_url).toBe(`https://cdn1.suno.ai/${ids[1]}.mp3`);
  });
});

describe('gateway (seed 001)', () => {
  const songIds = ['71540f19-d335-4938-95e7-52b3d524d17c', 'afdcb554-249d-4d67-90e3-917f7b4f8bfe'];

  it('sends custom mode to /gateway/generate/music with the api-key header and reads the songs', async () => {
    const adapter = createAdapter(testConfig('gateway'), { dispatcher: up.agent });
    up.on('POST', '/gateway/generate/music', fixture('seed001-gateway-music-response.json'));

    const snap = await adapter.submit({
      op: 'generate',
      model: 'chirp-v3-0',
      input: { title: 'Happy dog Song', tags: 'happy, rock', prompt: 'A happy song about dogs' },
    });

    const [call] = up.calls;
    expect(call?.headers['api-key']).toBe(API_KEY);
    expect(call?.headers.authorization).toBeUndefined();
    expect(call?.body).toStrictEqual({ title: 'Happy dog Song', tags: 'happy, rock', prompt: 'A happy song about dogs', mv: 'chirp-v3-0' });
    expect(snap.taskId).toBe(songIds[0]);
    expect(snap.clips.map((c) => c.id)).toEqual(songIds);
    expect(snap.clips[0]).toMatchObject({ status: 'submitted', title: 'Happy dog Song', tags: 'happy, rock', lyrics: 'A happy song about dogs', model: 'chirp-v3' });
    expect(snap.state).toBe('running');
  });

  it('with gateway_status "feed", feeds one song per request and reads the seed feed answer', async () => {
    const adapter = createAdapter(testConfig('gateway', { max_rps: 1000, options: { gateway_status: 'feed' } }), { dispatcher: up.agent });
    const feed = fixture<{ data: Json }>('seed001-gateway-feed-response.json');
    up.on('GET', `/gateway/feed/${songIds[0]}`, feed);
    up.on('GET', `/gateway/feed/${songIds[1]}`, { ...feed, data: { ...feed.data, song_id: songIds[1] } });

    const [snap] = await adapter.query([{ taskId: songIds[0] ?? '', clipIds: songIds, op: 'generate' }]);

    expect(up.calls.map((c) => c.path)).toEqual(songIds.map((id) => `/gateway/feed/${id}`));
    expect(snap?.state).toBe('complete');
    expect(snap?.clips[0]).toMatchObject({
      status: 'complete',
      audio_url: 'https://cdn1.suno.ai/71540f19-d335-4938-95e7-52b3d524d17c.mp3',
      video_url: 'https://cdn1.suno.ai/71540f19-d335-4938-95e7-52b3d524d17c.mp4',
      image_url: 'https://cdn1.suno.ai/image_71540f19-d335-4938-95e7-52b3d524d17c.png',
      duration: 64,
    });
  });

  it('generates lyrics and reads them back', async () => {
    const adapter = createAdapter(testConfig('gateway'), { dispatcher: up.agent });
    up.on('POST', '/gateway/generate/lyrics', fixture('seed001-gateway-lyrics-submit-response.json'));
    up.on('GET', '/gateway/lyrics/51e70dd6-189d-4bfe-b87c-42c4829d935b', fixture('seed001-gateway-lyrics-get-response.json'));

    const sub = await adapter.submit({ op: 'lyrics', model: 'chirp-v3-0', input: { prompt: 'a dog' } });
    expect(up.calls[0]?.body).toStrictEqual({ prompt: 'a dog' });
    expect(sub).toEqual({ taskId: '51e70dd6-189d-4bfe-b87c-42c4829d935b', state: 'running', clips: [] });

    const [snap] = await adapter.query([{ taskId: sub.taskId, clipIds: [], op: 'lyrics' }]);
    expect(snap).toEqual({ taskId: sub.taskId, state: 'complete', clips: [], lyrics: { title: 'Pawsitive Vibes', text: '[Verse] ...' } });
  });

  it('reads songs_left from /gateway/limit', async () => {
    const adapter = createAdapter(testConfig('gateway'), { dispatcher: up.agent });
    up.on('GET', '/gateway/limit', fixture('seed001-gateway-limit-response.json'));
    const credits = await adapter.credits?.();
    expect(credits).toEqual({ songs_left: 1388, raw: { songs_left: 1388, points: 0 } });
  });
});

describe('relay (seed 003)', () => {
  const answer = fixture('seed003-relay-submit-response.json');

  it('sends inspiration mode and reads the task id', async () => {
    const adapter = createAdapter(testConfig('relay'), { dispatcher: up.agent });
    up.on('POST', '/suno/submit/music', answer);
    const snap = await adapter.submit({ op: 'generate', model: 'chirp-v3-0', input: fixture('seed003-relay-inspiration-request.json') });

    expect(up.calls[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(up.calls[0]?.body).toStrictEqual({ ...fixture('seed003-relay-inspiration-request.json'), make_instrumental: false, mv: 'chirp-v3-0' });
    expect(snap).toEqual({ taskId: '2a145658-3342-4228-b779-b8323a2b77df', state: 'running', clips: [] });
  });

  it('sends custom mode exactly as the seed shows', async () => {
    const adapter = createAdapter(testConfig('relay'), { dispatcher: up.agent });
    up.on('POST', '/suno/submit/music', answer);
    const seed = fixture<{ prompt: string; tags: string; title: string }>('seed003-relay-custom-request.json');
    await adapter.submit({ op: 'generate', model: 'chirp-v3-0', input: { prompt: seed.prompt, tags: seed.tags, title: seed.title } });
    expect(up.calls[0]?.body).toStrictEqual(seed);
  });

  it('sends continuation mode exactly as the seed shows', async () => {
    const adapter = createAdapter(testConfig('relay'), { dispatcher: up.agent });
    up.on('POST', '/suno/submit/music', answer);
    const seed = fixture<{ prompt: string; tags: string; title: string; continue_at: number }>('seed003-relay-continuation-request.json');
    await adapter.submit({
      op: 'extend',
      model: 'chirp-v3-0',
      input: { prompt: seed.prompt, tags: seed.tags, title: seed.title, continue_at: seed.continue_at },
      source: { clipId: 'ce2cfbce-9ea0-45b0-9386-020c0ff54a49', taskId: '736a6f88-bd29-4b1e-b110-37132a5325ac' },
    });
    expect(up.calls[0]?.body).toStrictEqual(seed);
  });
});

describe('action (seed 004)', () => {
  it('with action_submit "blocking", sends the seed request and completes at once on an all-succeeded answer', async () => {
    const adapter = createAdapter(testConfig('action', { options: { action_submit: 'blocking' } }), { dispatcher: up.agent });
    up.on('POST', '/suno/audios', fixture('seed004-action-response.json'));

    const snap = await adapter.submit({ op: 'generate', model: 'chirp-v4', input: { gpt_description_prompt: 'A song for Christmas', make_instrumental: false } });

    expect(up.calls[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(up.calls[0]?.body).toStrictEqual(fixture('seed004-action-generate-request.json'));
    expect(snap.taskId).toBe('2f16f7bc-4135-42c6-b3c5-6d6c49dc8cd5');
    expect(snap.state).toBe('complete');
    expect(snap.clips).toHaveLength(2);
    expect(snap.clips[1]).toMatchObject({
      id: '5dca232b-17cc-4896-a2d1-4b59178bf410',
      status: 'complete',
      rawStatus: 'succeeded',
      title: 'Winter Wonderland',
      tags: 'holiday',
      model: 'chirp-v3',
      audio_url: 'https://cdn1.suno.ai/5dca232b-17cc-4896-a2d1-4b59178bf410.mp3',
    });
    expect(snap.clips[0]?.lyrics).toMatch(/^\[Verse\]\nSnowflakes falling/);
  });

  it('reads the same answer as a callback; without task_id (the seed has none) the first clip names the task', async () => {
    const blocking = createAdapter(testConfig('action', { options: { action_submit: 'blocking' } }), { dispatcher: up.agent });
    const seed = fixture('seed004-action-response.json');
    up.on('POST', '/suno/audios', seed);
    const answered = await blocking.submit({ op: 'generate', model: 'chirp-v4', input: { gpt_description_prompt: 'A song for Christmas' } });
    const [called] = blocking.parseCallback?.(seed) ?? [];
    expect(called).toEqual(answered);
    expect(called?.taskId).toBe('2f16f7bc-4135-42c6-b3c5-6d6c49dc8cd5');
  });
});
