import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { startHarness, type Harness } from '../support/harness';
import { startCallbackTap, type CallbackTap } from '../support/callback-tap';


let h: Harness;
let tap: CallbackTap;
beforeAll(async () => {
  tap = await startCallbackTap();
  h = await startHarness({
    providers: (sim) => [
      // Polling every 60 s: only a callback can finish a step quickly.
      { name: 'relay', dialect: 'relay', base_url: sim, api_key: 'sim-key', callbacks: true, poll_interval_ms: 60_000 },
      { name: 'relay-fallback', dialect: 'relay', base_url: sim, api_key: 'sim-key', callbacks: true, poll_interval_ms: 300 },
    ],
    env: { PUBLIC_HOOKS_URL: tap.url },
  });
  tap.setTarget(h.url);
});
afterAll(async () => {
  await h?.stop();
  await tap?.close();
});

const simTask = async (taskId: string) =>
  (await (await fetch(`${h.sim.url}/_sim/tasks/${taskId}`)).json()) as { statusQueries: number; createdAt: number; durationMs: number; callbacksSent: number };

describe('notify_hook callbacks', () => {
  it('finishes a step within a second of the callback, with zero status queries', async () => {
    const r = await h.api<GenerationView>('/v1/generations', {
      body: { provider: 'relay', steps: [{ op: 'generate', gpt_description_prompt: 'callback song [sim:duration=700]' }] },
    });
    const g = await h.waitFinal(r.body.id, 20);
    expect(g.status).toBe('succeeded');
    expect(g.clips.every((c) => c.status === 'complete')).toBe(true);
    const task = await simTask(g.steps[0]!.upstream_task_id!);
    expect(task.statusQueries).toBe(0);
    expect(task.callbacksSent).toBeGreaterThanOrEqual(1);
    const completedAt = task.createdAt + task.durationMs;
    expect(new Date(g.finished_at!).getTime() - completedAt).toBeLessThan(1000);
    expect(tap.answered.every((s) => s.status === 200)).toBe(true);
  });

  it('refuses hostile callbacks and leaves the generation as it was', async () => {
    const r = await h.api<GenerationView>('/v1/generations', {
      body: { provider: 'relay', steps: [{ op: 'generate', gpt_description_prompt: 'hostile [sim:duration=400]' }] },
    });
    const done = await h.waitFinal(r.body.id, 20);
    expect(done.status).toBe('succeeded');
    const real = tap.seen.find((s) => s.body.includes(done.steps[0]!.upstream_task_id!))!;
    const before = JSON.stringify((await h.api<GenerationView>(`/v1/generations/${done.id}`)).body);
    const post = (path: string, body: string) =>
      fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    const forged = real.path.replace(/[^/]+$/, 'forged-token-0000000000000000');
    expect((await post(forged, real.body)).status).toBe(404);
    expect((await post(real.path.replace('/relay/', '/nope/'), real.body)).status).toBe(404);
    expect((await post(real.path, '{"code":"success","data":{"status":42}}')).status).toBe(400);
    expect((await post(real.path, 'not json')).status).toBe(400);
    expect((await post(real.path, JSON.stringify({ pad: 'x'.repeat(400_000) }))).status).toBe(413);
    const repeat = await post(real.path, real.body);
    expect(repeat.status).toBe(200);
    expect(await repeat.json()).toMatchObject({ message: 'no change' });
    // A stale callback (the task still streaming) must not move a complete clip backwards.
    const stale = real.body.replace(/"SUCCESS"/g, '"IN_PROGRESS"').replace(/"complete"/g, '"streaming"');
    expect((await post(real.path, stale)).status).toBe(200);
    const after = JSON.stringify((await h.api<GenerationView>(`/v1/generations/${done.id}`)).body);
    expect(after).toBe(before);
  });

  it('falls back to polling when callbacks are lost', async () => {
    await fetch(`${h.sim.url}/_sim/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"dropCallbacks":true}' });
    const r = await h.api<GenerationView>('/v1/generations', {
      body: { provider: 'relay-fallback', steps: [{ op: 'generate', gpt_description_prompt: 'lost callback [sim:duration=300]' }] },
    });
    const g = await h.waitFinal(r.body.id, 20);
    expect(g.status).toBe('succeeded');
    const task = await simTask(g.steps[0]!.upstream_task_id!);
    expect(task.callbacksSent).toBe(0);
    expect(task.statusQueries).toBeGreaterThan(0);
    await fetch(`${h.sim.url}/_sim/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"dropCallbacks":false}' });
  });
});
