import { afterEach, describe, expect, it } from 'vitest';
import { createAdapter } from '../src';
import { fixture } from './helpers/fixtures';
import { mockUpstream, testConfig } from './helpers/mock-upstream';

// The request shapes docs/providers.md fills the seeds' gaps with (edits, uploads, fetches).

type Json = Record<string, unknown>;
let up = mockUpstream();
afterEach(async () => {
  await up.close();
  up = mockUpstream();
});

const seedClips = fixture<{ clips: Json[] }>('seed002-native-generate-response.json').clips;
const generateAnswer = fixture('seed002-native-generate-response.json');
const oneClip = seedClips[0] ?? {};
const nulls = { continue_clip_id: null, continue_at: null, infill_start_s: null, infill_end_s: null };

describe('native edits', () => {
  const adapter = () => createAdapter(testConfig('native'), { dispatcher: up.agent });

  it('extends an uploaded clip with task upload_extend and the plain model', async () => {
    up.on('POST', '/v1/suno/generate', generateAnswer);
    await adapter().submit({ op: 'extend', model: 'chirp-v3-5', input: { continue_at: 48.762, prompt: 'more', tags: 'metal' }, source: { clipId: 'up1', uploaded: true } });
    expect(up.calls[0]?.body).toStrictEqual({ prompt: 'more', tags: 'metal', mv: 'chirp-v3-5', title: '', ...nulls, continue_clip_id: 'up1', continue_at: 48.762, task: 'upload_extend' });
  });

  it('sings handed-over lyrics in custom mode, keeping a given title', async () => {
    up.on('POST', '/v1/suno/generate', generateAnswer, { times: 2 });
    const lyrics = { title: 'From lyrics', text: '[Verse]\nla la' };
    await adapter().submit({ op: 'generate', model: 'chirp-v4', input: { tags: 'pop' }, lyrics });
    await adapter().submit({ op: 'generate', model: 'chirp-v4', input: { title: 'Mine', gpt_description_prompt: 'ignored' }, lyrics });
    expect(up.calls[0]?.body).toMatchObject({ prompt: lyrics.text, title: 'From lyrics', tags: 'pop', mv: 'chirp-v4' });
    expect(up.calls[1]?.body).toMatchObject({ prompt: lyrics.text, title: 'Mine' });
    expect(up.calls[1]?.body).not.toHaveProperty('gpt_description_prompt');
  });

  it('covers, replaces a section and applies a persona with Suno web API fields', async () => {
    up.on('POST', '/v1/suno/generate', generateAnswer, { times: 3 });
    const a = adapter();
    await a.submit({ op: 'cover', model: 'chirp-v4', input: { tags: 'jazz', negative_tags: 'metal' }, source: { clipId: 'c1' } });
    await a.submit({ op: 'replace_section', model: 'chirp-v4', input: { prompt: 'new words', infill_start_s: 10, infill_end_s: 20 }, source: { clipId: 'c1' } });
    await a.submit({ op: 'persona', model: 'chirp-v4', input: { persona_id: 'p1', prompt: 'la' }, source: { clipId: 'c1' } });
    expect(up.calls[0]?.body).toStrictEqual({ prompt: '', tags: 'jazz', mv: 'chirp-v4-tau', title: '', negative_tags: 'metal', ...nulls, task: 'cover', cover_clip_id: 'c1' });
    expect(up.calls[1]?.body).toStrictEqual({
      prompt: 'new words', tags: '', mv: 'chirp-v4', title: '', ...nulls,
      task: 'infill', continue_clip_id: 'c1', infill_start_s: 10, infill_end_s: 20,
    });
    expect(up.calls[2]?.body).toMatchObject({ task: 'artist_consistency', persona_id: 'p1', artist_clip_id: 'c1', prompt: 'la' });
  });

  it('with the clip / edit variants: uploads, concatenates and splits stems, each answered with clips', async () => {
    const a = createAdapter(testConfig('native', { options: { native_upload: 'clip', native_stems: 'edit' } }), { dispatcher: up.agent });
    up.on('POST', '/v1/suno/uploads/audio-url', { ...oneClip, id: 'up1', status: 'submitted' });
    up.on('POST', '/v1/suno/generate/concat', { ...oneClip, id: 'whole', status: 'complete', audio_url: 'https://x/whole.mp3' });
    up.on('POST', '/v1/suno/edit/stems/c%2F1', generateAnswer);

    expect(await a.submit({ op: 'upload', model: 'chirp-v4', input: { audio_url: 'https://example.com/a.mp3' } })).toMatchObject({ taskId: 'up1', state: 'running' });
    expect(await a.submit({ op: 'concat', model: 'chirp-v4', input: {}, source: { clipId: 'c9' } })).toMatchObject({ taskId: 'whole', state: 'complete' });
    expect((await a.submit({ op: 'stems', model: 'chirp-v4', input: { clip_id: 'c/1' } })).clips).toHaveLength(2);
    expect(up.calls.map((c) => c.body)).toEqual([{ url: 'https://example.com/a.mp3' }, { clip_id: 'c9', is_infill: false }, {}]);
  });

  it('passes upstream extras verbatim, never over a field Refrain sets', async () => {
    const warn: string[] = [];
    const a = createAdapter(testConfig('native'), { dispatcher: up.agent, warn: (m) => warn.push(m) });
    up.on('POST', '/v1/suno/generate', generateAnswer);
    await a.submit({ op: 'generate', model: 'chirp-v4', input: { prompt: 'la', upstream: { vocal_gender: 'f', style_weight: 0.7, mv: 'chirp-v9' } } });
    expect(up.calls[0]?.body).toMatchObject({ prompt: 'la', mv: 'chirp-v4', vocal_gender: 'f', style_weight: 0.7 });
    expect(warn).toEqual(['upstream extra "mv" left out: Refrain sets that field itself']);
  });

  it('generates lyrics and polls them', async () => {
    const a = adapter();
    up.on('POST', '/v1/suno/generate/lyrics', { id: 'l1' });
    up.on('GET', '/v1/suno/lyrics/l1', { id: 'l1', status: 'running', title: '', text: '' });
    up.on('GET', '/v1/suno/lyrics/l1', { id: 'l1', status: 'complete', title: 'T', text: 'words' });
    expect(await a.submit({ op: 'lyrics', model: 'chirp-v4', input: { prompt: 'rain' } })).toEqual({ taskId: 'l1', state: 'running', clips: [] });
    expect(up.calls[0]?.body).toStrictEqual({ prompt: 'rain' });
    const ref = { taskId: 'l1', clipIds: [], op: 'lyrics' as const };
    expect((await a.query([ref]))[0]?.state).toBe('running');
    expect((await a.query([ref]))[0]).toEqual({ taskId: 'l1', state: 'complete', clips: [], lyrics: { title: 'T', text: 'words' } });
  });

  it('batches query_batch_size clip ids per feed and leaves out tasks the feed does not know', async () => {
    const a = createAdapter(testConfig('native', { query_batch_size: 50 }), { dispatcher: up.agent });
    const refs = Array.from({ length: 30 }, (_, i) => ({ taskId: `t${i}`, clipIds: [`t${i}a`, `t${i}b`], op: 'generate' as const }));
    up.on(
      'GET',
      (p) => p.startsWith('/v1/suno/feed'),
      (c: { path: string }) => decodeURIComponent(c.path.split('ids=')[1] ?? '').split(',').filter((id) => id !== 't0a' && id !== 't0b').map((id) => ({ ...oneClip, id, status: 'streaming', audio_url: 'https://x/a.mp3' })),
      { times: 2 },
    );
    const snaps = await a.query(refs);
    expect(up.calls).toHaveLength(2);
    expect(snaps).toHaveLength(29);
    expect(snaps[0]).toMatchObject({ taskId: 't1', state: 'running' });
  });
});

