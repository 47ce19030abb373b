import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES, type GenerationView } from '@refrain/contracts';
import { REDIS_URL, startHarness, type Harness } from '../support/harness';

let h: Harness;
let steps: Queue;
let redis: Redis;
beforeAll(async () => {
  // upload_extend sends the simulator's own http://127.0.0.1 audio_url, which the URL guard allows only with ALLOW_LOOPBACK_URLS.
  h = await startHarness({ simDurationMs: 200, env: { ALLOW_LOOPBACK_URLS: 'true' } });
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  steps = new Queue(QUEUES.steps, { connection: redis, prefix: h.queuePrefix });
});
afterAll(async () => {
  await steps?.close();
  redis?.disconnect();
  await h?.stop();
});

const create = async (body: unknown) => {
  const r = await h.api<GenerationView>('/v1/generations', { body });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body;
};

function expectEveryStepDone(g: GenerationView) {
  expect(g.status, JSON.stringify(g.error)).toBe('succeeded');
  for (const s of g.steps) {
    expect(s.status).toBe('succeeded');
    expect(s.upstream_task_id).toBeTruthy();
    expect(s.clip_ids.length + (s.op === 'lyrics' ? 1 : 0)).toBeGreaterThan(0);
    expect(s.started_at).toBeTruthy();
    expect(s.finished_at).toBeTruthy();
  }
  expect(g.clips.every((c) => c.status === 'complete')).toBe(true);
  expect(g.output?.clips).toEqual(g.steps.at(-1)!.clip_ids);
}

