import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Dialect, GenerationView } from '@refrain/contracts';
import { startHarness, type Harness } from '../support/harness';

// Every dialect through the whole system, against the simulator speaking the live services'
// shapes (docs/providers.md): every operation each dialect offers, and the variants.

const DIALECTS: Dialect[] = ['native', 'gateway', 'relay', 'action'];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    // Uploads send the simulator's own http://127.0.0.1 audio_url, which the URL guard allows only with ALLOW_LOOPBACK_URLS.
    env: { ALLOW_LOOPBACK_URLS: 'true', URL_GUARD_DNS: 'false' },
    providers: (sim) => [
      ...DIALECTS.map((d) => ({ name: d, dialect: d, base_url: sim, api_key: 'sim-key', poll_interval_ms: 200 })),
      // AceData with callbacks: answered {task_id} at once, completed by the callback (no poll before its grace).
      { name: 'action-cb', dialect: 'action', base_url: sim, api_key: 'sim-key', callbacks: true, poll_interval_ms: 60_000 },
      // Seed 004's blocking answer.
      { name: 'action-blocking', dialect: 'action', base_url: sim, api_key: 'sim-key', poll_interval_ms: 200, options: { action_submit: 'blocking' } },
      // The other native proxies: bare-clip upload, Suno's /edit/stems, the -upload suffix, the feed by path.
      {
        name: 'native-seed', dialect: 'native', base_url: sim, api_key: 'sim-key', poll_interval_ms: 200,
        options: { native_upload: 'clip', native_stems: 'edit', native_upload_extend: 'model_suffix', native_feed: 'path' },
      },
      { name: 'gateway-feed', dialect: 'gateway', base_url: sim, api_key: 'sim-key', poll_interval_ms: 200, options: { gateway_status: 'feed' } },
      { name: 'relay-cb', dialect: 'relay', base_url: sim, api_key: 'sim-key', callbacks: true, poll_interval_ms: 200 },
    ],
  });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  await configure({ durationMs: 300, shapes: { nativeUpload: 'envelope', relayClipStatus: 'status', relayLyricsData: 'object', relayNotifyHook: 'honoured', gatewayLyrics: 'bare' } });
});

interface Described {
  name: string;
  dialect: Dialect;
  operations: string[];
  models: string[];
  default_model: string;
}
interface SimTask {
  taskId: string;
  operation: string;
  statusQueries: number;
  callbacksSent: number;
  request: Record<string, unknown>;
}

