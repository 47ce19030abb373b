import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GenerationView, ProviderConfig } from '@refrain/contracts';
import { startSimulator } from '@refrain/simulator';
import { startHarness, type Harness } from '../support/harness';

// Provider pools over real HTTP: each member is its own simulator (one is a closed port),
// so every submission, refusal and duplicate is counted where it landed.

type Sim = Awaited<ReturnType<typeof startSimulator>>;
const names = ['flaky', 'a', 'b', 'slow', 'acting', 'broke', 'lean', 'rich'] as const;
const sims = {} as Record<(typeof names)[number], Sim>;
let closedPort = 0;
let h: Harness;

/** A port nothing listens on: connecting is refused, so a submission provably never left. */
async function refusingPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const member = (name: string, dialect: ProviderConfig['dialect'], url: string, extra: Partial<ProviderConfig> = {}): Partial<ProviderConfig> => ({
  name,
  dialect,
  base_url: url,
  api_key: 'sim-key',
  poll_interval_ms: 200,
  ...extra,
});

beforeAll(async () => {
  for (const n of names) sims[n] = await startSimulator({ port: 0, durationMs: 300, apiKey: 'sim-key' });
  closedPort = await refusingPort();
  // Set before start: the workers ask pool members for their credits at once.
  sims.broke.configure({ credits: 0 });
  sims.lean.configure({ credits: 1 });
  h = await startHarness({
    providers: (good) => [
      member('down', 'native', `http://127.0.0.1:${closedPort}`),
      member('flaky', 'native', sims.flaky.url),
      member('good', 'native', good),
      member('a', 'native', sims.a.url),
      member('b', 'native', sims.b.url),
      member('slow', 'native', sims.slow.url, { submit_timeout_s: 1 }),
      member('acting', 'action', sims.acting.url, { options: { action_submit: 'blocking' } }),
      member('broke', 'gateway', sims.broke.url),
      member('lean', 'gateway', sims.lean.url),
      member('rich', 'gateway', sims.rich.url),
    ],
    env: {
      DEFAULT_PROVIDER: 'credit',
      POOLS: JSON.stringify([
        { name: 'main', members: [{ provider: 'down', priority: 3 }, { provider: 'flaky', priority: 2 }, { provider: 'good', priority: 1 }] },
        { name: 'chain', members: [{ provider: 'a', priority: 5 }, 'b'] },
        { name: 'hold', members: [{ provider: 'slow', priority: 5 }, 'good'] },
        { name: 'acted', members: [{ provider: 'acting', priority: 5 }, 'good'] },
        { name: 'credit', members: [{ provider: 'broke', priority: 9 }, { provider: 'lean', priority: 5 }, { provider: 'rich', priority: 1 }] },
        { name: 'mixed', members: ['rich', 'acting'] },
      ]),
    },
  });
});
afterAll(async () => {
  await h?.stop();
  for (const s of Object.values(sims)) await s?.close();
});
beforeEach(() => {
  h.sim.reset();
});

async function create(provider: string, steps: unknown[]): Promise<GenerationView> {
  const r = await h.api<GenerationView>('/v1/generations', { body: { provider, steps } });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body;
}
const song = (prompt: string) => ({ op: 'generate', prompt: `[Verse]\n${prompt}`, title: prompt, tags: 'pop' });

/** Every simulator's duplicate counter, summed: a submission that reached any member twice shows here. */
const duplicates = () => [h.sim, ...Object.values(sims)].reduce((n, s) => n + s.stats().duplicates, 0);

