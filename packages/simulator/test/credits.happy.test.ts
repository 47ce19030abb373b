import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boot, call, dialectClient, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await boot({ durationMs: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const limit = async (): Promise<number> => {
  const r = await dialectClient(sim, 'gateway').get('/gateway/limit');
  expect(r.status).toBe(200);
  return r.body.data.songs_left as number;
};

describe('credits: null (the default) never refuses', () => {
  it('the config says null; the limit counts down from 1000 and stops at 0; past it every submission is still accepted', async () => {
    expect(sim.config().credits).toBeNull();
    expect((await call(sim.url, 'GET', '/_sim/config')).body.credits).toBeNull();
    expect(await limit()).toBe(1000);
    const gateway = dialectClient(sim, 'gateway');
    const n = 1010;
    const statuses: number[] = [];
    for (let i = 0; i < n; i += 50) {
      const batch = Array.from({ length: Math.min(50, n - i) }, (_, j) =>
        gateway.post('/gateway/generate/music', { prompt: `verse ${i + j}`, title: 'Many', tags: 'pop' }).then((r) => r.status),
      );
      statuses.push(...(await Promise.all(batch)));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await limit()).toBe(0);
    // The other dialects are not refused at 0 either.
    expect((await dialectClient(sim, 'native').post('/v1/suno/generate', { prompt: 'x', mv: 'chirp-v4' })).status).toBe(200);
    expect((await dialectClient(sim, 'relay').post('/suno/submit/music', { gpt_description_prompt: 'a song' })).status).toBe(200);
    expect((await dialectClient(sim, 'action').post('/suno/audios', { action: 'generate', prompt: 'a song', custom: false, async: true })).status).toBe(200);
    expect(await limit()).toBe(0);
    expect(sim.stats()).toMatchObject({ submissions: n + 3, duplicates: 0, tasks: n + 3 });
  });

  it('a number through POST /_sim/config sets the balance; setting it again resets it; other keys leave it alone; null brings back the countdown', async () => {
    const set = await call(sim.url, 'POST', '/_sim/config', { body: { credits: 5 } });
    expect(set.status).toBe(200);
    expect(set.body.credits).toBe(5);
    expect(await limit()).toBe(5);
    const gateway = dialectClient(sim, 'gateway');
    await gateway.post('/gateway/generate/gpt_desc', { gpt_description_prompt: 'one' });
    await gateway.post('/gateway/generate/gpt_desc', { gpt_description_prompt: 'two' });
    expect(await limit()).toBe(3);
    sim.configure({ durationMs: 10 });
    expect(await limit()).toBe(3);
    // Lyrics are not songs: they neither spend nor are refused.
    expect((await gateway.post('/gateway/generate/lyrics', { prompt: 'rain' })).status).toBe(200);
    expect(await limit()).toBe(3);
    sim.configure({ credits: 5 });
    expect(await limit()).toBe(5);
    sim.configure({ credits: null });
    expect(sim.config().credits).toBeNull();
    expect(await limit()).toBe(1000);
  });

  it('reset goes back to null: 1000 and never refusing', async () => {
    sim.configure({ credits: 0 });
    expect(await limit()).toBe(0);
    expect((await dialectClient(sim, 'gateway').post('/gateway/generate/gpt_desc', { gpt_description_prompt: 'x' })).status).toBe(402);
    await call(sim.url, 'POST', '/_sim/reset');
    expect(sim.config().credits).toBeNull();
    expect(await limit()).toBe(1000);
    expect((await dialectClient(sim, 'gateway').post('/gateway/generate/gpt_desc', { gpt_description_prompt: 'x' })).status).toBe(200);
    expect(await limit()).toBe(999);
  });

  it('invalid values are refused with 400 and change nothing', async () => {
    for (const credits of [-1, 1.5, 10_000_001, '5']) {
      const r = await call(sim.url, 'POST', '/_sim/config', { body: { credits } });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(/^credits: /);
    }
    expect(() => sim.configure({ credits: -1 })).toThrow(/credits/);
    expect(sim.config().credits).toBeNull();
    expect(await limit()).toBe(1000);
    sim.configure({ credits: 10_000_000 });
    expect(await limit()).toBe(10_000_000);
  });
});
