import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boot, call, dialectClient, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await boot({ durationMs: 60_000 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('bad bodies → 400 in each envelope, nothing created', () => {
  it('native', async () => {
    const api = dialectClient(sim, 'native');
    const model = await api.post('/v1/suno/generate', { prompt: '', mv: 'chirp-v9' });
    expect(model.status).toBe(400);
    expect(model.body.detail).toMatch(/mv: unknown model "chirp-v9"; expected one of chirp-v3-0/);
    const missingMv = await api.post('/v1/suno/generate', { prompt: '' });
    expect(missingMv.body.detail).toMatch(/^Invalid body: mv:/);
    const noPrompt = await api.post('/v1/suno/generate', { mv: 'chirp-v4' });
    expect(noPrompt.body.detail).toMatch(/prompt is required/);
    const unknownClip = await api.post('/v1/suno/generate', { prompt: 'x', mv: 'chirp-v4', continue_clip_id: 'nope', continue_at: 1 });
    expect(unknownClip.body.detail).toBe('Unknown clip id: nope');
    const noAt = await api.post('/v1/suno/generate', { prompt: 'x', mv: 'chirp-v4', continue_clip_id: 'nope' });
    expect(noAt.body.detail).toMatch(/continue_at/);
    const malformed = await call(sim.url, 'POST', '/v1/suno/generate', { dialect: 'native', raw: '{"prompt": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toBe('Invalid body: malformed JSON');
    const array = await api.post('/v1/suno/generate', [1, 2]);
    expect(array.body.detail).toBe('Invalid body: expected a JSON object');
    expect((await api.post('/v1/suno/uploads/audio-url', { url: 'file:///etc/passwd' })).status).toBe(400);
    expect((await api.get('/v1/suno/feed')).body.detail).toMatch(/ids is required/);
    expect((await api.get('/v1/suno/lyrics/nope')).status).toBe(404);
    expect(sim.stats().tasks).toBe(0);
  });

  it('an unfinished source clip cannot be extended', async () => {
    const api = dialectClient(sim, 'native');
    const src = await api.post('/v1/suno/generate', { prompt: 'x', mv: 'chirp-v4' });
    const r = await api.post('/v1/suno/generate/concat', { clip_id: src.body.clips[0].id });
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/is not complete \(status: submitted\)/);
  });

  it('gateway', async () => {
    const api = dialectClient(sim, 'gateway');
    const r = await api.post('/gateway/generate/music', { title: 'x' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 400, msg: 'Invalid body: prompt: prompt is required (empty string = instrumental)', data: null });
    expect((await api.post('/gateway/generate/gpt_desc', { gpt_description_prompt: '' })).body.msg).toMatch(/must not be empty/);
    expect((await api.post('/gateway/generate/gpt_desc', { gpt_description_prompt: 'x', mv: 'v5' })).body.msg).toMatch(/unknown model/);
    const feed = await api.get('/gateway/feed/nope');
    expect(feed.status).toBe(404);
    expect(feed.body).toMatchObject({ code: 404, data: null });
    expect(sim.stats().tasks).toBe(0);
  });

  it('relay', async () => {
    const api = dialectClient(sim, 'relay');
    const r = await api.post('/suno/submit/music', { title: 'only a title' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'error', data: null });
    expect(r.body.message).toMatch(/gpt_description_prompt .* or prompt/);
    expect((await api.post('/suno/submit/music', { prompt: 'x', notify_hook: 'not a url' })).body.message).toMatch(/notify_hook/);
    expect((await api.post('/suno/submit/music', { prompt: 'x', task_id: 'nope' })).body.message).toBe('Unknown task_id: nope');
    expect((await api.post('/suno/fetch', { ids: 'a,b' })).body.message).toMatch(/ids must be an array/);
    const missing = await api.get('/suno/fetch/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('error');
    expect(sim.stats().tasks).toBe(0);
  });

  it('action', async () => {
    const api = dialectClient(sim, 'action');
    const noAction = await api.post('/suno/audios', { prompt: 'x' });
    expect(noAction.status).toBe(400);
    expect(noAction.body).toEqual({ success: false, error: { code: 'bad_request', message: expect.stringMatching(/action is required: one of generate, extend/) } });
    expect((await api.post('/suno/audios', { action: 'dance' })).status).toBe(400);
    // AceData's own words (its error table).
    expect((await api.post('/suno/audios', { action: 'generate', custom: false })).body.error.message).toBe('prompt is required when generate audio');
    expect((await api.post('/suno/audios', { action: 'generate', custom: true, prompt: 'x' })).body.error.message).toBe('lyric is required when generate custom audio');
    expect((await api.post('/suno/audios', { action: 'extend', continue_at: 1 })).body.error.message).toMatch(/audio_id is required when extend audio/);
    expect((await api.post('/suno/audios', { action: 'generate', prompt: 'x', model: 'gpt-4' })).body.error.message).toMatch(/unknown model/);
    expect((await api.post('/suno/tasks', { action: 'list' })).status).toBe(400);
    expect((await api.post('/suno/tasks', { action: 'retrieve', id: 'nope' })).status).toBe(404);
    expect((await api.post('/suno/upload', { audio_url: 'not a url' })).status).toBe(400);
    expect(sim.stats().tasks).toBe(0);
  });

  it('unknown paths answer 404 in the envelope they look like', async () => {
    expect((await call(sim.url, 'GET', '/gateway/nope')).body).toMatchObject({ code: 404, data: null });
    expect((await call(sim.url, 'GET', '/suno/nope')).body).toMatchObject({ code: 'error' });
    expect((await call(sim.url, 'GET', '/suno/audios/x')).body).toMatchObject({ success: false });
    expect((await call(sim.url, 'GET', '/suno/tasks/x')).body).toMatchObject({ success: false, error: { code: 'not_found' } });
    expect((await call(sim.url, 'GET', '/v1/suno/nope')).body).toHaveProperty('detail');
  });
});
