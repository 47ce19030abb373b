import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { RELAY_QUERY_BATCH } from '@refrain/providers';
import type { SimStats } from '@refrain/simulator';
import { startHarness, type Harness } from '../support/harness';
import { startApp, type AppProcess } from '../support/processes';

/**
 * The hard ceiling across worker processes: three workers share one relay provider whose
 * simulator enforces `max_rps` (429 above it, per calendar second). Submissions, status
 * queries, a lyrics submission and its query all pass the one shared gate.
 */
const MAX_RPS = 5;
const SINGLE = 24;
const LYRICS_SONGS = 8; // lyrics → generate: two submissions each, and a lyrics status query

let h: Harness;
let sim: AppProcess;
let simUrl: string;
const workers: AppProcess[] = [];
/** The provider is its own process, as a real one is: what it counts is not skewed by this process's event loop. */
async function simJson<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${simUrl}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as T;
}
beforeAll(async () => {
  sim = startApp('simulator', { PORT: '0', SIM_DURATION_MS: '1500', SIM_API_KEY: 'sim-key' });
  await sim.waitFor(/simulator listening/);
  simUrl = (JSON.parse(sim.output().split('\n').find((l) => l.includes('simulator listening'))!) as { url: string }).url;
  await simJson('/_sim/config', { rateLimit: { perSecond: MAX_RPS } });
  h = await startHarness({
    roles: ['api', 'hooks'],
    providers: () => [{ name: 'strict', dialect: 'relay', base_url: simUrl, api_key: 'sim-key', max_rps: MAX_RPS, poll_interval_ms: 500 }],
  });
  for (let i = 0; i < 3; i++) workers.push(startApp('worker', { ...h.workerEnv, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '10' }));
  await Promise.all(workers.map((w) => w.waitFor(/worker started/, 60_000)));
}, 90_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await h?.stop();
  await sim?.stop();
});

describe('upstream budget: three worker processes, one strict provider', () => {
  it('keeps every second within max_rps (no 429), and every generation succeeds', async () => {
    const ids: string[] = [];
    for (let i = 0; i < SINGLE; i++) {
      const r = await h.api<GenerationView>('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: `budget song ${i}` }] } });
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    for (let i = 0; i < LYRICS_SONGS; i++) {
      const r = await h.api<GenerationView>('/v1/generations', { body: { scenario: 'lyrics_song', input: { prompt: `rain number ${i}` } } });
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    // While the backlog drains, the providers endpoint shows the budget booked ahead.
    const during = await h.api<{ data: { name: string; budget: { max_rps: number; effective_rps: number; booked_ahead_ms: number } }[] }>('/v1/providers');
    expect(during.body.data[0]!.budget).toMatchObject({ max_rps: MAX_RPS });
    expect(during.body.data[0]!.budget.effective_rps).toBeLessThanOrEqual(MAX_RPS);

    const finals = await Promise.all(ids.map((id) => h.waitFinal(id, 120)));
    expect(finals.map((g) => g.status)).toEqual(ids.map(() => 'succeeded'));

    const stats = await simJson<SimStats>('/_sim/stats');
    const relay = stats.rate.relay!;
    console.info(`relay: ${relay.requests} requests, busiest second ${relay.busiestSecond?.requests}, busiest 1000 ms ${relay.busiestWindow}, ${relay.limited} refused; by operation ${JSON.stringify(stats.requests)}`);
    expect(relay.limited).toBe(0); // not one 429
    expect(relay.busiestSecond!.requests).toBeLessThanOrEqual(MAX_RPS);
    expect(stats.submissions).toBe(SINGLE + 2 * LYRICS_SONGS);
    expect(stats.duplicates).toBe(0);
    // every kind of call went through: submissions of music and lyrics, status queries
    expect(Object.keys(stats.requests).sort()).toEqual(['relay.fetch', 'relay.fetch_batch', 'relay.submit_lyrics', 'relay.submit_music'].filter((k) => stats.requests[k]));
    expect(stats.requests['relay.submit_lyrics']).toBe(LYRICS_SONGS);
  }, 150_000);

  it('shows the budget and the last poll tick in GET /v1/providers', async () => {
    type Entry = { budget: Record<string, unknown>; polling: Record<string, unknown> | null; limits: Record<string, unknown> };
    let p!: Entry;
    // the next tick (every 500 ms) finds nothing due any more
    for (let i = 0; i < 50; i++) {
      p = (await h.api<{ data: Entry[] }>('/v1/providers')).body.data[0]!;
      if (p.polling?.due === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(p.limits).toMatchObject({ max_rps: MAX_RPS, query_batch_size: RELAY_QUERY_BATCH }); // the relay's default
    expect(p.budget).toMatchObject({ max_rps: MAX_RPS, factor: 1, paused_until: null });
    expect(p.polling).toMatchObject({ due: 0, asked: 0, overdue: 0, effective_interval_ms: 500 });
    // durations were learned from the finished tasks (1.5 s in the simulator; noticed within a poll interval)
    const generate = (p.polling!.durations as Record<string, { p05: number; p95: number }>).generate!;
    expect(generate.p05).toBeGreaterThanOrEqual(1.4);
    expect(generate.p95).toBeLessThan(10);
  });
});
