import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { startHarness, type Harness } from '../support/harness';

/**
 * A provider whose real limit is below the max_rps it was configured with: it answers 429,
 * the shared budget shrinks (and grows back), steps wait instead of failing, and nothing
 * is submitted twice.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    simDurationMs: 800,
    providers: (url) => [{ name: 'tight', dialect: 'relay', base_url: url, api_key: 'sim-key', max_rps: 8, poll_interval_ms: 400 }],
  });
  h.sim.configure({ rateLimit: { perSecond: 4, retryAfterS: 1 } });
});
afterAll(() => h?.stop());

interface Budget {
  factor: number;
  effective_rps: number;
  paused_until: string | null;
}

describe('upstream budget: a provider stricter than its configuration', () => {
  it('cuts the budget on 429, and every generation still succeeds, submitted once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await h.api<GenerationView>('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: `tight song ${i}` }] } });
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    const seen: Budget[] = [];
    const watching = (async () => {
      for (let i = 0; i < 300 && seen.every((b) => b.factor === 1); i++) {
        seen.push((await h.api<{ data: { budget: Budget }[] }>('/v1/providers')).body.data[0]!.budget);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const finals = await Promise.all(ids.map((id) => h.waitFinal(id, 120)));
    await watching;
    expect(finals.map((g) => g.status)).toEqual(ids.map(() => 'succeeded'));
    const stats = h.sim.stats();
    expect(stats.rate.relay!.limited).toBeGreaterThan(0); // the provider did push back
    expect(stats.submissions).toBe(20);
    expect(stats.duplicates).toBe(0);
    // The budget was cut to 70 % of max_rps after the first 429 (and grows back by 1 % a second from there).
    const cut = seen.find((b) => b.factor < 1)!;
    expect(cut.factor).toBeLessThan(0.75);
    expect(cut.effective_rps).toBeLessThan(8 * 0.75);
    // Refused requests are a small part of the traffic: the budget settles near what the provider takes.
    expect(stats.rate.relay!.limited / stats.rate.relay!.requests).toBeLessThan(0.25);
  }, 150_000);
});
