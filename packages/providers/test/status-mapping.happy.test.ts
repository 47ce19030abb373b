import { CLIP_STATUSES } from '@refrain/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACTION_STATUS, GATEWAY_STATUS, LYRICS_STATUS, NATIVE_STATUS, RELAY_STATUS, createAdapter } from '../src';
import { mockUpstream, testConfig } from './helpers/mock-upstream';

// Every row of every status table, read through the real adapters; unknown words warn and keep running.

let up = mockUpstream();
afterEach(async () => {
  await up.close();
  up = mockUpstream();
});

const sunoClip = (id: string, status: string, audio_url = '') => ({ id, status, audio_url, video_url: '', title: 't', metadata: { error_message: status === 'error' ? 'boom' : null } });

it('tables cover the words docs/providers.md lists, onto clip states only', () => {
  expect(Object.keys(NATIVE_STATUS)).toEqual(['submitted', 'queued', 'streaming', 'complete', 'error']);
  expect(GATEWAY_STATUS).toEqual(NATIVE_STATUS);
  expect(RELAY_STATUS).toEqual({ NOT_START: 'queued', SUBMITTED: 'queued', QUEUED: 'queued', IN_PROGRESS: 'streaming', SUCCESS: 'complete', FAILURE: 'error' });
  expect(Object.keys(ACTION_STATUS).sort()).toEqual(['complete', 'error', 'failed', 'pending', 'processing', 'queued', 'running', 'streaming', 'succeeded']);
  for (const table of [NATIVE_STATUS, GATEWAY_STATUS, RELAY_STATUS, ACTION_STATUS]) {
    for (const v of Object.values(table)) expect(CLIP_STATUSES).toContain(v);
  }
  expect(LYRICS_STATUS).toMatchObject({ complete: 'complete', running: 'running', error: 'error' });
});

describe('native', () => {
  it.each(Object.entries(NATIVE_STATUS))('%s → %s', async (word, expected) => {
    const warn = vi.fn();
    up.on('GET', (p) => p.startsWith('/v1/suno/feed'), [sunoClip('c1', word)]);
    const [snap] = await createAdapter(testConfig('native'), { dispatcher: up.agent, warn }).query([{ taskId: 't', clipIds: ['c1'], op: 'generate' }]);
    expect(snap?.clips[0]?.status).toBe(expected);
    expect(snap?.state).toBe(expected === 'complete' ? 'complete' : expected === 'error' ? 'error' : 'running');
    if (expected === 'error') expect(snap?.error).toBe('boom');
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ['mystery', '', 'queued'],
    ['mystery', 'https://x/a.mp3', 'streaming'],
    ['constructor', '', 'queued'],
  ])('unknown %s (audio %s) warns and counts as %s', async (word, audio, expected) => {
    const warn = vi.fn();
    up.on('GET', (p) => p.startsWith('/v1/suno/feed'), [sunoClip('c1', word, audio)]);
    const [snap] = await createAdapter(testConfig('native'), { dispatcher: up.agent, warn }).query([{ taskId: 't', clipIds: ['c1'], op: 'generate' }]);
    expect(snap).toMatchObject({ state: 'running', clips: [{ status: expected, rawStatus: word }] });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(word), expect.objectContaining({ clipId: 'c1', status: word }));
  });
});

describe('gateway', () => {
  it.each([...Object.entries(GATEWAY_STATUS), ['mystery', 'queued']])('%s → %s (query and per-song feed)', async (word, expected) => {
    const warn = vi.fn();
    up.on('GET', '/gateway/query?ids=s1', [{ id: 's1', status: word, audio_url: '', meta_data: {} }]);
    up.on('GET', '/gateway/feed/s1', { code: 0, msg: 'success', data: { song_id: 's1', status: word, audio_url: '' } });
    const ref = { taskId: 's1', clipIds: ['s1'], op: 'generate' as const };
    const [queried] = await createAdapter(testConfig('gateway'), { dispatcher: up.agent, warn }).query([ref]);
    const [fed] = await createAdapter(testConfig('gateway', { options: { gateway_status: 'feed' } }), { dispatcher: up.agent, warn }).query([ref]);
    expect(queried?.clips[0]?.status).toBe(expected);
    expect(fed?.clips[0]?.status).toBe(expected);
    expect(warn).toHaveBeenCalledTimes(word === 'mystery' ? 2 : 0);
  });
});

