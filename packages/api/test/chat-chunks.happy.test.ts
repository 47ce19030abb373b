import { describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { completion, completionMeta, progressLine, progressState, songMessage } from '../src/chat/chunks';
import { finalError, timeoutError } from '../src/chat/outcome';

const clip = (id: string, over: Partial<GenerationView['clips'][number]> = {}): GenerationView['clips'][number] => ({
  id, step: 0, status: 'complete', title: 'Rain', tags: 'piano', lyrics: '[Verse]\ndrops', audio_url: `http://127.0.0.1/audio/${id}.wav`,
  video_url: `http://127.0.0.1/video/${id}.mp4`, image_url: null, duration: 125, model: 'chirp-v4', ...over,
});
const view = (over: Partial<GenerationView> = {}): GenerationView => ({
  id: 'gen_1', status: 'succeeded', provider: 'sim', scenario: null, metadata: {},
  steps: [{ index: 0, op: 'generate', status: 'succeeded', upstream_task_id: 't1', clip_ids: ['a', 'b'], error: null, started_at: null, finished_at: null } as GenerationView['steps'][number]],
  clips: [clip('a'), clip('b')], output: { clips: ['a', 'b'], lyrics: null }, error: null,
  created_at: '2025-01-01T00:00:00.000Z', updated_at: '2025-01-01T00:00:00.000Z', finished_at: null, ...over,
});

describe('chat answers', () => {
  it('names the generation in the completion id and lists title, lyrics and every link', () => {
    const c = completion(completionMeta(view(), 'suno-v4'), view());
    expect(c).toMatchObject({ id: 'chatcmpl-gen_1', object: 'chat.completion', created: 1735689600, model: 'suno-v4' });
    expect(c.choices[0]!.finish_reason).toBe('stop');
    const text = c.choices[0]!.message.content;
    expect(text).toContain('## Rain');
    expect(text).toContain('[Verse]\ndrops');
    expect(text).toContain('Song 1 (2:05)');
    for (const id of ['a', 'b']) {
      expect(text).toContain(`http://127.0.0.1/audio/${id}.wav`);
      expect(text).toContain(`http://127.0.0.1/video/${id}.mp4`);
    }
    expect(c.refrain.clips.map((x) => x.id)).toEqual(['a', 'b']);
    expect(songMessage(view({ clips: [clip('a', { lyrics: '' })], output: { clips: ['a'], lyrics: null } }))).toContain('(instrumental)');
  });

  it('tells queued, each submission and each streaming clip once', () => {
    const s = progressState(view());
    expect(progressLine({ id: 1, type: 'generation', data: { status: 'queued' } }, s)).toContain('gen_1');
    expect(progressLine({ id: 2, type: 'generation', data: { status: 'running' } }, s)).toBeNull();
    expect(progressLine({ id: 3, type: 'step', data: { index: 0, status: 'waiting', upstream_task_id: 't1' } }, s)).toBe('Step 1/1 (generate) submitted upstream (task t1).\n\n');
    const streaming = { id: 4, type: 'clip' as const, data: { id: 'a', status: 'streaming', audio_url: 'http://x/stream/a.wav' } };
    expect(progressLine(streaming, s)).toContain('http://x/stream/a.wav');
    expect(progressLine({ ...streaming, id: 5 }, s)).toBeNull();
  });

  it('turns failure, cancellation and timeout into OpenAI errors that forbid a retry', () => {
    const failed = finalError(view({ status: 'failed', error: { code: 'upstream_rejected', message: 'prompt refused', step: 0 } }))!;
    expect(failed.status).toBe(502);
    expect(failed.body().error).toMatchObject({ code: 'upstream_rejected', generation_id: 'gen_1' });
    expect(failed.message).toContain('prompt refused');
    expect(finalError(view({ status: 'canceled' }))!.status).toBe(409);
    expect(finalError(view())).toBeNull();
    const t = timeoutError('gen_9', 30);
    expect(t.status).toBe(504);
    expect(t.headers['x-should-retry']).toBe('false');
    expect(t.body().error).toMatchObject({ type: 'timeout_error', code: 'generation_timeout', generation_id: 'gen_9' });
    expect(t.message).toContain('GET /v1/generations/gen_9');
  });
});