describe('gateway edits', () => {
  it('extends through /gateway/generate/music and describes through gpt_desc', async () => {
    const a = createAdapter(testConfig('gateway'), { dispatcher: up.agent });
    up.on('POST', '/gateway/generate/music', fixture('seed001-gateway-music-response.json'));
    up.on('POST', '/gateway/generate/gpt_desc', fixture('seed001-gateway-music-response.json'));
    await a.submit({ op: 'extend', model: 'chirp-v3-0', input: { continue_at: 30, prompt: 'more', tags: 'rock', title: 'T' }, source: { clipId: 's1' } });
    await a.submit({ op: 'generate', model: 'chirp-v3-5', input: { gpt_description_prompt: 'a dog song', make_instrumental: true } });
    expect(up.calls[0]?.body).toStrictEqual({ title: 'T', tags: 'rock', prompt: 'more', mv: 'chirp-v3-0', continue_at: 30, continue_clip_id: 's1' });
    expect(up.calls[1]?.body).toStrictEqual({ gpt_description_prompt: 'a dog song', make_instrumental: true, mv: 'chirp-v3-5', prompt: '' });
  });
});

describe('relay tasks', () => {
  const task = (id: string, status: string, clips: Json[] = []) => ({ task_id: id, action: 'MUSIC', status, fail_reason: '', submit_time: 1, progress: '50%', data: clips });

  it('sends notify_hook and lyrics, fetches one task by GET and many by POST /suno/fetch', async () => {
    const a = createAdapter(testConfig('relay', { callbacks: true }), { dispatcher: up.agent });
    up.on('POST', '/suno/submit/lyrics', { code: 'success', message: '', data: 'lt1' });
    up.on('GET', '/suno/fetch/t1', { code: 'success', message: '', data: task('t1', 'IN_PROGRESS', [{ ...oneClip, id: 'a', status: 'streaming' }]) });
    up.on('POST', '/suno/fetch', { code: 'success', message: '', data: [task('t1', 'SUCCESS', [{ ...oneClip, id: 'a' }]), { task_id: 'lt1', action: 'LYRICS', status: 'SUCCESS', data: { id: 'x', text: 'words', title: 'T', status: 'complete' } }] });

    await a.submit({ op: 'lyrics', model: 'chirp-v3-0', input: { prompt: 'rain' }, notifyHook: 'http://127.0.0.1:3000/hooks/relay/tok' });
    expect(up.calls[0]?.body).toStrictEqual({ prompt: 'rain', notify_hook: 'http://127.0.0.1:3000/hooks/relay/tok' });

    const t1 = { taskId: 't1', clipIds: ['a'], op: 'generate' as const };
    expect((await a.query([t1]))[0]).toMatchObject({ state: 'running', clips: [{ id: 'a', status: 'streaming' }] });
    const both = await a.query([t1, { taskId: 'lt1', clipIds: [], op: 'lyrics' }]);
    expect(up.calls[2]?.body).toStrictEqual({ ids: ['t1', 'lt1'] });
    expect(both[0]).toMatchObject({ taskId: 't1', state: 'complete', clips: [{ status: 'complete' }] });
    expect(both[1]).toEqual({ taskId: 'lt1', state: 'complete', clips: [], lyrics: { title: 'T', text: 'words' } });
  });

  it('reads a callback with and without the envelope, and refuses other shapes', () => {
    const a = createAdapter(testConfig('relay'));
    const body = task('t9', 'FAILURE', [{ ...oneClip, id: 'z' }]);
    const failed = { ...body, fail_reason: 'content policy' };
    const bare = a.parseCallback?.(failed);
    const wrapped = a.parseCallback?.({ code: 'success', message: '', data: failed });
    expect(bare).toEqual(wrapped);
    expect(bare?.[0]).toMatchObject({ taskId: 't9', state: 'error', error: 'content policy', clips: [{ status: 'error', error_message: 'content policy' }] });
    expect(() => a.parseCallback?.({ hello: 'world' })).toThrow(/relay callback/);
  });
});

