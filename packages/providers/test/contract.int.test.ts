import { UpstreamError } from '@refrain/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderAdapter, SubmitRequest, TaskSnapshot } from '../src';
import {
  WARNINGS,
  callbackReceiver,
  expectCompleteClips,
  refOf,
  run,
  simAdapter,
  startSim,
  untilFinal,
  type RunningSim,
} from './helpers/contract';

// Each adapter against the real simulator over loopback HTTP: the wire contract, end to end.

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  WARNINGS.length = 0;
});
afterEach(() => {
  expect(WARNINGS).toEqual([]);
});

const description = (extra = ''): SubmitRequest['input'] => ({ gpt_description_prompt: `a calm song about rain ${extra}`.trim(), make_instrumental: false });
const custom = (extra = ''): SubmitRequest['input'] => ({ prompt: `[Verse]\nrain on the roof ${extra}`, tags: 'lofi', title: 'Rain' });

async function rejected(p: Promise<unknown>): Promise<UpstreamError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(UpstreamError);
  return e as UpstreamError;
}

/** The failure and refusal markers every dialect honours. */
function markerTests(adapter: () => ProviderAdapter, model: string) {
  it('[sim:error] ends the task in error with the simulator’s words', async () => {
    const snap = await run(adapter(), { op: 'generate', model, input: custom('[sim:error]') }, undefined);
    expect(snap.state).toBe('error');
    expect(snap.error).toBe('Simulated upstream failure');
  });

  it('[sim:reject] is upstream_rejected in the simulator’s words', async () => {
    const e = await rejected(adapter().submit({ op: 'generate', model, input: custom('[sim:reject]') }));
    expect(e).toMatchObject({ code: 'upstream_rejected', retry: false, httpStatus: 400 });
    expect(e.message).toContain('Simulated rejection');
  });
}