describe('a pool with a member refusing connections, one answering 503 and a healthy one', () => {
  it('every generation succeeds on the healthy member; the failovers are recorded with their reasons', async () => {
    sims.flaky.configure({ faults: { rate5xx: 1 } });
    const first = await h.waitFinal((await create('main', [song('first through the pool')])).id);
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    expect(first.provider).toBe('main');
    expect(first.steps[0]).toMatchObject({ provider: 'good', route: { pool: 'main', provider: 'good' } });
    const failovers = first.steps[0]!.route!.failovers;
    expect(failovers.map((f) => f.provider)).toEqual(['down', 'flaky']);
    expect(failovers[0]!.reason).toMatch(/^could not be reached \(nothing was sent\)/);
    expect(failovers[1]!.reason).toMatch(/^refused it for now: .*HTTP 503/);

    const more = await Promise.all([1, 2, 3, 4, 5, 6].map(async (i) => h.waitFinal((await create('main', [song(`pool song ${i}`)])).id)));
    for (const g of more) {
      expect(g.status, JSON.stringify(g.error)).toBe('succeeded');
      expect(g.steps[0]!.provider).toBe('good');
    }
    expect(h.sim.stats()).toMatchObject({ submissions: 7, duplicates: 0 });
    expect(sims.flaky.stats()).toMatchObject({ submissions: 0, tasks: 0 });
    expect(duplicates()).toBe(0);

    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/refrain_pool_failovers_total\{pool="main",provider="down",reason="unreachable"\} [1-9]/);
    expect(metrics).toMatch(/refrain_pool_failovers_total\{pool="main",provider="flaky",reason="unavailable"\} [1-9]/);
    expect(metrics).toMatch(/refrain_pool_submissions_total\{pool="main",provider="good",outcome="accepted"\} 7/);
    expect(metrics).toMatch(/refrain_pool_choices_total\{pool="main",provider="good",condition="[a-z_]+"\} [1-9]/);

    // After five straight failures the members' circuits open: the pool then goes to the healthy one first.
    const providers = await h.api<{ pools: { name: string; members: { provider: string; condition: string }[] }[] }>('/v1/providers');
    const main = providers.body.pools.find((p) => p.name === 'main')!;
    expect(main.members.map((m) => m.provider)).toEqual(['down', 'flaky', 'good']);
    expect(main.members.find((m) => m.provider === 'good')!.condition).toBe('ready');
    expect(main.members.find((m) => m.provider === 'down')!.condition).toBe('resting');
  });
});

describe('a member that times out after accepting the request', () => {
  it('is never failed over: the step fails with submit_outcome_unknown on that member, and nothing went elsewhere', async () => {
    const g = await h.waitFinal((await create('hold', [song('held answer [sim:hold=3000]')])).id, 40);
    expect(g.status).toBe('failed');
    expect(g.error).toMatchObject({ code: 'submit_outcome_unknown', step: 0 });
    expect(g.steps[0]).toMatchObject({ provider: 'slow', route: { provider: 'slow', failovers: [] } });
    await new Promise((r) => setTimeout(r, 2500)); // a retry or a failover would have come by now
    expect(sims.slow.stats()).toMatchObject({ submissions: 1, duplicates: 0 });
    expect(h.sim.stats().submissions).toBe(0);
  });

  it('resolves on that member where the dialect can look the task up (an action 504 naming its task)', async () => {
    sims.acting.configure({ actionBlockMs: 300 });
    const g = await h.waitFinal((await create('acted', [song('long songs [sim:duration=1500]')])).id, 40);
    expect(g.status, JSON.stringify(g.error)).toBe('succeeded');
    expect(g.steps[0]).toMatchObject({ provider: 'acting', route: { failovers: [] } });
    expect(sims.acting.stats()).toMatchObject({ submissions: 1, duplicates: 0 });
    expect(h.sim.stats().submissions).toBe(0);
  });
});

