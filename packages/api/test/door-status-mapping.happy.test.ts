import { describe, expect, it } from 'vitest';
import type { DoorRecord } from '@refrain/db';
import { actionClip } from '@refrain/wire';
import { doorTask } from '../src/doors/core/task-view';
import { relayTaskOf } from '../src/doors/relay/task';

// The status mapping of docs/doors.md, as pure functions of what Postgres holds.

const at = new Date('2025-05-01T10:00:00Z');
type Clip = DoorRecord['clips'][number];
const clip = (position: number, over: Partial<Clip> = {}): Clip => ({
  provider: 'sim', id: `up-${position}`, generationId: 'gen_1', stepIndex: 0, position, status: 'queued', statusRank: 1,
  title: 'Up', tags: 'rock', lyrics: '[Verse]\nla', audioUrl: null, videoUrl: null, imageUrl: null, duration: null, model: 'chirp-v3-5',
  errorMessage: null, uploaded: false, updatedAt: at, ...over,
});

function record(step: Partial<DoorRecord['step']>, clips: Clip[] = [], generation: Partial<DoorRecord['generation']> = {}): DoorRecord {
  return {
    id: 'task-1', tenantId: 'alpha', door: 'relay', kind: 'task', position: null, request: {}, createdAt: at,
    generation: { id: 'gen_1', status: 'running', provider: 'sim', error: null, metadata: {}, createdAt: at, updatedAt: at, finishedAt: null, ...generation },
    step: { index: 0, op: 'generate', status: 'pending', input: { op: 'generate', prompt: '[Verse]\nmine', title: 'Mine', tags: 'pop' }, error: null, lyrics: null, upstreamTaskId: null, startedAt: null, submittedAt: null, finishedAt: null, ...step },
    clips, slots: ['door-a', 'door-b'], taskId: 'task-1',
  };
}

describe('a door task from Refrain\'s step and clips', () => {
  it('before upstream answers: the door\'s own ids, the request\'s fields, submitted', () => {
    const t = doorTask(record({ status: 'pending' }), 'chirp-v4');
    expect(t.phase).toBe('pending');
    expect(t.clips.map((c) => [c.id, c.status, c.title, c.tags, c.lyrics, c.model])).toEqual([
      ['door-a', 'submitted', 'Mine', 'pop', '[Verse]\nmine', 'chirp-v4'],
      ['door-b', 'submitted', 'Mine', 'pop', '[Verse]\nmine', 'chirp-v4'],
    ]);
    expect(relayTaskOf(t)).toMatchObject({ task_id: 'task-1', status: 'NOT_START', progress: '0%', start_time: 0, finish_time: 0 });
    expect(relayTaskOf(doorTask(record({ status: 'submitting' }), 'chirp-v4'))).toMatchObject({ status: 'SUBMITTED', progress: '10%' });
  });

  it('waiting: queued until a clip streams, then each slot its upstream clip (never its upstream id)', () => {
    const queued = doorTask(record({ status: 'waiting', submittedAt: at }), 'chirp-v4');
    expect(queued.phase).toBe('queued');
    expect(queued.clips.map((c) => c.status)).toEqual(['queued', 'queued']);
    expect(relayTaskOf(queued)).toMatchObject({ status: 'QUEUED', progress: '20%', start_time: at.getTime() / 1000 });
    const streaming = doorTask(record({ status: 'waiting' }, [clip(0, { status: 'complete', audioUrl: 'http://a/0.wav', duration: 5 }), clip(1, { status: 'streaming', audioUrl: 'http://a/s1.wav' })]), 'chirp-v4');
    expect(streaming.phase).toBe('streaming');
    expect(streaming.clips.map((c) => [c.id, c.status, c.audioUrl, c.title])).toEqual([
      ['door-a', 'complete', 'http://a/0.wav', 'Up'],
      ['door-b', 'streaming', 'http://a/s1.wav', 'Up'],
    ]);
    expect(relayTaskOf(streaming)).toMatchObject({ status: 'IN_PROGRESS', progress: '74%' });
    expect(actionClip(streaming.clips[1]!).state).toBe('running');
  });

  it('succeeded: SUCCESS; a slot upstream never filled reads error', () => {
    const t = doorTask(record({ status: 'succeeded', finishedAt: at }, [clip(0, { status: 'complete' })], { status: 'succeeded', finishedAt: at }), 'chirp-v4');
    expect(t.phase).toBe('succeeded');
    expect(t.clips.map((c) => c.status)).toEqual(['complete', 'error']);
    expect(t.clips[1]!.errorMessage).toMatch(/fewer clips/);
    expect(relayTaskOf(t)).toMatchObject({ status: 'SUCCESS', progress: '100%', finish_time: at.getTime() / 1000 });
  });

  it('failed: FAILURE with the upstream\'s words; clips not final read error', () => {
    const error = { code: 'upstream_rejected', message: 'Song Description contained artist name', step: 0 };
    const t = doorTask(record({ status: 'failed', error }, [clip(0, { status: 'complete' }), clip(1, { status: 'streaming' })], { status: 'failed', error }), 'chirp-v4');
    expect(t.failure).toEqual({ code: 'upstream_rejected', message: 'Song Description contained artist name' });
    expect(t.clips.map((c) => [c.status, c.errorMessage])).toEqual([['complete', null], ['error', 'Song Description contained artist name']]);
    expect(relayTaskOf(t)).toMatchObject({ status: 'FAILURE', fail_reason: 'Song Description contained artist name' });
    const canceled = doorTask(record({ status: 'canceled' }, [], { status: 'canceled' }), 'chirp-v4');
    expect(canceled.failure?.code).toBe('canceled');
  });

  it('lyrics: running, then complete with title and text', () => {
    const lyrics = (over: Partial<DoorRecord['step']>) => doorTask({ ...record({ op: 'lyrics', input: { op: 'lyrics', prompt: 'idea' }, ...over }), slots: [] }, 'chirp-v4');
    expect(lyrics({ status: 'waiting' }).lyrics).toMatchObject({ id: 'task-1', status: 'running' });
    const done = lyrics({ status: 'succeeded', lyrics: { title: 'Sea', text: '[Verse]\nwaves' } });
    expect(done.lyrics).toMatchObject({ status: 'complete', title: 'Sea', text: '[Verse]\nwaves' });
    expect(relayTaskOf(done)).toMatchObject({ action: 'LYRICS', status: 'SUCCESS', data: { id: 'task-1', status: 'complete', title: 'Sea', text: '[Verse]\nwaves' } });
  });
});