describe('native', () => {
  const a = () => simAdapter(sim, 'native');
  const M = 'chirp-v3-5';
  const song = async () => run(a(), { op: 'generate', model: M, input: custom() });

  it('generates in both modes and polls the feed to completion', async () => {
    expectCompleteClips(await run(a(), { op: 'generate', model: M, input: description() }), 2);
    expectCompleteClips(await song(), 2);
  });

  it('batches clips of many tasks into one feed request', async () => {
    const subs = await Promise.all([1, 2, 3].map(() => a().submit({ op: 'generate', model: M, input: custom('[sim:duration=200]') })));
    const before = sim.stats().requests['native.feed'] ?? 0;
    const snaps = await a().query(subs.map((s) => refOf('generate', s)));
    expect(snaps.map((s) => s.taskId)).toEqual(subs.map((s) => s.taskId));
    expect(sim.stats().requests['native.feed']).toBe(before + 1);
  });

  it('extends, covers, replaces a section, applies a persona, splits stems and concatenates', async () => {
    const src = (await song()).clips[0]?.id ?? '';
    const edits: SubmitRequest[] = [
      { op: 'extend', model: M, input: { continue_at: 5, prompt: 'more rain' }, source: { clipId: src } },
      { op: 'cover', model: M, input: { tags: 'jazz' }, source: { clipId: src } },
      { op: 'replace_section', model: M, input: { prompt: 'thunder', infill_start_s: 1, infill_end_s: 2 }, source: { clipId: src } },
      { op: 'persona', model: M, input: { persona_id: 'p-1', prompt: 'la' }, source: { clipId: src } },
      { op: 'stems', model: M, input: {}, source: { clipId: src } },
      { op: 'concat', model: M, input: {}, source: { clipId: src } },
    ];
    for (const req of edits) expectCompleteClips(await run(a(), req));
  });

  it('uploads a clip (tu-zi envelope) and extends it with task upload_extend', async () => {
    const up = await run(a(), { op: 'upload', model: M, input: { audio_url: 'http://127.0.0.1:9/song.mp3' } });
    expectCompleteClips(up, 1);
    const ext = await run(a(), { op: 'extend', model: M, input: { continue_at: 2 }, source: { clipId: up.clips[0]?.id ?? '', uploaded: true } });
    expectCompleteClips(ext);
    expect(sim.stats().requests['native.stems']).toBeUndefined();
  });

  it('speaks the other proxies’ variants where an option picks them', async () => {
    sim.configure({ shapes: { nativeUpload: 'clip' } });
    const v = () => simAdapter(sim, 'native', { options: { native_upload: 'clip', native_stems: 'edit', native_upload_extend: 'model_suffix', native_feed: 'path' } });
    const up = await run(v(), { op: 'upload', model: 'chirp-v3-5', input: { audio_url: 'http://127.0.0.1:9/song.mp3' } });
    expectCompleteClips(up, 1);
    expectCompleteClips(await run(v(), { op: 'extend', model: 'chirp-v3-5', input: { continue_at: 2 }, source: { clipId: up.clips[0]?.id ?? '', uploaded: true } }));
    expectCompleteClips(await run(v(), { op: 'stems', model: 'chirp-v3-5', input: {}, source: { clipId: up.clips[0]?.id ?? '' } }), 2);
    expect(sim.stats().requests['native.stems']).toBe(1);
  });

  it('a replaced section becomes the whole song by concat with is_infill', async () => {
    const src = (await song()).clips[0]?.id ?? '';
    const section = await run(a(), { op: 'replace_section', model: M, input: { prompt: 'thunder', infill_start_s: 1, infill_end_s: 2 }, source: { clipId: src } });
    expectCompleteClips(await run(a(), { op: 'concat', model: M, input: {}, source: { clipId: section.clips[0]?.id ?? '', infill: true } }), 1);
    const refused = await rejected(a().submit({ op: 'concat', model: M, input: {}, source: { clipId: section.clips[0]?.id ?? '' } }));
    expect(refused.message).toMatch(/is_infill/);
  });

  it('one odd clip in a feed answer is left out and reported; the others are applied', async () => {
    const odd = await a().submit({ op: 'generate', model: M, input: custom('[sim:odd]') });
    const fine = await a().submit({ op: 'generate', model: M, input: custom() });
    const snaps = await a().query([refOf('generate', odd), refOf('generate', fine)]);
    expect(snaps.map((s) => s.taskId)).toEqual([fine.taskId]);
    expect(WARNINGS.splice(0)).toEqual([expect.stringMatching(/a clip in a status answer does not match its schema/), expect.stringMatching(/a clip in a status answer/)]);
  });

  it('writes lyrics and a song that sings them', async () => {
    const lyr = await run(a(), { op: 'lyrics', model: M, input: { prompt: 'rainy day' } });
    expect(lyr.state).toBe('complete');
    expect(lyr.lyrics?.text).toBeTruthy();
    expectCompleteClips(await run(a(), { op: 'generate', model: M, input: {}, lyrics: lyr.lyrics }));
  });

  it('a wrong key is refused', async () => {
    const e = await rejected(simAdapter(sim, 'native', { api_key: 'wrong' }).submit({ op: 'generate', model: M, input: custom() }));
    expect(e).toMatchObject({ code: 'upstream_rejected', httpStatus: 401 });
  });

  markerTests(a, M);
});

describe('gateway', () => {
  const a = () => simAdapter(sim, 'gateway');
  const M = 'chirp-v3-0';

  it('generates in both modes, extends, and reads credits', async () => {
    const before = (await a().credits?.())?.songs_left ?? 0;
    expectCompleteClips(await run(a(), { op: 'generate', model: M, input: description() }), 2);
    const song = await run(a(), { op: 'generate', model: M, input: custom() });
    expectCompleteClips(song, 2);
    expectCompleteClips(await run(a(), { op: 'extend', model: M, input: { continue_at: 3, prompt: 'more' }, source: { clipId: song.clips[1]?.id ?? '' } }));
    const after = await a().credits?.();
    expect(after?.songs_left).toBe(before - 3);
  });

  it('asks /gateway/query once per task for all its songs (seed 001’s per-song feed by option)', async () => {
    const subs = await Promise.all([1, 2].map(() => a().submit({ op: 'generate', model: M, input: custom('[sim:duration=300]') })));
    await a().query(subs.map((s) => refOf('generate', s)));
    expect(sim.stats().requests['gateway.query']).toBe(2);
    await simAdapter(sim, 'gateway', { options: { gateway_status: 'feed' } }).query([refOf('generate', subs[0]!)]);
    expect(sim.stats().requests['gateway.feed']).toBe(2);
  });

  it('concatenates a clip', async () => {
    const song = await run(a(), { op: 'generate', model: M, input: custom() });
    expectCompleteClips(await run(a(), { op: 'concat', model: M, input: {}, source: { clipId: song.clips[0]?.id ?? '' } }), 1);
  });

  it('reads lyrics answers with and without status', async () => {
    for (const gatewayLyrics of ['bare', 'status'] as const) {
      sim.configure({ shapes: { gatewayLyrics } });
      const lyr = await run(a(), { op: 'lyrics', model: M, input: { prompt: 'a dog' } });
      expect(lyr, gatewayLyrics).toMatchObject({ state: 'complete', lyrics: { text: expect.stringMatching(/\[Verse\]/) } });
    }
  });

  it('writes lyrics', async () => {
    const lyr = await run(a(), { op: 'lyrics', model: M, input: { prompt: 'a dog' } });
    expect(lyr).toMatchObject({ state: 'complete', lyrics: { title: expect.any(String), text: expect.any(String) } });
  });

  markerTests(a, M);
});