describe('relay', () => {
  const fetchOne = async (status: string, clips: unknown[], warn = vi.fn()) => {
    up.on('GET', '/suno/fetch/t1', { code: 'success', message: '', data: { task_id: 't1', action: 'MUSIC', status, fail_reason: status === 'FAILURE' ? 'bad lyrics' : null, data: clips } });
    const [snap] = await createAdapter(testConfig('relay'), { dispatcher: up.agent, warn }).query([{ taskId: 't1', clipIds: ['a'], op: 'generate' }]);
    return snap;
  };

  it.each(Object.entries(RELAY_STATUS))('%s → %s for clips without their own status rules', async (word, expected) => {
    const snap = await fetchOne(word, [sunoClip('a', '')]); // '' = the clip states nothing of its own
    expect(snap?.clips[0]?.status).toBe(expected);
    if (word === 'FAILURE') expect(snap).toMatchObject({ state: 'error', error: 'bad lyrics' });
    if (word === 'SUCCESS') expect(snap?.state).toBe('complete');
  });

  it('IN_PROGRESS keeps the clips their own status', async () => {
    const snap = await fetchOne('IN_PROGRESS', [sunoClip('a', 'complete'), { ...sunoClip('b', 'queued') }]);
    expect(snap?.clips.map((c) => c.status)).toEqual(['complete', 'queued']);
    expect(snap?.state).toBe('running');
    const empty = await fetchOne('IN_PROGRESS', []);
    expect(empty).toMatchObject({ state: 'running', clips: [] });
  });

  it('IN_PROGRESS with an unknown clip word warns and uses the task status', async () => {
    const warn = vi.fn();
    const snap = await fetchOne('IN_PROGRESS', [sunoClip('a', 'rendering')], warn);
    expect(snap?.clips[0]?.status).toBe('streaming');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('rendering'), expect.objectContaining({ clipId: 'a' }));
  });

  it.each(['UNKNOWN', 'PAUSED'])('%s warns and stays running', async (word) => {
    const warn = vi.fn();
    const snap = await fetchOne(word, [sunoClip('a', 'streaming', 'https://x/a.mp3')], warn);
    expect(snap).toMatchObject({ state: 'running', clips: [{ status: 'streaming' }] });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(word), expect.objectContaining({ taskId: 't1' }));
  });
});

describe('action', () => {
  it.each([...Object.entries(ACTION_STATUS), ['weird', 'queued']])('%s → %s', async (word, expected) => {
    const warn = vi.fn();
    const snaps = createAdapter(testConfig('action'), { warn }).parseCallback?.({ success: true, data: [{ id: 'c1', state: word, error: word === 'failed' || word === 'error' ? 'moderated' : undefined }] });
    expect(snaps?.[0]?.clips[0]?.status).toBe(expected);
    if (expected === 'error') expect(snaps?.[0]).toMatchObject({ state: 'error', error: 'moderated' });
    expect(warn).toHaveBeenCalledTimes(word === 'weird' ? 1 : 0);
  });
});

describe('lyrics', () => {
  it.each([...Object.entries(LYRICS_STATUS), ['whatever', 'running']])('%s → task %s', async (word, expected) => {
    const warn = vi.fn();
    up.on('GET', '/gateway/lyrics/l1', { code: 0, msg: 'success', data: { text: 'w', title: 't', status: word } });
    const [snap] = await createAdapter(testConfig('gateway'), { dispatcher: up.agent, warn }).query([{ taskId: 'l1', clipIds: [], op: 'lyrics' }]);
    expect(snap?.state).toBe(expected);
    expect(warn).toHaveBeenCalledTimes(word === 'whatever' ? 1 : 0);
  });
});
