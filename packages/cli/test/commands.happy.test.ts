import { describe, expect, it } from 'vitest';
import { applyEvent, clipFileName, generateBody, runBody } from '../src';
import { bar, changeLines, generationDetails, generationTable, progressBlock } from '../src/render';
import { captureIo, view } from './fake-api';

describe('generate and run request bodies', () => {
  it('builds description mode with instrumental, model and provider', () => {
    expect(generateBody({ description: 'a calm piano song', instrumental: true, model: 'chirp-v4', provider: 'sim' })).toEqual({
      steps: [{ op: 'generate', gpt_description_prompt: 'a calm piano song', make_instrumental: true, mv: 'chirp-v4' }],
      provider: 'sim',
    });
  });

  it('builds custom mode from lyrics, title and tags (Suno field names)', () => {
    expect(generateBody({ lyrics: '[Verse]\nla la', title: 'T', tags: 'indie pop' })).toEqual({
      steps: [{ op: 'generate', prompt: '[Verse]\nla la', title: 'T', tags: 'indie pop' }],
    });
    expect(generateBody({ title: 'Only a title', tags: 'ambient' }).steps).toEqual([{ op: 'generate', prompt: '', title: 'Only a title', tags: 'ambient' }]);
    expect(generateBody({ title: 'File' }, 'lyrics from a file').steps).toEqual([{ op: 'generate', prompt: 'lyrics from a file', title: 'File' }]);
  });

  it('accepts a steps object, a scenario or a bare array in run files', () => {
    expect(runBody([{ op: 'generate', gpt_description_prompt: 'x' }])).toEqual({ steps: [{ op: 'generate', gpt_description_prompt: 'x' }] });
    expect(runBody({ scenario: 'extend_full', input: { gpt_description_prompt: 'x' } }, 'relay')).toEqual({
      scenario: 'extend_full',
      input: { gpt_description_prompt: 'x' },
      provider: 'relay',
    });
  });
});

describe('progress from events', () => {
  it('folds step and clip events into the view', () => {
    let g = view('http://h', false);
    g = applyEvent(g, { event: 'step', data: JSON.stringify({ index: 0, status: 'waiting', upstream_task_id: 't1', clip_ids: ['c1'] }) });
    g = applyEvent(g, { event: 'clip', data: JSON.stringify({ id: 'c1', step: 0, status: 'streaming', audio_url: null }) });
    expect(g.steps[0]).toMatchObject({ status: 'waiting', upstream_task_id: 't1', clip_ids: ['c1'] });
    expect(g.clips).toMatchObject([{ id: 'c1', status: 'streaming' }]);
    g = applyEvent(g, { event: 'clip', data: JSON.stringify({ id: 'c1', step: 0, status: 'complete', audio_url: 'http://h/a.wav' }) });
    g = applyEvent(g, { event: 'generation', data: JSON.stringify({ status: 'succeeded' }) });
    expect(g.clips).toHaveLength(1);
    expect(g.clips[0]).toMatchObject({ status: 'complete', audio_url: 'http://h/a.wav' });
    expect(g.status).toBe('succeeded');
    expect(applyEvent(g, { event: 'step', data: 'not json' })).toBe(g);
  });

  it('draws one bar per step on a terminal and new lines only when piped', () => {
    const g = view('http://h', true);
    const { io } = captureIo({ tty: true });
    const block = progressBlock(io, g);
    expect(block[1]).toContain(bar(1));
    expect(block[1]).toMatch(/generate\s+succeeded/);
    expect(bar(0.5, 10)).toBe('[█████░░░░░]');
    const seen = new Set<string>();
    expect(changeLines(g, seen)).toEqual([
      'generation gen_fake: succeeded',
      'step 1 generate: succeeded (task task-1)',
      'clip clip-aaaa1111 (step 1): complete',
    ]);
    expect(changeLines(g, seen)).toEqual([]);
  });

  it('lists as a table on a terminal and as tab-separated rows when piped', () => {
    const g = view('http://h', true);
    expect(generationTable(captureIo({ tty: false }).io, [g])).toEqual([`gen_fake\tsucceeded\tgenerate\t1\t${g.created_at}`]);
    const table = generationTable(captureIo({ tty: true }).io, [g]);
    expect(table[0]).toMatch(/^ID\s+STATUS\s+STEPS\s+CLIPS\s+CREATED$/);
  });

  it('shows which member of a pool ran a step, and which members were tried first', () => {
    const g = view('http://h', true);
    const at = g.created_at;
    const pooled = { ...g, provider: 'main', steps: [{ ...g.steps[0]!, provider: 'good', route: { pool: 'main', provider: 'good', reason: 'ready, priority 1; fallback 2', at, passed: [], failovers: [{ provider: 'down', reason: 'could not be reached', at }, { provider: 'flaky', reason: 'refused it for now', at }] } }] };
    expect(generationDetails(captureIo().io, pooled)[4]).toBe('     1 generate        succeeded  task task-1  on good after down, flaky');
    expect(generationDetails(captureIo().io, g)[4]).toBe('     1 generate        succeeded  task task-1');
  });

  it('names downloaded files by step, title and clip, with the extension of the content type', () => {
    const clip = view('http://h', true).clips[0]!;
    expect(clipFileName(clip, 'audio/wav')).toBe('step1-fake-song-clip-aaaa111.wav');
    expect(clipFileName({ ...clip, title: null, audio_url: 'http://h/x/song.mp3' }, null)).toBe('step1-clip-aaaa111.mp3');
  });
});
