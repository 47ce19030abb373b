import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REJECT_MESSAGE } from '../src/index';
import { boot, call, dialectClient, FakeClock, receiver, type Sim, type J } from './helpers';

const clock = new FakeClock();
let sim: Sim;
const D = 1000;
beforeAll(async () => {
  sim = await boot({ durationMs: D, now: clock.now });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('[sim:reject]', () => {
  it('refuses the submission with 400 in each envelope and creates nothing', async () => {
    const n = await dialectClient(sim, 'native').post('/v1/suno/generate', { prompt: 'x [sim:reject]', mv: 'chirp-v4' });
    expect(n.status).toBe(400);
    expect(n.body).toEqual({ detail: REJECT_MESSAGE });
    const g = await dialectClient(sim, 'gateway').post('/gateway/generate/gpt_desc', { gpt_description_prompt: '[sim:reject]' });
    expect(g.body).toEqual({ code: 400, msg: REJECT_MESSAGE, data: null });
    const r = await dialectClient(sim, 'relay').post('/suno/submit/lyrics', { prompt: '[sim:reject]' });
    expect(r.body).toEqual({ code: 'error', message: REJECT_MESSAGE, data: null });
    const a = await dialectClient(sim, 'action').post('/suno/audios', { action: 'generate', prompt: 'p', style: '[sim:reject]' });
    expect(a.body).toEqual({ success: false, error: { code: 'bad_request', message: 'Simulated rejection: prompt refused' } });
    expect(sim.stats()).toMatchObject({ tasks: 0, submissions: 0 });
  });
});

describe('[sim:error]', () => {
  it('ends the task in error at D, in each dialect’s own words', async () => {
    const n = await dialectClient(sim, 'native').post('/v1/suno/generate', { prompt: '[sim:error]', mv: 'chirp-v4' });
    const g = await dialectClient(sim, 'gateway').post('/gateway/generate/music', { prompt: '', title: 'x [sim:error]' });
    const r = await dialectClient(sim, 'relay').post('/suno/submit/music', { gpt_description_prompt: 'rock [sim:error]' });
    const a = await dialectClient(sim, 'action').post('/suno/audios', { action: 'generate', prompt: 'p [sim:error]', async: true });
    clock.advance(D * 0.6);
    const streaming = (await dialectClient(sim, 'relay').get(`/suno/fetch/${r.body.data}`)).body.data;
    expect(streaming.status).toBe('IN_PROGRESS');
    clock.advance(D * 0.4);

    const nc = (await dialectClient(sim, 'native').get(`/v1/suno/feed?ids=${n.body.clips[0].id}`)).body.clips[0];
    expect(nc).toMatchObject({ status: 'error', audio_url: '', metadata: { error_message: 'Simulated upstream failure' } });
    const gs = (await dialectClient(sim, 'gateway').get(`/gateway/feed/${g.body.data[0].song_id}`)).body.data;
    expect(gs).toMatchObject({ status: 'error', meta_error_msg: 'Simulated upstream failure' });
    const rt = (await dialectClient(sim, 'relay').get(`/suno/fetch/${r.body.data}`)).body.data;
    expect(rt).toMatchObject({ status: 'FAILURE', fail_reason: 'Simulated upstream failure' });
    expect(rt.data[0].status).toBe('error');
    const ac = (await dialectClient(sim, 'action').post('/suno/tasks', { id: a.body.task_id, action: 'retrieve' })).body.response;
    expect(ac).toMatchObject({ success: false, error: { message: 'Simulated upstream failure' } });
    expect((await call(sim.url, 'GET', `/_sim/tasks/${a.body.task_id}`)).body.state).toBe('error');
  });

  it('lyrics tasks fail too, with error_message', async () => {
    const n = await dialectClient(sim, 'native').post('/v1/suno/generate/lyrics', { prompt: 'x [sim:error]' });
    const g = await dialectClient(sim, 'gateway').post('/gateway/generate/lyrics', { prompt: 'x [sim:error]' });
    clock.advance(D);
    expect((await dialectClient(sim, 'native').get(`/v1/suno/lyrics/${n.body.id}`)).body).toMatchObject({ status: 'error', error_message: 'Simulated upstream failure' });
    expect((await dialectClient(sim, 'gateway').get(`/gateway/lyrics/${g.body.data.id}`)).body.data).toMatchObject({ status: 'error', error_message: 'Simulated upstream failure' });
  });
});

describe('[sim:never] and [sim:duration=ms]', () => {
  it('never stays streaming; duration overrides the default per task', async () => {
    const api = dialectClient(sim, 'native');
    const never = await api.post('/v1/suno/generate', { prompt: '', tags: '[sim:never]', mv: 'chirp-v4' });
    const quick = await api.post('/v1/suno/generate', { prompt: '', title: '[sim:duration=10]', mv: 'chirp-v4' });
    const slow = await api.post('/v1/suno/generate', { prompt: '', title: '[sim:duration=50000]', mv: 'chirp-v4' });
    clock.advance(20);
    const ids = [never, quick, slow].map((r) => r.body.clips[0].id).join(',');
    expect((await api.get(`/v1/suno/feed?ids=${ids}`)).body.clips.map((c: J) => c.status)).toEqual(['submitted', 'complete', 'submitted']);
    clock.advance(10_000_000);
    expect((await api.get(`/v1/suno/feed?ids=${ids}`)).body.clips.map((c: J) => c.status)).toEqual(['streaming', 'complete', 'complete']);
    expect((await call(sim.url, 'GET', `/_sim/tasks/${slow.body.id}`)).body.durationMs).toBe(50000);
  });

  it('markers in nested strings count too, and are not echoed back', async () => {
    const r = await dialectClient(sim, 'action').post('/suno/audios', { action: 'generate', custom: true, lyric: 'la la [sim:duration=0]', title: 'Song' });
    expect(r.body.data[0]).toMatchObject({ state: 'succeeded', lyric: 'la la' });
  });
});

describe('[sim:odd]', () => {
  it('status answers show the task in a shape no schema expects; the others stay as they are', async () => {
    const native = dialectClient(sim, 'native');
    const odd = await native.post('/v1/suno/generate', { prompt: 'x [sim:odd]', mv: 'chirp-v4' });
    const fine = await native.post('/v1/suno/generate', { prompt: 'y', mv: 'chirp-v4' });
    expect(odd.body.clips[0].status).toBe('submitted'); // the submit answer is as usual
    const clips = (await native.get(`/v1/suno/feed?ids=${odd.body.clips[0].id},${fine.body.clips[0].id}`)).body.clips;
    expect(clips[0]).toEqual({ id: odd.body.clips[0].id, status: { unexpected: true }, title: 42 });
    expect(clips[1].status).toBe('submitted');
    const relay = dialectClient(sim, 'relay');
    const r = await relay.post('/suno/submit/music', { prompt: 'z [sim:odd]' });
    expect((await relay.post('/suno/fetch', { ids: [r.body.data] })).body.data[0]).toMatchObject({ status: 12345, data: 'garbage' });
    const action = dialectClient(sim, 'action');
    const a = await action.post('/suno/audios', { action: 'generate', prompt: 'w [sim:odd]', async: true });
    expect((await action.post('/suno/tasks', { ids: [a.body.task_id], action: 'retrieve_batch' })).body.items[0].response.data).toBe('not a list');
  });
});

describe('callback failures (real time)', () => {
  it('a receiver that answers 500 or is not listening counts as failed; dropCallbacks counts as dropped', async () => {
    const hook = await receiver(500);
    const real = await boot({ durationMs: 0 });
    try {
      const relay = dialectClient(real, 'relay');
      await relay.post('/suno/submit/lyrics', { prompt: 'a', notify_hook: `${hook.url}/x` });
      await hook.waitFor(1);
      const settled = async (n: number) => {
        const deadline = Date.now() + 3000;
        while (real.stats().callbacks.failed + real.stats().callbacks.dropped < n && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await relay.post('/suno/submit/lyrics', { prompt: 'b', notify_hook: 'http://127.0.0.1:1/closed-port' });
      await settled(2);
      // dropCallbacks is read when a callback is due, not when the task is submitted
      real.configure({ dropCallbacks: true });
      const dropped = await relay.post('/suno/submit/lyrics', { prompt: 'c', notify_hook: `${hook.url}/y` });
      await settled(3);
      expect(real.stats().callbacks).toEqual({ sent: 0, failed: 2, dropped: 1 });
      expect(hook.hits).toHaveLength(1);
      expect((await call(real.url, 'GET', `/_sim/tasks/${dropped.body.data}`)).body.callbacksSent).toBe(0);
    } finally {
      await real.close();
      await hook.close();
    }
  });
});