describe('a chain stays with its clips', () => {
  it('generate → extend → concat whose first step landed on B runs its later steps on B, though A has the higher priority', async () => {
    sims.a.configure({ faults: { rate5xx: 1 } });
    sims.b.configure({ durationMs: 1500 });
    const { id } = await create('chain', [song('chained'), { op: 'extend', continue_at: 10, prompt: 'more' }, { op: 'concat' }]);
    // Once the first step is on B, A is healthy again: the pool would pick A for anything new.
    for (let i = 0; i < 100; i++) {
      const g = (await h.api<GenerationView>(`/v1/generations/${id}`)).body;
      if (g.steps[0]!.upstream_task_id) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    sims.a.configure({ faults: { rate5xx: 0 } });
    const g = await h.waitFinal(id, 40);
    expect(g.status, JSON.stringify(g.error)).toBe('succeeded');
    expect(g.steps.map((s) => s.provider)).toEqual(['b', 'b', 'b']);
    expect(g.steps[0]!.route!.failovers.map((f) => f.provider)).toEqual(['a']);
    expect(g.steps[1]!.route).toMatchObject({ provider: 'b', reason: 'works on a clip of step 0, which "b" holds', failovers: [] });
    expect(g.steps[2]!.route!.reason).toBe('works on a clip of step 1, which "b" holds');
    expect(sims.a.stats().submissions).toBe(0);
    expect(sims.b.stats()).toMatchObject({ submissions: 3, duplicates: 0 });

    // A new generation goes to A, and a step naming one of B's clips still runs on B.
    const next = await h.waitFinal((await create('chain', [song('fresh')])).id);
    expect(next.steps[0]!.provider).toBe('a');
    const named = await h.waitFinal((await create('chain', [{ op: 'extend', continue_clip_id: g.output!.clips[0], continue_at: 5, prompt: 'again' }])).id);
    expect(named.status, JSON.stringify(named.error)).toBe('succeeded');
    expect(named.steps[0]!.route).toMatchObject({ provider: 'b', reason: `works on the clip ${g.output!.clips[0]}, which "b" holds` });
  });
});

describe('credits', () => {
  it('a member reporting zero credits is passed over; a refusal for lack of credits fails over and marks the member exhausted', async () => {
    type Listing = { data: { name: string; credits: { songs_left: number | null; source: string } | null; pools: string[] }[]; pools: { name: string; members: { provider: string; condition: string; credits: number | null }[] }[] };
    let listing: Listing | undefined;
    for (let i = 0; i < 50; i++) {
      listing = (await h.api<Listing>('/v1/providers')).body;
      if (listing.data.find((p) => p.name === 'broke')?.credits) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(listing!.data.find((p) => p.name === 'broke')).toMatchObject({ credits: { songs_left: 0, source: 'query' }, pools: ['credit'] });
    expect(listing!.pools.find((p) => p.name === 'credit')!.members.find((m) => m.provider === 'broke')).toMatchObject({ condition: 'no_credits', credits: 0 });

    // lean holds one song: the first generation spends it there (broke is passed over, never asked).
    const first = await h.waitFinal((await create('credit', [song('one credit left')])).id);
    expect(first.steps[0]).toMatchObject({ provider: 'lean', route: { failovers: [] } });
    // lean's figure still says 1: the next submission is refused (402), fails over, and lean is marked exhausted.
    const second = await h.waitFinal((await create('credit', [song('none left')])).id);
    expect(second.status, JSON.stringify(second.error)).toBe('succeeded');
    expect(second.steps[0]!.provider).toBe('rich');
    expect(second.steps[0]!.route!.failovers).toMatchObject([{ provider: 'lean', reason: expect.stringMatching(/^refused it for lack of credits: insufficient credits/) }]);
    const third = await h.waitFinal((await create('credit', [song('straight to rich')])).id);
    expect(third.steps[0]).toMatchObject({ provider: 'rich', route: { failovers: [] } });

    expect(sims.broke.stats().submissions).toBe(0);
    expect(sims.lean.stats()).toMatchObject({ submissions: 1, duplicates: 0 });
    expect(sims.rich.stats()).toMatchObject({ submissions: 2, duplicates: 0 });
    const after = (await h.api<Listing>('/v1/providers')).body;
    expect(after.data.find((p) => p.name === 'lean')!.credits!.songs_left).toBe(0);
    // A front door's credits, with the pool as the default provider: the sum over its members (broke 0, lean 0, rich 1000 - 2).
    const limit = await h.api<{ credits_left: number | null }>('/api/get_limit');
    expect(limit.body).toMatchObject({ credits_left: 998 });
  });
});

describe('requests naming a pool', () => {
  it('refuses a chain no single member can run, a step whose clip is held by a member that cannot run it, and names the pools when the name is unknown', async () => {
    const r = await h.api<{ detail: string }>('/v1/generations', { body: { provider: 'mixed', steps: [{ ...song('x'), mv: 'chirp-v3-0' }, { op: 'stems' }] } });
    expect(r.status).toBe(422);
    expect(r.body.detail).toBe(
      'step 0 (generate): no member of the pool "mixed" can run generate → stems on its own (provider "rich" does not offer the operation "stems"; ' +
        `provider "acting" has no model "chirp-v3-0" (models: chirp-v3-5, chirp-v4, chirp-v4-5, chirp-v4-5-plus, chirp-v5, chirp-v5-5))`,
    );
    // A step naming a clip Refrain made on rich runs on rich, which makes no stems: refused at once, not at run time.
    const made = await h.waitFinal((await create('rich', [song('made on rich')])).id);
    const clip = made.output!.clips[0]!;
    const stems = await h.api<{ detail: string }>('/v1/generations', { body: { provider: 'mixed', steps: [{ op: 'stems', clip_id: clip }] } });
    expect(stems.status).toBe(422);
    expect(stems.body.detail).toBe(`step 0 (stems): the clip ${clip} is held by provider "rich", and provider "rich" does not offer the operation "stems": a clip stays with the provider that made it`);
    const unknown = await h.api<{ detail: string }>('/v1/generations', { body: { provider: 'nope', steps: [song('x')] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toContain('pools: main, chain, hold, acted, credit, mixed');
  });
});
