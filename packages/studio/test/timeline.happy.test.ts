import { describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { mergeFirstPage, generationLabel } from '../src/app/list';
import { applyEvent, describeEvent, timeline, type LoggedEvent } from '../src/app/timeline';

const T0 = Date.parse('2025-01-01T10:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const view = (over: Partial<GenerationView> = {}): GenerationView => ({
  id: 'gen_1', status: 'running', provider: 'sim', scenario: 'extend_full', metadata: {},
  steps: [
    { index: 0, provider: 'sim', route: null, op: 'generate', status: 'succeeded', upstream_task_id: 't0', clip_ids: ['a', 'b'], lyrics: null, error: null, started_at: iso(1), finished_at: iso(5) },
    { index: 1, provider: 'sim', route: null, op: 'extend', status: 'waiting', upstream_task_id: 't1', clip_ids: ['c'], lyrics: null, error: null, started_at: iso(6), finished_at: null },
    { index: 2, provider: 'sim', route: null, op: 'concat', status: 'pending', upstream_task_id: null, clip_ids: [], lyrics: null, error: null, started_at: null, finished_at: null },
  ],
  clips: [
    { id: 'a', step: 0, status: 'complete', title: 'A', tags: null, lyrics: null, audio_url: null, video_url: null, image_url: null, duration: 30, model: null },
    { id: 'c', step: 1, status: 'streaming', title: 'C', tags: null, lyrics: null, audio_url: null, video_url: null, image_url: null, duration: null, model: null },
  ],
  output: null, error: null, created_at: iso(0), updated_at: iso(6), finished_at: null, ...over,
});
const ev = (id: number, type: string, data: Record<string, unknown>): LoggedEvent => ({ id, type, data, at: T0 + id * 1000 });

describe('the timeline', () => {
  it('gives each step its status, provider, timing and own events', () => {
    const log = [ev(1, 'step', { index: 0, status: 'succeeded' }), ev(2, 'clip', { id: 'c', step: 1, status: 'streaming' }), ev(3, 'generation', { status: 'running' })];
    const t = timeline(view(), log, T0 + 10_000);
    expect(t.map((s) => [s.op, s.status, s.provider, s.elapsedMs])).toEqual([
      ['generate', 'succeeded', 'sim', 4000],
      ['extend', 'waiting', 'sim', 4000], // running for 4 s so far
      ['concat', 'pending', 'sim', null],
    ]);
    expect(t[0]!.events.map((e) => e.id)).toEqual([1]);
    expect(t[1]!.events.map((e) => e.id)).toEqual([2]);
    expect(t[1]!.clips).toEqual([{ id: 'c', status: 'streaming' }]);
  });

  it('moves at once with an event: step and generation statuses, the upstream’s error words, known clips', () => {
    let g = applyEvent(view(), ev(4, 'step', { index: 1, status: 'failed', error: { code: 'upstream_failed', message: 'Simulated failure: lyrics refused', step: 1 } }));
    expect(g.steps[1]!.status).toBe('failed');
    expect(g.steps[1]!.error?.message).toBe('Simulated failure: lyrics refused');
    g = applyEvent(g, ev(5, 'generation', { status: 'failed', error: { code: 'upstream_failed', message: 'Simulated failure', step: 1 } }));
    expect(g.status).toBe('failed');
    g = applyEvent(g, ev(6, 'clip', { id: 'c', step: 1, status: 'complete' }));
    expect(g.clips.find((c) => c.id === 'c')!.status).toBe('complete');
    expect(applyEvent(g, ev(7, 'clip', { id: 'new', step: 2, status: 'queued' }))).toBe(g); // new clips come with the refetch
  });

  it('says each event in words', () => {
    expect(describeEvent(ev(1, 'step', { index: 0, status: 'waiting' }))).toBe('Step 1 waiting');
    expect(describeEvent(ev(2, 'clip', { id: '0123456789abcdef', status: 'streaming' }))).toBe('Clip 01234567… streaming');
    expect(describeEvent(ev(3, 'generation', { status: 'failed', error: { message: 'boom' } }))).toBe('Generation failed: boom');
  });
});

describe('the songs list', () => {
  it('folds a fresh first page in: updated rows replaced, new ones first, filtered ones gone', () => {
    const a = view({ id: 'a', status: 'running' });
    const b = view({ id: 'b', status: 'succeeded' });
    const shown = [a, b];
    const fresh = [view({ id: 'new', status: 'queued' }), view({ id: 'a', status: 'succeeded' })];
    expect(mergeFirstPage(shown, fresh, '').map((g) => [g.id, g.status])).toEqual([['new', 'queued'], ['a', 'succeeded'], ['b', 'succeeded']]);
    expect(mergeFirstPage(shown, fresh, 'running').map((g) => g.id)).toEqual([]);
  });

  it('names a generation by its label, else its final song’s title, else its steps', () => {
    expect(generationLabel(view({ metadata: { label: 'my song' } }))).toBe('my song');
    expect(generationLabel(view({ output: { clips: ['c'], lyrics: null } }))).toBe('C');
    expect(generationLabel(view({ clips: [] }))).toBe('generate → extend → concat (gen_1)');
  });
});
