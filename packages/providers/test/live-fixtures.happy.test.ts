import { UpstreamError } from '@refrain/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdapter, type SubmitRequest } from '../src';
import { fixture } from './helpers/fixtures';
import { mockUpstream, testConfig } from './helpers/mock-upstream';

// Each adapter builds the request the live services document and reads the answers they
// document (fixtures/README.md names each source), including the variants between proxies.

type Json = Record<string, unknown>;
let up = mockUpstream();
afterEach(async () => {
  await up.close();
  up = mockUpstream();
});

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as UpstreamError);

describe('action (AceData)', () => {
  const adapter = (over: Json = {}) => createAdapter(testConfig('action', over), { dispatcher: up.agent });
  const describeReq: SubmitRequest = { op: 'generate', model: 'chirp-v4', input: { gpt_description_prompt: 'A song for Christmas' } };

  it('asks about tasks with POST /suno/tasks: retrieve for one, retrieve_batch for many, reading {id, request, response} records', async () => {
    const one = fixture('acedata-tasks-retrieve-response.json');
    const batch = fixture('acedata-tasks-retrieve-batch-response.json');
    up.on('POST', '/suno/tasks', one);
    up.on('POST', '/suno/tasks', batch);
    const a = adapter();
    const [single] = await a.query([{ taskId: 'eae26f89-b64b-404d-a80c-761996660b1c', clipIds: [], op: 'generate' }]);
    const many = await a.query([
      { taskId: 'eae26f89-b64b-404d-a80c-761996660b1c', clipIds: [], op: 'generate' },
      { taskId: '0d3ed03b-912b-4f7d-941b-8441323cb77b', clipIds: [], op: 'generate' },
    ]);
    expect(up.calls.map((c) => c.body)).toEqual([
      { id: 'eae26f89-b64b-404d-a80c-761996660b1c', action: 'retrieve' },
      { ids: ['eae26f89-b64b-404d-a80c-761996660b1c', '0d3ed03b-912b-4f7d-941b-8441323cb77b'], action: 'retrieve_batch' },
    ]);
    expect(single).toMatchObject({ taskId: 'eae26f89-b64b-404d-a80c-761996660b1c', state: 'complete' });
    expect(single?.clips.map((c) => c.id)).toEqual(['b8a4f691-4b14-4120-a7e1-a54a27a0e57e', '1a3343b2-2c24-4584-a2a7-687e2f97f09e']);
    expect(single?.clips[0]).toMatchObject({ status: 'complete', duration: 154.44, tags: 'pop', model: 'chirp-v3.5' });
    expect(many.map((t) => [t.taskId, t.state, t.clips.length])).toEqual([
      ['eae26f89-b64b-404d-a80c-761996660b1c', 'complete', 2],
      ['0d3ed03b-912b-4f7d-941b-8441323cb77b', 'complete', 2],
    ]);
  });

  it('the task id is the answer’s task_id, not its first clip’s', async () => {
    up.on('POST', '/suno/audios', fixture('acedata-audios-blocking-response.json'));
    const snap = await adapter({ options: { action_submit: 'blocking' } }).submit(describeReq);
    expect(snap.taskId).toBe('e72fb249-bd5b-4e2a-b20c-8a06fea5ac14');
    expect(snap.state).toBe('complete');
    expect(snap.clips[0]).toMatchObject({ id: 'b481b17a-bf50-4e10-8adc-4d5635050893', model: 'chirp-auk', status: 'complete' });
  });

  it('asks to be answered at once: callback_url with a notify hook, else async: true; {task_id} is the answer', async () => {
    const atOnce = fixture('acedata-audios-callback-submit-response.json');
    up.on('POST', '/suno/audios', atOnce, { times: 2 });
    const a = adapter({ callbacks: true });
    const hooked = await a.submit({ ...describeReq, notifyHook: 'http://127.0.0.1:3000/hooks/action/tok' });
    const plain = await a.submit(describeReq);
    expect(up.calls[0]?.body).toStrictEqual({ action: 'generate', prompt: 'A song for Christmas', model: 'chirp-v4', custom: false, instrumental: false, callback_url: 'http://127.0.0.1:3000/hooks/action/tok' });
    expect(up.calls[1]?.body).toStrictEqual({ action: 'generate', prompt: 'A song for Christmas', model: 'chirp-v4', custom: false, instrumental: false, async: true });
    for (const snap of [hooked, plain]) expect(snap).toEqual({ taskId: '44472ab8-783b-4054-b861-5bf14e462f60', state: 'running', clips: [] });
    // The callback later posts {success, task_id, data} (AceData's example has no `state`: done clips).
    const [called] = a.parseCallback?.(fixture('acedata-audios-callback-body.json')) ?? [];
    expect(called).toMatchObject({ taskId: '44472ab8-783b-4054-b861-5bf14e462f60', state: 'complete' });
    expect(called?.clips.map((c) => c.status)).toEqual(['complete', 'complete']);
  });

  it('a blocking submission (seed 004’s shape) sends neither, and waits longer than the client timeout for its answer', async () => {
    up.on('POST', '/suno/audios', fixture('seed004-action-response.json'), { delayMs: 400 });
    const blocking = createAdapter(testConfig('action', { options: { action_submit: 'blocking' } }), { dispatcher: up.agent, timeoutMs: 100 });
    const snap = await blocking.submit(describeReq);
    expect(up.calls[0]?.body).toStrictEqual(fixture('seed004-action-generate-request.json'));
    expect(snap.state).toBe('complete');
    up.on('POST', '/suno/audios', fixture('acedata-audios-callback-submit-response.json'), { delayMs: 400 });
    const quick = createAdapter(testConfig('action'), { dispatcher: up.agent, timeoutMs: 100 });
    expect(await failure(quick.submit(describeReq))).toMatchObject({ outcome: 'unknown' });
  });

  it('custom mode and extend carry the lyrics in `lyric`; replace_section uses replace_section_start / _end', async () => {
    up.on('POST', '/suno/audios', fixture('acedata-audios-callback-submit-response.json'), { times: 4 });
    const a = adapter();
    await a.submit({ op: 'generate', model: 'chirp-v4-5', input: { prompt: '[Verse]\nSnow', tags: 'holiday', title: 'Winter' } });
    await a.submit({ op: 'generate', model: 'chirp-v4-5', input: { prompt: '', tags: 'ambient' } });
    await a.submit({ op: 'extend', model: 'chirp-v4-5', input: { continue_at: 2, prompt: 'more' }, source: { clipId: 'c1' } });
    await a.submit({ op: 'replace_section', model: 'chirp-v5-5', input: { prompt: 'new words', infill_start_s: 30, infill_end_s: 60 }, source: { clipId: 'c1' } });
    expect(up.calls.map((c) => c.body)).toStrictEqual([
      { action: 'generate', lyric: '[Verse]\nSnow', model: 'chirp-v4-5', custom: true, instrumental: false, title: 'Winter', style: 'holiday', async: true },
      { action: 'generate', model: 'chirp-v4-5', custom: true, instrumental: true, style: 'ambient', async: true },
      { action: 'extend', lyric: 'more', model: 'chirp-v4-5', custom: true, instrumental: false, audio_id: 'c1', continue_at: 2, async: true },
      {
        action: 'replace_section', lyric: 'new words', prompt: 'new words', model: 'chirp-v5-5', custom: true, instrumental: false,
        audio_id: 'c1', replace_section_start: 30, replace_section_end: 60, async: true,
      },
    ]);
  });

  it('uploads with POST /suno/upload {audio_url} (data.audio_id); edits of an upload are upload_extend and upload_cover', async () => {
    up.on('POST', '/suno/upload', fixture('acedata-upload-response.json'));
    up.on('POST', '/suno/audios', fixture('acedata-audios-callback-submit-response.json'), { times: 3 });
    const a = adapter();
    const uploaded = await a.submit({ op: 'upload', model: 'chirp-v4', input: { audio_url: 'https://cdn.acedata.cloud/suno_demo.mp3' } });
    expect(up.calls[0]).toMatchObject({ path: '/suno/upload', body: { audio_url: 'https://cdn.acedata.cloud/suno_demo.mp3' } });
    expect(uploaded).toMatchObject({ taskId: '058f8450-3df4-4f8b-8b64-ebc2e59ed3bc', state: 'complete', clips: [{ id: '00135f7d-cda1-4d70-b007-779f07143586', status: 'complete', duration: 131.16 }] });
    const source = { clipId: '00135f7d-cda1-4d70-b007-779f07143586', uploaded: true };
    await a.submit({ op: 'extend', model: 'chirp-v4', input: { continue_at: 5, prompt: 'la' }, source });
    await a.submit({ op: 'cover', model: 'chirp-v4', input: { tags: 'jazz' }, source });
    await a.submit({ op: 'cover', model: 'chirp-v4', input: { tags: 'jazz' }, source: { clipId: 'gen1' } });
    expect(up.calls.slice(1).map((c) => (c.body as Json).action)).toEqual(['upload_extend', 'upload_cover', 'cover']);
    // The seed's way, by option.
    up.on('POST', '/suno/audios', fixture('seed004-action-response.json'));
    await adapter({ options: { action_upload: 'upload_generate' } }).submit({ op: 'upload', model: 'chirp-v4', input: { audio_url: 'https://e.com/a.mp3' } });
    expect(up.calls.at(-1)?.body).toMatchObject({ action: 'upload_generate', audio_url: 'https://e.com/a.mp3' });
  });

  it('reads the error envelope {success: false, error: {code, message}, trace_id, task_id}', async () => {
    up.on('POST', '/suno/audios', fixture('acedata-error-400-response.json'), { status: 400 });
    expect(await failure(adapter().submit(describeReq))).toMatchObject({
      code: 'upstream_rejected', retry: false, outcome: 'refused', httpStatus: 400, message: 'lyric is required when generate custom audio',
    });
    up.on('POST', '/suno/audios', fixture('acedata-error-504-response.json'), { status: 504 });
    const timedOut = await failure(adapter().submit(describeReq));
    expect(timedOut).toMatchObject({ outcome: 'unknown', httpStatus: 504, taskId: '9b732b1a-bd67-48bc-95e4-90140e06836f' });
    expect(timedOut.message).toContain('timeout while waiting for audio generation');
  });

  it('a 500 that names its task is that task failing: recorded as failed, nothing sent again', async () => {
    up.on('POST', '/suno/audios', { success: false, error: { code: 'api_error', message: 'job failed with unknown error' }, trace_id: 't', task_id: 'failed-task' }, { status: 500 });
    const snap = await adapter({ options: { action_submit: 'blocking' } }).submit(describeReq);
    expect(snap).toMatchObject({ taskId: 'failed-task', state: 'error', clips: [] });
    expect(snap.error).toContain('job failed with unknown error');
    up.on('POST', '/suno/audios', { success: false, error: { code: 'api_error', message: 'no available worker in system' } }, { status: 500 });
    expect(await failure(adapter().submit(describeReq))).toMatchObject({ outcome: 'refused', retry: true, httpStatus: 500 });
  });

  it('recovers the task a 504 named by asking /suno/tasks about it, and submits nothing', async () => {
    const named = fixture<Json>('acedata-tasks-retrieve-response.json');
    up.on('POST', '/suno/tasks', { ...named, id: '9b732b1a-bd67-48bc-95e4-90140e06836f' });
    const a = adapter();
    const err = new UpstreamError({ provider: 'test-action', code: 'upstream_unavailable', retry: true, outcome: 'unknown', httpStatus: 504, taskId: '9b732b1a-bd67-48bc-95e4-90140e06836f', message: 'x' });
    const found = await a.recover?.(describeReq, err);
    expect(up.calls).toHaveLength(1);
    expect(up.calls[0]?.path).toBe('/suno/tasks');
    expect(found).toMatchObject({ taskId: '9b732b1a-bd67-48bc-95e4-90140e06836f', state: 'complete' });
    expect(await a.recover?.(describeReq, new UpstreamError({ ...err, taskId: undefined, provider: 'p', code: 'upstream_unavailable', retry: true, outcome: 'unknown', message: 'x' }))).toBeUndefined();
  });

  it('offers AceData’s models, spelled as AceData spells them; a codename in a request means the same model', async () => {
    const a = adapter();
    expect(a.models).toEqual(['chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-v4-5-plus', 'chirp-v5', 'chirp-v5-5']);
    expect(a.defaultModel).toBe('chirp-v4');
    up.on('POST', '/suno/audios', fixture('acedata-audios-callback-submit-response.json'));
    await a.submit({ ...describeReq, model: 'chirp-bluejay' });
    expect(up.calls[0]?.body).toMatchObject({ model: 'chirp-v4-5-plus' });
  });
});

