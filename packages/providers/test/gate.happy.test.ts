import { afterEach, describe, expect, it } from 'vitest';
import { createAdapter, type GatedRequest, type RequestGate } from '../src';
import { fixture } from './helpers/fixtures';
import { mockUpstream, testConfig } from './helpers/mock-upstream';

// Every HTTP request an adapter makes passes the request gate first, one request at a time.

type Json = Record<string, unknown>;
let up = mockUpstream();
afterEach(async () => {
  await up.close();
  up = mockUpstream();
});

/** A gate that records, in order, each permission it gave and each request the upstream saw. */
function recordingGate(log: string[]): RequestGate & { throttles: (number | undefined)[] } {
  const throttles: (number | undefined)[] = [];
  return {
    throttles,
    async acquire(r: GatedRequest) {
      await new Promise((res) => setTimeout(res, 1));
      log.push(`gate ${r.method} ${r.path.split('?')[0]}`);
    },
    throttled(_r, retryAfterMs) {
      throttles.push(retryAfterMs);
    },
  };
}

const oneClip = fixture<{ clips: Json[] }>('seed002-native-generate-response.json').clips[0] ?? {};

describe('request gate', () => {
  it('is passed once before each chunk of a chunked query, each lyrics query and an upload', async () => {
    const log: string[] = [];
    const gate = recordingGate(log);
    const a = createAdapter(testConfig('native', { query_batch_size: 4 }), { dispatcher: up.agent, gate });
    const answer = (c: { path: string }) => {
      log.push(`sent GET ${c.path.split('?')[0]}`);
      return decodeURIComponent(c.path.split('ids=')[1] ?? '').split(',').map((id) => ({ ...oneClip, id, status: 'streaming' }));
    };
    up.on('GET', (p) => p.startsWith('/v1/suno/feed'), answer, { times: 3 });
    up.on('GET', '/v1/suno/lyrics/l1', () => (log.push('sent GET /v1/suno/lyrics/l1'), { id: 'l1', status: 'running' }));
    up.on('POST', '/v1/suno/uploads/audio-url', () => (log.push('sent POST /v1/suno/uploads/audio-url'), { code: 'success', message: '', data: 'u1' })); // tu-zi's upload answer

    // 5 tasks of 2 clips = 10 ids: chunks of 4, 4 and 2.
    const refs = Array.from({ length: 5 }, (_, i) => ({ taskId: `t${i}`, clipIds: [`t${i}a`, `t${i}b`], op: 'generate' as const }));
    await a.query([...refs, { taskId: 'l1', clipIds: [], op: 'lyrics' }]);
    await a.submit({ op: 'upload', model: 'chirp-v4', input: { audio_url: 'https://example.com/a.mp3' } });

    expect(log).toEqual([
      'gate GET /v1/suno/feed', 'sent GET /v1/suno/feed',
      'gate GET /v1/suno/feed', 'sent GET /v1/suno/feed',
      'gate GET /v1/suno/feed', 'sent GET /v1/suno/feed',
      'gate GET /v1/suno/lyrics/l1', 'sent GET /v1/suno/lyrics/l1',
      'gate POST /v1/suno/uploads/audio-url', 'sent POST /v1/suno/uploads/audio-url',
    ]);
  });

  it('is passed by lyrics submissions and credits, and hears of a 429 with its Retry-After', async () => {
    const log: string[] = [];
    const gate = recordingGate(log);
    const gw = createAdapter(testConfig('gateway'), { dispatcher: up.agent, gate });
    up.on('POST', '/gateway/generate/lyrics', () => (log.push('sent POST /gateway/generate/lyrics'), { code: 0, msg: 'ok', data: { id: 'l1' } }));
    up.on('GET', '/gateway/limit', () => (log.push('sent GET /gateway/limit'), { code: 0, msg: 'ok', data: { songs_left: 7 } }));
    up.on('GET', '/gateway/limit', { code: 429, msg: 'slow down', data: null }, { status: 429, headers: { 'retry-after': '3' } });

    await gw.submit({ op: 'lyrics', model: 'chirp-v3-0', input: { prompt: 'rain' } });
    expect((await gw.credits!()).songs_left).toBe(7);
    await expect(gw.credits!()).rejects.toMatchObject({ httpStatus: 429, retryAfterMs: 3000 });

    expect(log).toEqual(['gate POST /gateway/generate/lyrics', 'sent POST /gateway/generate/lyrics', 'gate GET /gateway/limit', 'sent GET /gateway/limit', 'gate GET /gateway/limit']);
    expect(gate.throttles).toEqual([3000]);
  });

  it('waits for the gate before a request is timed out or sent', async () => {
    let open!: () => void;
    const opened = new Promise<void>((r) => (open = r));
    const gate: RequestGate = { acquire: () => opened };
    const a = createAdapter(testConfig('relay'), { dispatcher: up.agent, gate, timeoutMs: 50 });
    up.on('POST', '/suno/submit/lyrics', { code: 'success', message: '', data: 'lt1' });
    const pending = a.submit({ op: 'lyrics', model: 'chirp-v3-0', input: { prompt: 'rain' } });
    await new Promise((r) => setTimeout(r, 120)); // longer than the request timeout: the wait is not the request's
    expect(up.calls).toHaveLength(0);
    open();
    await expect(pending).resolves.toMatchObject({ taskId: 'lt1' });
    expect(up.calls).toHaveLength(1);
  });
});