describe('relay', () => {
  const a = () => simAdapter(sim, 'relay');
  const M = 'chirp-v3-0';

  it('generates in both modes, fetching many tasks in one request', async () => {
    const subs = await Promise.all([a().submit({ op: 'generate', model: M, input: description() }), a().submit({ op: 'generate', model: M, input: custom() })]);
    const snaps = await a().query(subs.map((s) => refOf('generate', s)));
    expect(sim.stats().requests['relay.fetch_batch']).toBe(1);
    for (const s of snaps) expectCompleteClips(s, 2);
  });

  it('continues a clip of an earlier task', async () => {
    const first = await run(a(), { op: 'generate', model: M, input: custom() });
    const ext = await run(a(), { op: 'extend', model: M, input: { continue_at: 4, prompt: 'more' }, source: { clipId: first.clips[0]?.id ?? '', taskId: first.taskId } });
    expectCompleteClips(ext);
  });

  it('writes lyrics', async () => {
    const lyr = await run(a(), { op: 'lyrics', model: M, input: { prompt: 'a cat' } });
    expect(lyr.state).toBe('complete');
    expect(lyr.lyrics?.text).toBeTruthy();
  });

  it('reads the relays that say state for status and send LYRICS data as an array', async () => {
    sim.configure({ shapes: { relayClipStatus: 'state', relayLyricsData: 'array' } });
    expectCompleteClips(await run(a(), { op: 'generate', model: M, input: custom() }), 2);
    const lyr = await run(a(), { op: 'lyrics', model: M, input: { prompt: 'a cat' } });
    expect(lyr.lyrics?.text).toMatch(/\[Verse\]/);
  });

  it('one odd task in a batch answer is left out and reported; the others are applied', async () => {
    const odd = await a().submit({ op: 'generate', model: M, input: custom('[sim:odd]') });
    const fine = await a().submit({ op: 'generate', model: M, input: custom() });
    const snaps = await a().query([refOf('generate', odd), refOf('generate', fine)]);
    expect(snaps.map((s) => s.taskId)).toEqual([fine.taskId]);
    expectCompleteClips(snaps[0]!, 2);
    expect(WARNINGS.splice(0)).toEqual([expect.stringMatching(/relay: a task in a status answer does not match its schema/)]);
  });

  it('reads the notify_hook callback as it reads a fetch', async () => {
    const hook = await callbackReceiver();
    try {
      const sub = await a().submit({ op: 'generate', model: M, input: custom('[sim:duration=100]'), notifyHook: hook.url });
      let last: TaskSnapshot | undefined;
      while (last?.state !== 'complete') [last] = a().parseCallback?.(await hook.next()) ?? [];
      expect(last.taskId).toBe(sub.taskId);
      expect(last).toEqual(await untilFinal(a(), refOf('generate', sub)));
    } finally {
      await hook.close();
    }
  });

  markerTests(a, M);
});

