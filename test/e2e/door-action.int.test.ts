import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startHarness, type Harness } from '../support/harness';
import { callDoor, expectAudio, expectSameShape, pollUntil, seedExample, startReceiver, UUID, type DoorCall, type J } from '../support/doors';

// The action door (seed 004, as AceData serves it): one endpoint, `action` says what to do;
// the answer is final when the client can wait, else a task id (async, or callback_url).

let h: Harness;
let hooks: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  h = await startHarness({ env: { ALLOW_LOOPBACK_URLS: 'true', WEBHOOK_RETRY_BASE_MS: '200' } });
  hooks = await startReceiver();
});
afterAll(async () => {
  await hooks?.close();
  await h?.stop();
});

const action = (path: string, init: DoorCall = {}) => callDoor(h.url, path, { key: KEYS.alpha, ...init });
/** Blocking: the answer is the finished songs. */
const audios = async (body: unknown): Promise<J> => {
  const r = await action('/suno/audios', { body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const record = async (id: string): Promise<J> => (await action('/suno/tasks', { body: { action: 'retrieve', id } })).body;

describe('action door: the seed\'s own example', () => {
  it('answers seed 004\'s generate request with the final songs, as the seed shows', async () => {
    const answer = await audios(seedExample('seed004-action-generate-request.json'));
    const seed = seedExample('seed004-action-response.json');
    expectSameShape(answer, seed, 'answer');
    expect(answer.success).toBe(true);
    expect(answer.task_id).toMatch(UUID);
    expect(answer.data).toHaveLength(2);
    for (const clip of answer.data) {
      expectSameShape(clip, seed.data[0], 'clip');
      expect(clip).toMatchObject({ state: 'succeeded', model: 'chirp-v4', prompt: 'A song for Christmas' });
      await expectAudio(clip.audio_url);
    }
  });

  it('keeps a record per task in AceData\'s shape (retrieve, retrieve_batch)', async () => {
    const a = await action('/suno/audios', { body: { ...seedExample('seed004-action-generate-request.json'), async: true } });
    expect(a.body).toMatchObject({ success: true, task_id: expect.stringMatching(UUID), trace_id: expect.any(String) });
    const one = await pollUntil(() => record(a.body.task_id), (r) => r.response?.data?.every((c: J) => c.state === 'succeeded'));
    const documented = seedExample('acedata-tasks-retrieve-response.json');
    expectSameShape(one, { id: documented.id, created_at: documented.created_at, request: documented.request, trace_id: documented.trace_id, response: documented.response }, 'record');
    expect(one.request).toMatchObject({ action: 'generate', prompt: 'A song for Christmas' });
    const batch = await action('/suno/tasks', { body: { action: 'retrieve_batch', ids: [a.body.task_id, 'not-a-task'] } });
    expectSameShape(batch.body, seedExample('acedata-tasks-retrieve-batch-response.json'), 'batch');
    expect(batch.body.count).toBe(1);
    expect(batch.body.items[0].id).toBe(a.body.task_id);
  });
});

describe('action door, end to end as an action client', () => {
  it('with callback_url: {task_id} at once, then the final answer is POSTed there through the delivery log', async () => {
    const r = await action('/suno/audios', { body: { action: 'generate', prompt: 'a song for the callback', callback_url: `${hooks.url}/acedata` } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['task_id']);
    const got = await hooks.next((x) => x.body?.task_id === r.body.task_id);
    expectSameShape(got.body, seedExample('acedata-audios-callback-body.json'), 'callback');
    expect(got.body.success).toBe(true);
    expect(got.body.data.map((c: J) => c.state)).toEqual(['succeeded', 'succeeded']);
    // The delivery is marked delivered once the receiver's answer is back, a moment after the receiver saw the body.
    const deliveries = await pollUntil(
      () => h.api<{ data: J[] }>(`/v1/generations/${r.headers.get('x-refrain-generation-id')}/deliveries`),
      (d) => d.body.data[0]?.status !== 'pending',
      5000,
      50,
    );
    expect(deliveries.body.data).toEqual([expect.objectContaining({ kind: 'door', status: 'delivered' })]);
  });

  it('custom mode, then extend, cover, replace_section, stems and concat of its clip (audio_id)', async () => {
    const song = await audios({ action: 'generate', custom: true, lyric: '[Verse]\nLines of mine', title: 'Mine', style: 'folk', model: 'chirp-v4' });
    expect(song.data[0]).toMatchObject({ title: 'Mine', style: 'folk', lyric: '[Verse]\nLines of mine' });
    const id = song.data[0].id;
    const extended = await audios({ action: 'extend', audio_id: id, continue_at: 2, lyric: '[Verse]\nMore of mine', style: 'folk' });
    const cover = await audios({ action: 'cover', audio_id: id, lyric: '[Verse]\nLines of mine', style: 'jazz' });
    const section = await audios({ action: 'replace_section', audio_id: id, replace_section_start: 1, replace_section_end: 2, lyric: 'new words' });
    const stems = await audios({ action: 'stems', audio_id: id });
    const whole = await audios({ action: 'concat', audio_id: extended.data[0].id });
    for (const a of [extended, cover, section, stems]) expect(a.data.map((c: J) => c.state)).toEqual(['succeeded', 'succeeded']);
    expect(whole.data).toHaveLength(1);
    await expectAudio(whole.data[0].audio_url);
  });

  it('uploads (POST /suno/upload, answered with audio_id once it exists), then upload_extend', async () => {
    const up = await action('/suno/upload', { body: { audio_url: `${h.sim.url}/audio/demo.wav` } });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expectSameShape(up.body, seedExample('acedata-upload-response.json'), 'upload');
    const ext = await audios({ action: 'upload_extend', audio_id: up.body.data.audio_id, continue_at: 2, lyric: '[Verse]\nOn and on', style: 'pop' });
    expect(ext.data.map((c: J) => c.state)).toEqual(['succeeded', 'succeeded']);
    const seedWay = await audios({ action: 'upload_generate', audio_url: `${h.sim.url}/audio/other.wav` });
    expect(seedWay.data).toHaveLength(1);
  });

  it('answers failures in AceData\'s envelope, with the upstream\'s words', async () => {
    const failed = await action('/suno/audios', { body: { action: 'generate', prompt: 'fails [sim:error]' } });
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ success: false, task_id: expect.stringMatching(UUID), error: { message: expect.stringContaining('Simulated upstream failure') } });
    const refused = await action('/suno/audios', { body: { action: 'generate', prompt: 'refuse [sim:reject]' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ success: false, error: { message: expect.stringContaining('Simulated rejection') } });
    const noLyric = await action('/suno/audios', { body: { action: 'generate', custom: true, title: 'x' } });
    expectSameShape(noLyric.body, seedExample('acedata-error-400-response.json'), 'error');
    expect(noLyric.body.error).toEqual({ code: 'bad_request', message: 'lyric is required when generate custom audio' });
    const badAction = await action('/suno/audios', { body: { action: 'dance' } });
    expect(badAction.status).toBe(400);
    expect(badAction.body.error.message).toContain('action');
    const gone = await action('/suno/tasks', { body: { action: 'retrieve', id: 'nope' } });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
  });
});
