import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  actionAnswer,
  actionClip,
  errorEnvelope,
  gatewaySong,
  lyricsView,
  nativeBatch,
  nativeClip,
  okEnvelope,
  relayTask,
  type WireClip,
} from '../src';

// The seeds' own examples (packages/providers/test/fixtures, copied verbatim from shared/seeds).
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../providers/test/fixtures/${name}`, import.meta.url), 'utf8'));

const clip = (over: Partial<WireClip> = {}): WireClip => ({
  id: '7070ec00-462e-42ac-9b9f-1074977f473f',
  status: 'complete',
  title: 'Starry',
  tags: 'heavy metal',
  negativeTags: '',
  lyrics: '[Verse]\nStars they shine above me',
  description: null,
  model: 'chirp-v3-5',
  createdAt: '2024-07-22T07:56:36.710Z',
  audioUrl: 'https://cdn.example/a.mp3',
  videoUrl: 'https://cdn.example/a.mp4',
  imageUrl: 'https://cdn.example/a.png',
  duration: 64,
  errorMessage: null,
  errorType: null,
  type: 'gen',
  task: null,
  stemType: null,
  history: null,
  concatHistory: null,
  hasVocal: true,
  uploaded: false,
  owner: { userId: 'u', displayName: 'd', handle: 'h' },
  ...over,
});

/** Every key the example has, with a value of the same JSON type (null matches anything: the seeds show null for "not yet"). */
function expectSameShape(actual: Record<string, unknown>, example: Record<string, unknown>, where: string) {
  for (const [k, v] of Object.entries(example)) {
    expect(Object.keys(actual), `${where}: ${k}`).toContain(k);
    if (v !== null && actual[k] !== null) expect(typeof actual[k], `${where}.${k}`).toBe(typeof v);
  }
}

describe('wire renderers give the fields the seeds document', () => {
  it('native clip and batch (seed 002)', () => {
    const seed = fixture('seed002-native-generate-response.json');
    const batch = nativeBatch({ id: 'b', createdAt: clip().createdAt, clips: [clip({ status: 'submitted' }), clip({ status: 'submitted' })], model: 'chirp-v3-5' });
    expectSameShape(batch, seed, 'batch');
    expectSameShape((batch.clips as Record<string, unknown>[])[0]!, seed.clips[0], 'clip');
    expectSameShape((batch.clips as { metadata: Record<string, unknown> }[])[0]!.metadata, seed.clips[0].metadata, 'clip.metadata');
    expect(batch.status).toBe('complete'); // the batch's, as Suno says it; clips carry their own
    expect(nativeClip(clip()).major_model_version).toBe('v3.5');
    expect(nativeClip(clip({ model: 'chirp-auk' })).major_model_version).toBe('v4.5');
  });

  it('gateway song (seed 001)', () => {
    const seed = fixture('seed001-gateway-feed-response.json');
    expectSameShape(gatewaySong(clip()), seed.data, 'song');
    expect(gatewaySong(clip({ status: 'error', errorMessage: 'refused' }))).toMatchObject({ meta_error_msg: 'refused', status: 'error' });
  });

  it('relay task (seed 003 and the common relays)', () => {
    const seed = fixture('relay-music-state-response.json');
    const done = { id: 't', action: 'MUSIC', status: 'SUCCESS', failReason: '', submitTime: 1, startTime: 2, finishTime: 3, progress: 100, clips: [clip()], lyrics: null } as const;
    const task = relayTask(done);
    expectSameShape(task, seed.data, 'task');
    expect(task.progress).toBe('100%');
    const stated = relayTask(done, { clipStatus: 'state', lyricsData: 'object' });
    expect((stated.data as Record<string, unknown>[])[0]).toMatchObject({ state: 'succeeded' });
    const lyrics = relayTask({
      id: 'l', action: 'LYRICS', status: 'SUCCESS', failReason: '', submitTime: 1, startTime: 2, finishTime: 3, progress: 100, clips: [],
      lyrics: { id: 'l', status: 'complete', title: 'T', text: 'words', errorMessage: null },
    });
    expect(lyrics.data).toEqual({ id: 'l', status: 'complete', title: 'T', text: 'words' });
  });

  it('action answer and clip (seed 004)', () => {
    const seed = fixture('seed004-action-response.json');
    const answer = actionAnswer({ taskId: 't', traceId: 'r', clips: [clip()], failure: null });
    expectSameShape(answer, seed, 'answer');
    expectSameShape(actionClip(clip()), seed.data[0], 'clip');
    expect(actionClip(clip()).state).toBe('succeeded');
    expect(actionAnswer({ taskId: 't', traceId: 'r', clips: [], failure: 'no' })).toEqual({ success: false, error: { code: 'api_error', message: 'no' }, task_id: 't', trace_id: 'r' });
  });

  it('lyrics: text only once complete', () => {
    expect(lyricsView({ id: 'l', status: 'running', title: 'T', text: 'x', errorMessage: null })).toEqual({ status: 'running', title: '', text: '' });
    expect(lyricsView({ id: 'l', status: 'complete', title: 'T', text: 'x', errorMessage: null })).toEqual({ status: 'complete', title: 'T', text: 'x' });
  });

  it('envelopes per dialect', () => {
    expectSameShape(okEnvelope('relay', 'task-id') as Record<string, unknown>, fixture('seed003-relay-submit-response.json'), 'relay submit');
    expect(okEnvelope('relay', 'task-id')).toEqual({ code: 'success', message: '', data: 'task-id' });
    expect(okEnvelope('gateway', { songs_left: 1 })).toEqual({ code: 0, msg: 'success', data: { songs_left: 1 } });
    expect(errorEnvelope('native', 404, 'gone')).toEqual({ detail: 'gone' });
    expect(errorEnvelope('relay', 400, 'bad')).toEqual({ code: 'error', message: 'bad', data: null });
    expect(errorEnvelope('gateway', 401, 'key')).toEqual({ code: 401, msg: 'key', data: null });
    expect(errorEnvelope('action', 404, 'no')).toEqual({ success: false, error: { code: 'not_found', message: 'no' } });
  });
});
