import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropRedisPrefix, KEYS, startHarness, type Harness } from '../support/harness';
import { startApp, type AppProcess } from '../support/processes';
import { callDoor, expectAudio, pollUntil, type DoorCall, type J } from '../support/doors';

// Ids a door hands out are Refrain's own, kept in Postgres with the generation: they are
// valid before upstream has answered (no worker is running when they are handed out),
// through a Redis that loses everything, and through a worker killed in the middle.

let h: Harness;
const workers: AppProcess[] = [];
beforeAll(async () => {
  h = await startHarness({ roles: ['api', 'hooks'], simDurationMs: 2500 });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await h?.stop();
});

const door = (path: string, init: DoorCall = {}) => callDoor(h.url, path, { key: KEYS.alpha, ...init });
const startWorker = async () => {
  const w = startApp('worker', { ...h.workerEnv, LOG_LEVEL: 'info' });
  workers.push(w);
  await w.waitFor(/worker started/);
  return w;
};

describe('door ids', () => {
  it('stay valid before upstream answers, across a Redis loss and a worker crash', async () => {
    // No worker yet: the doors answer after their short wait, with ids upstream has never seen.
    const [relay, native, gateway, gcui] = await Promise.all([
      door('/suno/submit/music', { body: { gpt_description_prompt: 'durable relay song' } }),
      door('/v1/suno/generate', { body: { gpt_description_prompt: 'durable native song' } }),
      door('/gateway/generate/gpt_desc', { body: { gpt_description_prompt: 'durable gateway song' }, header: 'api-key' }),
      door('/api/generate', { body: { prompt: 'durable gcui song' } }),
    ]);
    for (const r of [relay, native, gateway, gcui]) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const taskId: string = relay.body.data;
    const nativeIds: string[] = native.body.clips.map((c: J) => c.id);
    const songId: string = gateway.body.data[0].song_id;
    const gcuiIds: string[] = gcui.body.map((c: J) => c.id);
    expect((await door(`/suno/fetch/${taskId}`)).body.data.status).toBe('NOT_START');
    expect(native.body.clips.map((c: J) => c.status)).toEqual(['submitted', 'submitted']);

    await dropRedisPrefix(h.queuePrefix); // Redis loses every queued job
    const first = await startWorker(); // its reconciler rebuilds the flows from Postgres
    await pollUntil(() => door(`/suno/fetch/${taskId}`), (r) => ['QUEUED', 'IN_PROGRESS'].includes(r.body.data.status), 30_000);
    await first.stop('SIGKILL'); // a crash while upstream works on the tasks
    await dropRedisPrefix(h.queuePrefix);
    await startWorker();

    const task = await pollUntil(async () => (await door(`/suno/fetch/${taskId}`)).body.data, (t) => t.status === 'SUCCESS', 40_000);
    for (const c of task.data) await expectAudio(c.audio_url);
    const clips = await pollUntil(async () => (await door(`/v1/suno/feed?ids=${nativeIds.join(',')}`)).body.clips as J[], (cs) => cs.every((c) => c.status === 'complete'), 40_000);
    expect(clips.map((c) => c.id)).toEqual(nativeIds);
    const song = await pollUntil(async () => (await door(`/gateway/feed/${songId}`, { header: 'api-key' })).body.data, (s) => s.status === 'complete', 40_000);
    await expectAudio(song.audio_url);
    const audio = await pollUntil(async () => (await door(`/api/get?ids=${gcuiIds.join(',')}`)).body as J[], (cs) => cs.every((c) => c.status === 'complete'), 40_000);
    expect(audio.map((c) => c.id)).toEqual(gcuiIds);
    const stats = (await (await fetch(`${h.sim.url}/_sim/stats`)).json()) as { submissions: number; duplicates: number };
    expect(stats).toMatchObject({ submissions: 4, duplicates: 0 }); // each sent upstream once
  }, 120_000);
});