/** Jobs of one generation that could still be waiting for something. */
/** Jobs of the generation still in the queue, once BullMQ has settled the failure of a chain (a few seconds at most). */
async function lingering(id: string): Promise<string[]> {
  const look = async () => (await steps.getJobs(['waiting', 'waiting-children', 'active', 'delayed', 'prioritized'])).filter((j) => j?.id?.startsWith(id)).map((j) => j.id!);
  for (let i = 0; i < 50; i++) {
    const left = await look();
    if (left.length === 0) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
  return look();
}

describe('multi-step scenarios as flows', () => {
  it('runs extend_full: generate → extend → concat, each step continuing the one before', async () => {
    const g = await h.waitFinal((await create({ scenario: 'extend_full', input: { gpt_description_prompt: 'flows one', continue_at: 20 } })).id);
    expectEveryStepDone(g);
    expect(g.steps.map((s) => s.op)).toEqual(['generate', 'extend', 'concat']);
    expect(g.clips.filter((c) => c.step === 2)).toHaveLength(1);
  });

  it('runs upload_extend with the -upload model suffix', async () => {
    const g = await h.waitFinal(
      (await create({ scenario: 'upload_extend', input: { audio_url: `${h.sim.url}/audio/seed.wav`, continue_at: 5, tags: 'lofi', mv: 'chirp-v3-5' } })).id,
    );
    expectEveryStepDone(g);
    expect(g.steps.map((s) => s.op)).toEqual(['upload', 'extend']);
    // The simulator refuses to continue an uploaded clip unless the model carries -upload (seed 002).
    expect(g.clips.filter((c) => c.step === 1).length).toBeGreaterThan(0);
  });

  it('runs cover and lyrics_song', async () => {
    const cover = await h.waitFinal((await create({ scenario: 'cover', input: { gpt_description_prompt: 'flows cover', cover_tags: 'jazz' } })).id);
    expectEveryStepDone(cover);
    const song = await h.waitFinal((await create({ scenario: 'lyrics_song', input: { prompt: 'flows lyrics about tea', tags: 'folk' } })).id);
    expectEveryStepDone(song);
    const written = song.steps[0]!.lyrics!;
    expect(written.text).toMatch(/\[Verse/);
    // generate without a prompt sings the lyrics of the step before, with their title.
    expect(song.clips[0]!.title).toBe(written.title);
    expect(song.clips[0]!.lyrics).toBe(written.text);
  });

  it('runs the instrumental scenes: custom mode with empty lyrics, description mode with make_instrumental', async () => {
    const custom = await h.waitFinal((await create({ steps: [{ op: 'generate', prompt: '', tags: 'ambient', title: 'No Words' }] })).id);
    expectEveryStepDone(custom);
    expect(custom.clips.every((c) => !c.lyrics)).toBe(true);
    const desc = await h.waitFinal(
      (await create({ steps: [{ op: 'generate', gpt_description_prompt: 'flows instrumental', make_instrumental: true }] })).id,
    );
    expectEveryStepDone(desc);
    expect(desc.clips.every((c) => !c.lyrics)).toBe(true);
  });

  it('runs a 5-step chain: generate → extend → extend from clip 1 → concat → stems', async () => {
    const g = await h.waitFinal(
      (
        await create({
          steps: [
            { op: 'generate', gpt_description_prompt: 'flows five' },
            { op: 'extend', continue_at: 10 },
            { op: 'extend', continue_at: 20, from_clip: 1 },
            { op: 'concat' },
            { op: 'stems' },
          ],
        })
      ).id,
      60,
    );
    expectEveryStepDone(g);
    expect(g.steps.map((s) => s.op)).toEqual(['generate', 'extend', 'extend', 'concat', 'stems']);
    expect(g.clips.filter((c) => c.step === 4)).toHaveLength(2);
    expect(await lingering(g.id)).toEqual([]);
  });

  it('runs persona (artist consistency) on a generated clip, and without one', async () => {
    const g = await h.waitFinal(
      (await create({ steps: [{ op: 'generate', gpt_description_prompt: 'flows persona' }, { op: 'persona', persona_id: 'persona-1', tags: 'soul', prompt: '[Verse]\nsame voice' }] })).id,
    );
    expectEveryStepDone(g);
    const alone = await h.waitFinal((await create({ steps: [{ op: 'persona', persona_id: 'persona-2', tags: 'soul', title: 'Alone' }] })).id);
    expectEveryStepDone(alone);
  });

  it('runs replace_section on a generated clip', async () => {
    const g = await h.waitFinal(
      (await create({ steps: [{ op: 'generate', gpt_description_prompt: 'flows infill' }, { op: 'replace_section', infill_start_s: 5, infill_end_s: 9, tags: 'rock' }] })).id,
    );
    expectEveryStepDone(g);
  });

  it('fails the generation at the failing step, cancels the rest and leaves no job behind', async () => {
    const g = await h.waitFinal(
      (
        await create({
          steps: [
            { op: 'generate', gpt_description_prompt: 'flows fail' },
            { op: 'extend', continue_at: 10, prompt: 'this breaks [sim:error]' },
            { op: 'concat' },
          ],
        })
      ).id,
    );
    expect(g.status).toBe('failed');
    expect(g.error).toMatchObject({ step: 1, code: 'upstream_failed' });
    expect(g.error!.message).toContain('Simulated upstream failure');
    expect(g.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'canceled']);
    expect(await lingering(g.id)).toEqual([]);
    const parent = await steps.getJob(`${g.id}-2`);
    expect(parent ? await parent.getState() : 'gone').not.toBe('waiting-children');
  });

  it('fails with the upstream words when the submission itself is refused', async () => {
    const g = await h.waitFinal((await create({ steps: [{ op: 'generate', prompt: 'nope [sim:reject]', tags: 'x' }, { op: 'concat' }] })).id);
    expect(g.status).toBe('failed');
    expect(g.error).toMatchObject({ step: 0, code: 'upstream_rejected' });
    expect(g.error!.message).toContain('Simulated rejection');
    expect(g.steps[1]!.status).toBe('canceled');
    expect(await lingering(g.id)).toEqual([]);
  });

  it('cancels in the middle: the submitted step keeps its result, nothing after it runs', async () => {
    const created = await create({
      steps: [
        { op: 'generate', gpt_description_prompt: 'flows cancel [sim:duration=1500]' },
        { op: 'extend', continue_at: 10 },
        { op: 'concat' },
      ],
    });
    for (let i = 0; i < 50; i++) {
      const g = (await h.api<GenerationView>(`/v1/generations/${created.id}`)).body;
      if (g.steps[0]!.status === 'waiting') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const canceled = await h.api<GenerationView>(`/v1/generations/${created.id}/cancel`, { method: 'POST' });
    expect(canceled.body.status).toBe('canceled');
    expect(canceled.body.steps.map((s) => s.status)).toEqual(['waiting', 'canceled', 'canceled']);
    await new Promise((r) => setTimeout(r, 2500));
    const after = (await h.api<GenerationView>(`/v1/generations/${created.id}`)).body;
    expect(after.status).toBe('canceled');
    expect(after.steps[0]!.status).toBe('succeeded');
    expect(after.clips.filter((c) => c.step === 0).every((c) => c.status === 'complete')).toBe(true);
    expect(after.steps[1]!.upstream_task_id).toBeNull();
    expect(await lingering(created.id)).toEqual([]);
  });

  it('rejects bad chains before anything is queued, naming the step', async () => {
    const noClip = await h.api<{ step: number; detail: string }>('/v1/generations', { body: { steps: [{ op: 'extend', continue_at: 3 }] } });
    expect(noClip.status).toBe(400);
    expect(noClip.body.step).toBe(0);
    const infill = await h.api<{ step: number }>('/v1/generations', {
      body: { steps: [{ op: 'generate', gpt_description_prompt: 'x' }, { op: 'replace_section', infill_start_s: 9, infill_end_s: 3 }] },
    });
    expect(infill.status).toBe(400);
    expect(infill.body.step).toBe(1);
    const noAt = await h.api<{ step: number }>('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: 'x' }, { op: 'extend' }] } });
    expect(noAt.status).toBe(400);
    expect(noAt.body.step).toBe(1);
  });
});