const configure = (body: object) => fetch(`${h.sim.url}/_sim/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const simTask = async (id: string) => (await (await fetch(`${h.sim.url}/_sim/tasks/${id}`)).json()) as SimTask;
const stats = async () => (await (await fetch(`${h.sim.url}/_sim/stats`)).json()) as { requests: Record<string, number> };

async function succeeded(provider: string, body: object): Promise<GenerationView> {
  const r = await h.api<GenerationView>('/v1/generations', { body: { provider, ...body } });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  const g = await h.waitFinal(r.body.id);
  expect(g.status, `${provider}: ${JSON.stringify(g.error)}`).toBe('succeeded');
  expect(g.clips.every((c) => c.status === 'complete' && c.audio_url), provider).toBe(true);
  return g;
}

const song = { op: 'generate', prompt: '[Verse]\nla la', title: 'T', tags: 'pop' };
const upload = () => ({ op: 'upload', audio_url: `${h.sim.url}/audio/seed.wav` });

describe('every dialect through the whole system', () => {
  it('lists each provider with its dialect, operations, models and default model', async () => {
    const r = await h.api<{ data: Described[] }>('/v1/providers');
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.data.map((p) => [p.name, p]));
    expect(byName.native!.operations).toEqual(['generate', 'extend', 'upload', 'concat', 'cover', 'replace_section', 'stems', 'persona', 'lyrics']);
    expect(byName.gateway!.operations.sort()).toEqual(['concat', 'extend', 'generate', 'lyrics']);
    expect(byName.relay!.operations.sort()).toEqual(['extend', 'generate', 'lyrics']);
    expect(byName.action!.operations).not.toContain('lyrics');
    expect(byName.native).toMatchObject({ models: ['chirp-v3-0', 'chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-v4-5-plus', 'chirp-v5', 'chirp-v5-5'], default_model: 'chirp-v4-5' });
    expect(byName.relay).toMatchObject({ models: ['chirp-v3-0', 'chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-v5'], default_model: 'chirp-v3-0' });
    expect(byName.action).toMatchObject({ models: ['chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-v4-5-plus', 'chirp-v5', 'chirp-v5-5'], default_model: 'chirp-v4' });
  });

  it('reports credits where the dialect can tell, and says so where it cannot', async () => {
    const gw = await h.api<{ songs_left: number }>('/v1/providers/gateway/credits');
    expect(gw.status).toBe(200);
    expect(typeof gw.body.songs_left).toBe('number');
    expect((await h.api('/v1/providers/native/credits')).status).toBe(422);
    expect((await h.api('/v1/providers/nope/credits')).status).toBe(404);
  });

  for (const dialect of DIALECTS) {
    it(`runs a description-mode and a custom-mode generation through ${dialect}`, async () => {
      await succeeded(dialect, { steps: [{ op: 'generate', gpt_description_prompt: `a ${dialect} description song` }] });
      const g = await succeeded(dialect, { steps: [{ op: 'generate', prompt: `[Verse]\n${dialect} words`, title: `${dialect} title`, tags: 'pop' }] });
      expect(g.provider).toBe(dialect);
    });
  }

  it('continues a clip (generate → extend) on every dialect, relay carrying the original task_id', async () => {
    for (const dialect of DIALECTS) {
      const g = await succeeded(dialect, { steps: [{ op: 'generate', gpt_description_prompt: `${dialect} to extend` }, { op: 'extend', continue_at: 12, prompt: 'more' }] });
      expect(g.steps[1]!.clip_ids.length).toBeGreaterThan(0);
    }
    const ext = await simTask((await succeeded('relay', { steps: [song, { op: 'extend', continue_at: 3 }] })).steps[1]!.upstream_task_id!);
    expect(ext.request).toMatchObject({ task_id: expect.any(String), continue_clip_id: expect.any(String) });
  });

  it('runs lyrics → generate on the dialects that offer lyrics, in every answer shape', async () => {
    for (const [dialect, shapes] of [['native', {}], ['gateway', { gatewayLyrics: 'bare' }], ['gateway', { gatewayLyrics: 'status' }], ['relay', { relayLyricsData: 'array' }]] as const) {
      await configure({ shapes });
      const g = await succeeded(dialect, { scenario: 'lyrics_song', input: { prompt: `${dialect} lyrics idea`, tags: 'folk' } });
      expect(g.steps[0]!.lyrics?.text).toMatch(/\[Verse\]/);
    }
  });

  it('native: upload → extend (task upload_extend), cover of the upload, replace_section → concat with is_infill, stems, persona', async () => {
    const up = await succeeded('native', { steps: [upload(), { op: 'extend', continue_at: 2, prompt: 'more' }] });
    expect((await simTask(up.steps[1]!.upstream_task_id!)).request).toMatchObject({ task: 'upload_extend', mv: 'chirp-auk' });
    const cover = await succeeded('native', { steps: [upload(), { op: 'cover', tags: 'jazz' }] });
    expect((await simTask(cover.steps[1]!.upstream_task_id!)).request).toMatchObject({ task: 'cover', mv: 'chirp-auk' });
    const whole = await succeeded('native', { steps: [song, { op: 'replace_section', infill_start_s: 1, infill_end_s: 2, prompt: 'new words' }, { op: 'concat' }] });
    expect((await simTask(whole.steps[2]!.upstream_task_id!)).request).toEqual({ clip_id: whole.steps[1]!.clip_ids[0], is_infill: true });
    const stems = await succeeded('native', { steps: [song, { op: 'stems' }] });
    expect(stems.steps[1]!.clip_ids).toHaveLength(2);
    expect((await simTask(stems.steps[1]!.upstream_task_id!)).request).toMatchObject({ task: 'gen_stem', stem_task: 'two' });
    await succeeded('native', { steps: [song, { op: 'persona', persona_id: 'p-1', prompt: 'la' }] });
  });

  it('native, the other proxies’ shapes by option: bare-clip upload, -upload extend, /edit/stems, feed by path', async () => {
    await configure({ shapes: { nativeUpload: 'clip' } });
    const before = await stats();
    const g = await succeeded('native-seed', { steps: [upload(), { op: 'extend', continue_at: 2, mv: 'chirp-v4' }, { op: 'stems' }] });
    expect((await simTask(g.steps[1]!.upstream_task_id!)).request).toMatchObject({ mv: 'chirp-v4-upload' });
    const after = await stats();
    expect(after.requests['native.stems']).toBe((before.requests['native.stems'] ?? 0) + 1);
    expect(after.requests['native.feed']).toBeGreaterThan(before.requests['native.feed'] ?? 0);
  });

  it('action (async, polled through batched /suno/tasks): every operation, upload → extend and cover of the upload', async () => {
    const before = await stats();
    const many = await Promise.all([1, 2, 3].map((n) => succeeded('action', { steps: [{ op: 'generate', gpt_description_prompt: `action batch ${n}` }] })));
    const tasks = await Promise.all(many.map((g) => simTask(g.steps[0]!.upstream_task_id!)));
    expect(tasks.every((t) => t.request.async === true)).toBe(true);
    const queries = (await stats()).requests['action.tasks']! - (before.requests['action.tasks'] ?? 0);
    // One retrieve_batch answers about several tasks: fewer requests than task look-ups.
    expect(queries).toBeLessThan(tasks.reduce((n, t) => n + t.statusQueries, 0));

    const up = await succeeded('action', { steps: [upload(), { op: 'extend', continue_at: 2, prompt: 'more' }] });
    expect((await simTask(up.steps[1]!.upstream_task_id!)).operation).toBe('upload_extend');
    const cover = await succeeded('action', { steps: [upload(), { op: 'cover', tags: 'jazz' }] });
    expect((await simTask(cover.steps[1]!.upstream_task_id!)).operation).toBe('upload_cover');
    const whole = await succeeded('action', { steps: [song, { op: 'replace_section', infill_start_s: 1, infill_end_s: 2, prompt: 'new words' }, { op: 'concat' }] });
    expect((await simTask(whole.steps[1]!.upstream_task_id!)).request).toMatchObject({ replace_section_start: 1, replace_section_end: 2, lyric: 'new words' });
    expect((await succeeded('action', { steps: [song, { op: 'stems' }] })).steps[1]!.clip_ids).toHaveLength(2);
    await succeeded('action', { steps: [song, { op: 'persona', persona_id: 'p-1', prompt: 'la' }] });
  });

  it('action with callbacks: answered {task_id} at once, completed by the callback without a poll', async () => {
    const g = await succeeded('action-cb', { steps: [{ op: 'generate', gpt_description_prompt: 'a called-back song' }] });
    const task = await simTask(g.steps[0]!.upstream_task_id!);
    expect(task.request).toMatchObject({ callback_url: expect.stringContaining('/hooks/action-cb/') });
    expect(task.request).not.toHaveProperty('async');
    expect(task.callbacksSent).toBe(1);
    expect(task.statusQueries).toBe(0);
  });

  it('action blocking (seed 004): an answer that is already final completes the step without any status query', async () => {
    await configure({ durationMs: 0 });
    const g = await succeeded('action-blocking', { steps: [{ op: 'generate', gpt_description_prompt: 'already final action song' }] });
    const task = await simTask(g.steps[0]!.upstream_task_id!);
    expect(task.statusQueries).toBe(0);
    expect(task.request).not.toHaveProperty('async');
  });

  it('gateway: status batched per task through /gateway/query (or per song by option), and concat', async () => {
    const before = await stats();
    await succeeded('gateway', { steps: [song, { op: 'concat' }] });
    await succeeded('gateway-feed', { steps: [song] });
    const after = await stats();
    expect(after.requests['gateway.query']).toBeGreaterThan(before.requests['gateway.query'] ?? 0);
    expect(after.requests['gateway.feed']).toBeGreaterThan(before.requests['gateway.feed'] ?? 0);
  });

  it('relay: clips that say state for status', async () => {
    await configure({ shapes: { relayClipStatus: 'state' } });
    await succeeded('relay', { steps: [song] });
  });

  it('relay built on new-api drops notify_hook: a provider with callbacks on still completes, by polling', async () => {
    await configure({ shapes: { relayNotifyHook: 'dropped' } });
    const g = await succeeded('relay-cb', { steps: [{ ...song, title: 'no callback comes' }] });
    const task = await simTask(g.steps[0]!.upstream_task_id!);
    expect(task.request).toMatchObject({ notify_hook: expect.stringContaining('/hooks/relay-cb/') });
    expect(task.callbacksSent).toBe(0);
    expect(task.statusQueries).toBeGreaterThan(0);
  });

  it('maps model names per dialect and refuses a model the provider lacks, naming its models', async () => {
    const native = await succeeded('native', { steps: [{ ...song, mv: 'chirp-v5' }] });
    expect((await simTask(native.steps[0]!.upstream_task_id!)).request.mv).toBe('chirp-crow');
    const action = await succeeded('action', { steps: [{ ...song, mv: 'chirp-crow' }] });
    expect((await simTask(action.steps[0]!.upstream_task_id!)).request.model).toBe('chirp-v5');
    const r = await h.api<{ detail: string; step: number }>('/v1/generations', { body: { provider: 'relay', steps: [{ ...song, mv: 'chirp-v5-5' }] } });
    expect(r.status).toBe(422);
    expect(r.body.detail).toContain('provider "relay" has no model "chirp-v5-5" (models: chirp-v3-0, chirp-v3-5, chirp-v4, chirp-v4-5, chirp-v5)');
  });

  it('passes a step’s upstream extras verbatim, and refuses extras that would override Refrain', async () => {
    const g = await succeeded('action', { steps: [{ ...song, upstream: { vocal_gender: 'f', weirdness: 0.4 } }] });
    expect((await simTask(g.steps[0]!.upstream_task_id!)).request).toMatchObject({ vocal_gender: 'f', weirdness: 0.4, action: 'generate' });
    const bad = await h.api<{ issues: { path: unknown[] }[] }>('/v1/generations', { body: { provider: 'action', steps: [{ ...song, upstream: { callback_url: 'https://x.example/steal' } }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0]!.path).toEqual(['steps', 0, 'upstream', 'callback_url']);
  });

  it('answers 422 naming the provider and the operation it lacks', async () => {
    const r = await h.api<{ detail: string; step: number }>('/v1/generations', {
      body: { provider: 'gateway', steps: [{ op: 'generate', gpt_description_prompt: 'x' }, { op: 'stems' }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.step).toBe(1);
    expect(r.body.detail).toContain('provider "gateway" does not offer the operation "stems"');
  });
});