describe('action', () => {
  const a = () => simAdapter(sim, 'action');
  const M = 'chirp-v4';

  it('generates in both modes, async: answered at once, then followed through /suno/tasks', async () => {
    const sub = await a().submit({ op: 'generate', model: M, input: custom('[sim:duration=200]') });
    expect(sub).toMatchObject({ state: 'running', clips: [] });
    expectCompleteClips(await untilFinal(a(), refOf('generate', sub)), 2);
    expectCompleteClips(await run(a(), { op: 'generate', model: M, input: description() }), 2);
    expect(sim.stats().requests['action.tasks']).toBeGreaterThan(1);
  });

  it('blocking (the seed’s shape): the final answer needs no query', async () => {
    const before = sim.stats().statusQueries;
    const blocking = () => simAdapter(sim, 'action', { options: { action_submit: 'blocking' } });
    expectCompleteClips(await blocking().submit({ op: 'generate', model: M, input: custom('[sim:duration=150]') }), 2);
    expect(sim.stats().statusQueries).toBe(before);
  });

  it('one odd task in a retrieve_batch answer is left out and reported; the others are applied', async () => {
    const odd = await a().submit({ op: 'generate', model: M, input: custom('[sim:odd]') });
    const fine = await a().submit({ op: 'generate', model: M, input: custom() });
    const snaps = await a().query([refOf('generate', odd), refOf('generate', fine)]);
    expect(snaps.map((s) => s.taskId)).toEqual([fine.taskId]);
    expect(WARNINGS.splice(0)).toEqual([expect.stringMatching(/action: a task in a status answer does not match its schema/)]);
  });

  it('blocking: a failed task is answered 500 naming it, and the step gets that task in error', async () => {
    const blocking = simAdapter(sim, 'action', { options: { action_submit: 'blocking' } });
    const snap = await blocking.submit({ op: 'generate', model: M, input: custom('[sim:error] [sim:duration=50]') });
    expect(snap).toMatchObject({ state: 'error' });
    expect(snap.error).toContain('Simulated upstream failure');
    expect(sim.stats()).toMatchObject({ submissions: 1, duplicates: 0 });
  });

  it('a blocking answer lost to a 504 is recovered by asking about the task it named', async () => {
    sim.configure({ actionBlockMs: 50 });
    const blocking = simAdapter(sim, 'action', { options: { action_submit: 'blocking' } });
    const req: SubmitRequest = { op: 'generate', model: M, input: custom('[sim:duration=300]') };
    const e = await rejected(blocking.submit(req));
    expect(e).toMatchObject({ outcome: 'unknown', httpStatus: 504, taskId: expect.any(String) });
    const found = await blocking.recover?.(req, e);
    expect(found?.taskId).toBe(e.taskId);
    expectCompleteClips(await untilFinal(blocking, refOf('generate', found!)), 2);
    expect(sim.stats()).toMatchObject({ submissions: 1, duplicates: 0 });
  });

  it('runs every edit action', async () => {
    const src = (await run(a(), { op: 'generate', model: M, input: custom() })).clips[0]?.id ?? '';
    const up = await run(a(), { op: 'upload', model: M, input: { audio_url: 'http://127.0.0.1:9/song.mp3' } });
    expectCompleteClips(up, 1);
    expect(sim.stats().requests['action.upload']).toBe(1);
    const seedUpload = await run(simAdapter(sim, 'action', { options: { action_upload: 'upload_generate' } }), { op: 'upload', model: M, input: { audio_url: 'http://127.0.0.1:9/b.mp3' } });
    expectCompleteClips(seedUpload, 1);
    const edits: SubmitRequest[] = [
      { op: 'extend', model: M, input: { continue_at: 5, prompt: 'more' }, source: { clipId: src } },
      { op: 'extend', model: M, input: { continue_at: 1 }, source: { clipId: up.clips[0]?.id ?? '', uploaded: true } },
      { op: 'cover', model: M, input: { tags: 'jazz' }, source: { clipId: up.clips[0]?.id ?? '', uploaded: true } },
      { op: 'cover', model: M, input: { tags: 'jazz' }, source: { clipId: src } },
      { op: 'replace_section', model: M, input: { prompt: 'x', infill_start_s: 1, infill_end_s: 2 }, source: { clipId: src } },
      { op: 'persona', model: M, input: { persona_id: 'p-1', prompt: 'la' } },
      { op: 'stems', model: M, input: {}, source: { clipId: src } },
      { op: 'concat', model: M, input: {}, source: { clipId: src } },
    ];
    for (const req of edits) expectCompleteClips(await run(a(), req));
  });

  it('reads the callback_url post', async () => {
    const hook = await callbackReceiver();
    try {
      await a().submit({ op: 'generate', model: M, input: custom('[sim:duration=100]'), notifyHook: hook.url });
      let last: TaskSnapshot | undefined;
      while (last?.state !== 'complete') [last] = a().parseCallback?.(await hook.next()) ?? [];
      expectCompleteClips(last, 2);
    } finally {
      await hook.close();
    }
  });

  markerTests(a, M);
});
