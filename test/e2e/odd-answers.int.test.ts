import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect, GenerationView } from '@refrain/contracts';
import { startHarness, type Harness } from '../support/harness';

// One task of a batched status answer in a shape no schema expects ([sim:odd]) must not
// stall the provider: the other tasks of the same answers are applied, the odd one waits
// out its own deadline, and the provider's circuit breaker stays closed.

const BATCHED: Dialect[] = ['native', 'relay', 'action', 'gateway'];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    simDurationMs: 400,
    providers: (sim) => BATCHED.map((d) => ({ name: d, dialect: d, base_url: sim, api_key: 'sim-key', poll_interval_ms: 150, deadline_s: 4 })),
  });
});
afterAll(async () => {
  await h?.stop();
});

const create = async (provider: string, prompt: string) => {
  const r = await h.api<GenerationView>('/v1/generations', { body: { provider, steps: [{ op: 'generate', prompt, title: 'T', tags: 'pop' }] } });
  expect(r.status).toBe(202);
  return r.body.id;
};

describe('one odd task in a batched status answer', () => {
  for (const dialect of BATCHED) {
    it(`${dialect}: the others succeed, the odd one fails at its deadline, the breaker stays closed`, async () => {
      const odd = await create(dialect, `[Verse]\nodd one [sim:odd]`);
      const fine = await Promise.all([1, 2, 3].map((n) => create(dialect, `[Verse]\nfine ${dialect} ${n}`)));
      for (const id of fine) {
        const g = await h.waitFinal(id, 20);
        expect(g.status, JSON.stringify(g.error)).toBe('succeeded');
      }
      const g = await h.waitFinal(odd, 20);
      expect(g.status).toBe('failed');
      expect(g.error?.code).toBe('upstream_timeout');
      const providers = await h.api<{ data: { name: string; circuit: { state: string } }[] }>('/v1/providers');
      expect(providers.body.data.find((p) => p.name === dialect)?.circuit.state).toBe('closed');
    });
  }
});