describe('native (tu-zi and its sibling proxies)', () => {
  const adapter = (over: Json = {}) => createAdapter(testConfig('native', over), { dispatcher: up.agent });
  const seedClips = fixture<{ clips: Json[] }>('seed002-native-generate-response.json').clips;
  const ids = seedClips.map((c) => String(c.id));
  const ref = { taskId: 'task', clipIds: ids, op: 'generate' as const };

  it('reads the feed as tu-zi answers it ({clips, num_total_results, current_page}) and as siblings do (a bare array at /suno/feed/{ids})', async () => {
    up.on('GET', (p) => p.startsWith('/v1/suno/feed?ids='), fixture('tuzi-native-feed-response.json'));
    up.on('GET', `/suno/feed/${ids.join(',')}`, fixture('proxies-native-feed-path-response.json'));
    const [paged] = await adapter().query([ref]);
    const [bare] = await adapter({ options: { native_feed: 'path' } }).query([ref]);
    expect(up.calls.map((c) => c.path)).toEqual([`/v1/suno/feed?ids=${ids.join(',')}`, `/suno/feed/${ids.join(',')}`]);
    expect(paged).toMatchObject({ state: 'complete' });
    expect(bare).toEqual(paged);
  });

  it('uploads and reads tu-zi’s {code, message, data: "<clip id>"}; a bare clip answer by option', async () => {
    up.on('POST', '/v1/suno/uploads/audio-url', fixture('tuzi-native-upload-response.json'));
    const snap = await adapter().submit({ op: 'upload', model: 'chirp-v4-5', input: { audio_url: 'https://example.com/a.mp3' } });
    expect(up.calls[0]?.body).toStrictEqual({ url: 'https://example.com/a.mp3' });
    expect(snap).toEqual({ taskId: 'm_2e584f32-7ae3-4b2d-93f6-391f65a01f15', state: 'running', clips: [{ id: 'm_2e584f32-7ae3-4b2d-93f6-391f65a01f15', status: 'submitted', rawStatus: 'submitted' }] });
    up.on('POST', '/v1/suno/uploads/audio-url', { ...seedClips[0], id: 'up1', status: 'submitted' });
    expect(await adapter({ options: { native_upload: 'clip' } }).submit({ op: 'upload', model: 'chirp-v4-5', input: { audio_url: 'https://example.com/a.mp3' } })).toMatchObject({ taskId: 'up1', state: 'running' });
    up.on('POST', '/v1/suno/uploads/audio-url', { code: 'error', message: 'url not reachable', data: null });
    expect(await failure(adapter().submit({ op: 'upload', model: 'chirp-v4-5', input: { audio_url: 'https://example.com/a.mp3' } }))).toMatchObject({ code: 'upstream_rejected', message: 'url not reachable' });
  });

  it('extends an upload with task "upload_extend" and the plain model; the deprecated -upload suffix by option, where it exists', async () => {
    const answer = fixture('seed002-native-generate-response.json');
    up.on('POST', '/v1/suno/generate', answer, { times: 2 });
    const source = { clipId: 'up1', uploaded: true };
    await adapter().submit({ op: 'extend', model: 'chirp-v4-5', input: { continue_at: 10, prompt: 'more' }, source });
    await adapter({ options: { native_upload_extend: 'model_suffix' } }).submit({ op: 'extend', model: 'chirp-v3-5', input: { continue_at: 10 }, source });
    expect(up.calls[0]?.body).toMatchObject({ task: 'upload_extend', mv: 'chirp-auk', continue_clip_id: 'up1', continue_at: 10 });
    expect(up.calls[1]?.body).toMatchObject({ mv: 'chirp-v3-5-upload', continue_clip_id: 'up1' });
    expect(up.calls[1]?.body).not.toHaveProperty('task');
    const e = await failure(adapter({ options: { native_upload_extend: 'model_suffix' } }).submit({ op: 'extend', model: 'chirp-v4-5', input: { continue_at: 10 }, source }));
    expect(e.message).toMatch(/-upload model, which exists only for chirp-v3-5 and chirp-v4/);
    expect(up.calls).toHaveLength(2);
  });

  it('splits stems through generate with task gen_stem (the proxies’ documented body); Suno’s /edit/stems path by option', async () => {
    up.on('POST', '/v1/suno/generate', fixture('seed002-native-generate-response.json'));
    up.on('POST', '/v1/suno/edit/stems/4720ad51-6d31-417c-a3a7-346b0b99abbc', fixture('seed002-native-generate-response.json'));
    const source = { clipId: '4720ad51-6d31-417c-a3a7-346b0b99abbc' };
    expect((await adapter().submit({ op: 'stems', model: 'chirp-v4-5', input: {}, source })).clips).toHaveLength(2);
    await adapter({ options: { native_stems: 'edit' } }).submit({ op: 'stems', model: 'chirp-v4-5', input: {}, source });
    expect(up.calls[0]?.body).toStrictEqual(fixture('proxies-native-gen-stem-request.json'));
    expect(up.calls[1]).toMatchObject({ path: '/v1/suno/edit/stems/4720ad51-6d31-417c-a3a7-346b0b99abbc', body: {} });
  });

  it('concatenates with {clip_id, is_infill}: is_infill is true for a replaced section', async () => {
    const clip = { ...seedClips[0], id: 'whole', status: 'complete', audio_url: 'https://x/whole.mp3' };
    up.on('POST', '/v1/suno/generate/concat', clip, { times: 2 });
    await adapter().submit({ op: 'concat', model: 'chirp-v4-5', input: {}, source: { clipId: '4720ad51-6d31-417c-a3a7-346b0b99abbc' } });
    await adapter().submit({ op: 'concat', model: 'chirp-v4-5', input: {}, source: { clipId: 'sect', infill: true } });
    expect(up.calls[0]?.body).toStrictEqual(fixture('proxies-native-concat-request.json'));
    expect(up.calls[1]?.body).toStrictEqual({ clip_id: 'sect', is_infill: true });
  });

  it('covers with task "cover", cover_clip_id and a cover-capable model', async () => {
    up.on('POST', '/v1/suno/generate', fixture('seed002-native-generate-response.json'), { times: 3 });
    for (const model of ['chirp-v4', 'chirp-v3-5', 'chirp-v4-5']) await adapter().submit({ op: 'cover', model, input: { tags: 'jazz' }, source: { clipId: 'c1' } });
    expect(up.calls.map((c) => (c.body as Json).mv)).toEqual(['chirp-v4-tau', 'chirp-v3-5-tau', 'chirp-auk']);
    expect(up.calls[0]?.body).toMatchObject({ task: 'cover', cover_clip_id: 'c1' });
  });

  it('sends the models by their codenames (chirp-auk, chirp-bluejay, chirp-crow, chirp-fenix)', async () => {
    up.on('POST', '/v1/suno/generate', fixture('seed002-native-generate-response.json'), { times: 5 });
    const a = adapter();
    expect(a.models).toEqual(['chirp-v3-0', 'chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-v4-5-plus', 'chirp-v5', 'chirp-v5-5']);
    expect(a.defaultModel).toBe('chirp-v4-5');
    for (const model of ['chirp-v4-5', 'chirp-v4-5-plus', 'chirp-v5', 'chirp-v5-5', 'chirp-v4']) await a.submit({ op: 'generate', model, input: { prompt: 'x' } });
    expect(up.calls.map((c) => (c.body as Json).mv)).toEqual(['chirp-auk', 'chirp-bluejay', 'chirp-crow', 'chirp-fenix', 'chirp-v4']);
  });
});

