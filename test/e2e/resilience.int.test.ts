import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { dropRedisPrefix, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    providers: (sim) => [
      { name: 'sim', dialect: 'native', base_url: sim, api_key: 'sim-key', poll_interval_ms: 200 },
      { name: 'short', dialect: 'native', base_url: sim, api_key: 'sim-key', poll_interval_ms: 200, deadline_s: 2 },
    ],
  });
});
afterAll(async () => {
  await h?.stop();
});

const simConfig = (body: unknown) =>
  fetch(`${h.sim.url}/_sim/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const create = async (prompt: string, provider = 'sim') =>
  (await h.api<GenerationView>('/v1/generations', { body: { provider, steps: [{ op: 'generate', gpt_description_prompt: prompt }] } })).body;

interface ProviderInfo {
  name: string;
  circuit: { state: string };
}

describe('resilience', () => {
  it('fails a task that never finishes with upstream_timeout at the deadline', async () => {
    const g = await h.waitFinal((await create('never ends [sim:never]', 'short')).id, 20);
    expect(g.status).toBe('failed');
    expect(g.error).toMatchObject({ code: 'upstream_timeout', step: 0 });
    expect(g.error!.message).toMatch(/did not finish before its deadline/);
  });

  it('slows down on 429 with Retry-After instead of failing the job', async () => {
    await simConfig({ faults: { rate429: 1, retryAfterS: 1 } });
    const created = await create('rate limited song');
    await new Promise((r) => setTimeout(r, 1500));
    const during = (await h.api<GenerationView>(`/v1/generations/${created.id}`)).body;
    expect(['queued', 'running']).toContain(during.status);
    await simConfig({ faults: { rate429: 0 } });
    const g = await h.waitFinal(created.id, 30);
    expect(g.status).toBe('succeeded');
  });

  it('opens the circuit after repeated failures, shows it, and closes it again with a probe', async () => {
    await simConfig({ faults: { rate5xx: 1 } });
    const ids = await Promise.all([1, 2, 3].map(async (i) => (await create(`breaker ${i}`)).id));
    let open = false;
    for (let i = 0; i < 60 && !open; i++) {
      const p = await h.api<{ data: ProviderInfo[] }>('/v1/providers');
      open = p.body.data.find((x) => x.name === 'sim')!.circuit.state === 'open';
      if (!open) await new Promise((r) => setTimeout(r, 250));
    }
    expect(open).toBe(true);
    await simConfig({ faults: { rate5xx: 0 } });
    const done = await Promise.all(ids.map((id) => h.waitFinal(id, 60)));
    expect(done.map((g) => g.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const p = await h.api<{ data: ProviderInfo[] }>('/v1/providers');
    expect(p.body.data.find((x) => x.name === 'sim')!.circuit.state).toBe('closed');
  }, 90_000);

  it('rebuilds the queues from Postgres when Redis loses its data', async () => {
    const created = (
      await h.api<GenerationView>('/v1/generations', {
        body: { steps: [{ op: 'generate', gpt_description_prompt: 'wiped [sim:duration=1500]' }, { op: 'extend', continue_at: 5 }] },
      })
    ).body;
    await new Promise((r) => setTimeout(r, 300));
    await dropRedisPrefix(h.queuePrefix);
    const g = await h.waitFinal(created.id, 40);
    expect(g.status).toBe('succeeded');
    expect(g.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
    const stats = (await (await fetch(`${h.sim.url}/_sim/stats`)).json()) as { duplicates: number };
    expect(stats.duplicates).toBe(0);
  }, 60_000);
});
