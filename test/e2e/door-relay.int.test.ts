import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startHarness, type Harness } from '../support/harness';
import { callDoor, expectAudio, expectSameShape, pollUntil, seedExample, startReceiver, UUID, type DoorCall, type J } from '../support/doors';

// The relay door (seed 003): a relay client — new-api, one-hub, a bot written for them —
// changes only its base URL and key. Behind it, each request is an ordinary generation.

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

const relay = (path: string, init: DoorCall = {}) => callDoor(h.url, path, { key: KEYS.alpha, ...init });
const fetchTask = async (id: string): Promise<J> => (await relay(`/suno/fetch/${id}`)).body.data;
const untilFinal = (id: string) => pollUntil(() => fetchTask(id), (t) => t.status === 'SUCCESS' || t.status === 'FAILURE');
const submit = async (body: unknown): Promise<string> => {
  const r = await relay('/suno/submit/music', { body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data as string;
};

describe('relay door: the seed\'s own examples', () => {
  it('accepts the inspiration and custom examples and answers {code: "success", message, data: task id}', async () => {
    for (const name of ['seed003-relay-inspiration-request.json', 'seed003-relay-custom-request.json']) {
      const r = await relay('/suno/submit/music', { body: seedExample(name) });
      expect(r.status, name).toBe(200);
      expectSameShape(r.body, seedExample('seed003-relay-submit-response.json'), name);
      expect(r.body).toMatchObject({ code: 'success', message: '' });
      expect(r.body.data).toMatch(UUID);
    }
  });

  it('answers fetch with the documented task object and Suno clips', async () => {
    const task = await untilFinal(await submit(seedExample('seed003-relay-custom-request.json')));
    const documented = seedExample('relay-music-state-response.json').data;
    expectSameShape(task, documented, 'task');
    expect(task).toMatchObject({ action: 'MUSIC', status: 'SUCCESS', fail_reason: '', progress: '100%' });
    for (const t of ['submit_time', 'start_time', 'finish_time']) expect(Number.isInteger(task[t]) && task[t] > 1_600_000_000, t).toBe(true);
    expect(task.data).toHaveLength(2);
    const { state: _state, ...clipFields } = documented.data[0];
    for (const clip of task.data) {
      expectSameShape(clip, { ...clipFields, status: 'complete' }, 'clip');
      expect(clip).toMatchObject({ status: 'complete', title: 'City Lights', metadata: { tags: 'emotional punk', type: 'gen' } });
      expect(clip.metadata.prompt).toContain('Walking down the streets');
    }
  });

  it('accepts the continuation example with a task and clip of ours', async () => {
    const first = await untilFinal(await submit(seedExample('seed003-relay-inspiration-request.json')));
    const body = { ...seedExample('seed003-relay-continuation-request.json'), task_id: first.task_id, continue_clip_id: first.data[0].id, continue_at: 3 };
    const task = await untilFinal(await submit(body));
    expect(task.status).toBe('SUCCESS');
    expect(task.data[0]).toMatchObject({ title: 'City Lights', metadata: { tags: 'bass-driven atmospheric heavy metal' } });
  });

  it('writes lyrics: LYRICS task whose data is {id, text, title, status}', async () => {
    const r = await relay('/suno/submit/lyrics', { body: { prompt: 'a song about the sea' } });
    expect(r.body).toMatchObject({ code: 'success', message: '' });
    const task = await untilFinal(r.body.data);
    expect(task).toMatchObject({ task_id: r.body.data, action: 'LYRICS', status: 'SUCCESS' });
    expect(task.data).toMatchObject({ id: r.body.data, status: 'complete' });
    expect(task.data.text).toMatch(/\[Verse\]/);
    expect(typeof task.data.title).toBe('string');
  });
});

describe('relay door, end to end as a relay client', () => {
  it('submit, fetch until SUCCESS, and the audio URLs serve audio', async () => {
    const id = await submit({ gpt_description_prompt: 'an upbeat synth-pop song about a night drive', mv: 'chirp-v3-5' });
    const seen = new Set<string>();
    const task = await pollUntil(async () => {
      const t = await fetchTask(id);
      seen.add(t.status);
      return t;
    }, (t) => t.status === 'SUCCESS', 30_000, 50);
    expect(task.task_id).toBe(id);
    expect([...seen].every((s) => ['NOT_START', 'SUBMITTED', 'QUEUED', 'IN_PROGRESS', 'SUCCESS'].includes(s))).toBe(true);
    for (const clip of task.data) {
      expect(clip.id).toMatch(UUID);
      expect(clip.model_name).toBe('chirp-v3-5');
      await expectAudio(clip.audio_url);
    }
  });

  it('fetches many tasks at once with POST /suno/fetch {ids, action}, leaving out ids that are not ours', async () => {
    const music = await submit({ gpt_description_prompt: 'batch one' });
    const lyrics = (await relay('/suno/submit/lyrics', { body: { prompt: 'batch two' } })).body.data;
    await untilFinal(music);
    await untilFinal(lyrics);
    const all = await relay('/suno/fetch', { body: { ids: [music, lyrics, 'not-a-task'] } });
    expect(all.body.code).toBe('success');
    expect(all.body.data.map((t: J) => t.task_id).sort()).toEqual([music, lyrics].sort());
    const onlyLyrics = await relay('/suno/fetch', { body: { ids: [music, lyrics], action: 'LYRICS' } });
    expect(onlyLyrics.body.data.map((t: J) => t.task_id)).toEqual([lyrics]);
  });

  it('posts the final task object to notify_hook, through the delivery log', async () => {
    const r = await relay('/suno/submit/music', { body: { prompt: '[Verse]\nCall me back', title: 'Hook Song', tags: 'pop', notify_hook: `${hooks.url}/relay-hook` } });
    const id = r.body.data;
    const generationId = r.headers.get('x-refrain-generation-id')!;
    const got = await hooks.next((x) => x.path === '/relay-hook' && x.body?.task_id === id);
    expect(got.body).toMatchObject({ task_id: id, action: 'MUSIC', status: 'SUCCESS', progress: '100%' });
    expect(got.body.data.map((c: J) => c.status)).toEqual(['complete', 'complete']);
    expect(got.body).toEqual(await fetchTask(id));
    const deliveries = await h.api<{ data: J[] }>(`/v1/generations/${generationId}/deliveries`);
    expect(deliveries.body.data).toEqual([expect.objectContaining({ kind: 'door', event: 'generation.succeeded', status: 'delivered', url: `${hooks.url}/relay-hook` })]);
  });

  it('retries a notify_hook that fails, as webhooks are retried, and signs it like one', async () => {
    const flaky = await startReceiver({ failFirst: 1 });
    try {
      const r = await relay('/suno/submit/music', { body: { gpt_description_prompt: 'retry my hook', notify_hook: `${flaky.url}/hook` } });
      const got = await flaky.next((x) => x.body?.task_id === r.body.data);
      expect(got.body.status).toBe('SUCCESS');
      expect(got.headers['webhook-id']).toMatch(/^msg_/);
      expect(got.headers['webhook-signature']).toMatch(/^v1,/);
      const deliveries = await h.api<{ data: J[] }>(`/v1/generations/${r.headers.get('x-refrain-generation-id')}/deliveries`);
      const [d] = deliveries.body.data;
      expect(d).toMatchObject({ kind: 'door', status: 'delivered' });
      expect(d.attempts.map((a: J) => a.status)).toEqual([503, 200]);
    } finally {
      await flaky.close();
    }
  });

  it('answers an upstream refusal in its envelope with the upstream\'s words', async () => {
    const r = await relay('/suno/submit/music', { body: { gpt_description_prompt: 'please refuse [sim:reject]' } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'error', data: null });
    expect(r.body.message).toContain('Simulated rejection: prompt refused');
  });

  it('answers a failed task as FAILURE with the upstream\'s words in fail_reason', async () => {
    const task = await untilFinal(await submit({ gpt_description_prompt: 'this one fails [sim:error]' }));
    expect(task.status).toBe('FAILURE');
    expect(task.fail_reason).toContain('Simulated upstream failure');
    expect(task.data.every((c: J) => c.status === 'error')).toBe(true);
  });

  it('refuses bad input in its envelope: a notify_hook that is not a URL, a missing prompt, unknown paths', async () => {
    const hook = await relay('/suno/submit/music', { body: { gpt_description_prompt: 'x', notify_hook: 'ftp://nope' } });
    expect(hook.status).toBe(400);
    expect(hook.body).toMatchObject({ code: 'error', data: null, message: expect.stringContaining('notify_hook') });
    const empty = await relay('/suno/submit/music', { body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('error');
    const missing = await relay('/suno/fetch/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'error', data: null });
    const nowhere = await relay('/suno/nowhere');
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.code).toBe('error');
  });
});