describe('relay (seed 003, new-api and one-hub)', () => {
  const adapter = () => createAdapter(testConfig('relay'), { dispatcher: up.agent });

  it('asks about any number of tasks in one POST /suno/fetch', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `t${i}`);
    up.on('POST', '/suno/fetch', { code: 'success', message: '', data: [] });
    await adapter().query(ids.map((taskId) => ({ taskId, clipIds: [], op: 'generate' as const })));
    expect(up.calls).toHaveLength(1);
    expect((up.calls[0]?.body as { ids: string[] }).ids).toHaveLength(120);
  });

  it('reads clips that carry state: "succeeded" instead of status, and LYRICS data as an array', async () => {
    up.on('GET', '/suno/fetch/2a145658-3342-4228-b779-b8323a2b77df', fixture('relay-music-state-response.json'));
    up.on('GET', '/suno/fetch/f4a94d75-087b-4bb1-bd45-53ba293faf96', fixture('relay-lyrics-array-state-response.json'));
    const [music] = await adapter().query([{ taskId: '2a145658-3342-4228-b779-b8323a2b77df', clipIds: [], op: 'generate' }]);
    const [lyrics] = await adapter().query([{ taskId: 'f4a94d75-087b-4bb1-bd45-53ba293faf96', clipIds: [], op: 'lyrics' }]);
    expect(music).toMatchObject({ state: 'complete', clips: [{ id: '3435e194-50e7-4edc-9442-bffe072fccfc', status: 'complete', rawStatus: 'succeeded', duration: 128.92 }] });
    expect(lyrics).toEqual({
      taskId: 'f4a94d75-087b-4bb1-bd45-53ba293faf96',
      state: 'complete',
      clips: [],
      lyrics: { title: 'Feline Reverie', text: '[Verse]\nPaws tap-dance on the wooden floor\nWhiskered mischief I adore' },
    });
  });

  it('offers seed 003’s models and sends chirp-auk / chirp-crow for v4.5 / v5', async () => {
    up.on('POST', '/suno/submit/music', fixture('seed003-relay-submit-response.json'), { times: 2 });
    const a = adapter();
    expect(a.models).toEqual(['chirp-v3-0', 'chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-v5']);
    await a.submit({ op: 'generate', model: 'chirp-v4-5', input: { prompt: 'x' } });
    await a.submit({ op: 'generate', model: 'chirp-v5', input: { prompt: 'x' } });
    expect(up.calls.map((c) => (c.body as Json).mv)).toEqual(['chirp-auk', 'chirp-crow']);
  });
});