describe('action edits', () => {
  const ok = fixture('seed004-action-response.json');
  const send = async (req: Parameters<ReturnType<typeof createAdapter>['submit']>[0], options = {}) => {
    up.on('POST', '/suno/audios', ok);
    await createAdapter(testConfig('action', { options }), { dispatcher: up.agent }).submit(req);
    return up.calls.at(-1)?.body;
  };

  it('maps each op onto its action word', async () => {
    expect(await send({ op: 'generate', model: 'chirp-v4', input: { prompt: '', tags: 'ambient', title: 'T' }, notifyHook: 'http://127.0.0.1/h' })).toStrictEqual({
      action: 'generate', model: 'chirp-v4', custom: true, instrumental: true, title: 'T', style: 'ambient', callback_url: 'http://127.0.0.1/h',
    });
    expect(await send({ op: 'extend', model: 'chirp-v4', input: { continue_at: 12, prompt: 'la' }, source: { clipId: 'c1' } })).toMatchObject({ action: 'extend', audio_id: 'c1', continue_at: 12, lyric: 'la', custom: true });
    expect(await send({ op: 'extend', model: 'chirp-v4', input: { continue_at: 12 }, source: { clipId: 'u1', uploaded: true } })).toMatchObject({ action: 'upload_extend', audio_id: 'u1' });
    expect(await send({ op: 'upload', model: 'chirp-v4', input: { audio_url: 'https://e.com/a.mp3' } }, { action_upload: 'upload_generate' })).toStrictEqual({ action: 'upload_generate', audio_url: 'https://e.com/a.mp3', model: 'chirp-v4', async: true });
    expect(await send({ op: 'concat', model: 'chirp-v4', input: {}, source: { clipId: 'c1' } })).toStrictEqual({ action: 'concat', audio_id: 'c1', async: true });
    expect(await send({ op: 'stems', model: 'chirp-v4', input: { clip_id: 'c2' } })).toStrictEqual({ action: 'stems', audio_id: 'c2', async: true });
    expect(await send({ op: 'cover', model: 'chirp-v4', input: { tags: 'jazz' }, source: { clipId: 'c1' } })).toMatchObject({ action: 'cover', audio_id: 'c1', style: 'jazz' });
    expect(await send({ op: 'replace_section', model: 'chirp-v4', input: { prompt: 'x', infill_start_s: 5, infill_end_s: 9 }, source: { clipId: 'c1' } })).toMatchObject({ action: 'replace_section', audio_id: 'c1', replace_section_start: 5, replace_section_end: 9 });
    expect(await send({ op: 'persona', model: 'chirp-v4', input: { persona_id: 'p1', prompt: 'la', negative_tags: 'metal' } })).toMatchObject({ action: 'artist_consistency', persona_id: 'p1', style_negative: 'metal' });
  });
});