describe('gateway (seed 001 and sunoaiapi)', () => {
  const adapter = (over: Json = {}) => createAdapter(testConfig('gateway', { max_rps: 1000, ...over }), { dispatcher: up.agent });

  it('asks GET /gateway/query?ids= for a task’s songs in one request and reads its bare array (meta_data)', async () => {
    up.on('GET', '/gateway/query?ids=5cef2a0d-84b2-4390-ad13-82e4fa1c9003', fixture('sunoaiapi-gateway-query-error-response.json'));
    const [snap] = await adapter().query([{ taskId: '5cef2a0d-84b2-4390-ad13-82e4fa1c9003', clipIds: ['5cef2a0d-84b2-4390-ad13-82e4fa1c9003'], op: 'generate' }]);
    expect(snap).toMatchObject({ state: 'error', error: 'Song Description contained artist name: lang lang' });
    expect(snap?.clips[0]).toMatchObject({ status: 'error', model: 'chirp-v3', error_message: 'Song Description contained artist name: lang lang' });
  });

  it('reads a lyrics answer without status ({user_id, text, id, title, lyrics_id}): text present means done', async () => {
    up.on('GET', '/gateway/lyrics/51e70dd6-189d-4bfe-b87c-42c4829d935b', fixture('sunoaiapi-gateway-lyrics-no-status-response.json'));
    const [snap] = await adapter().query([{ taskId: '51e70dd6-189d-4bfe-b87c-42c4829d935b', clipIds: [], op: 'lyrics' }]);
    expect(snap).toEqual({ taskId: '51e70dd6-189d-4bfe-b87c-42c4829d935b', state: 'complete', clips: [], lyrics: { title: 'Pawsitive Vibes', text: '[Verse]\nPaws on the pavement' } });
  });

  it('concatenates with POST /gateway/generate/concat {clip_id}', async () => {
    up.on('POST', '/gateway/generate/concat', fixture('seed001-gateway-music-response.json'));
    const snap = await adapter().submit({ op: 'concat', model: 'chirp-v3-0', input: {}, source: { clipId: 's1' } });
    expect(up.calls[0]?.body).toStrictEqual({ clip_id: 's1' });
    expect(snap.taskId).toBe('71540f19-d335-4938-95e7-52b3d524d17c');
  });
});
