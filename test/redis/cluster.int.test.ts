import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { KEYS, startHarness, type Harness } from '../support/harness';
import { startRedisCluster, tempRoot, type RedisCluster } from '../support/redis-servers';

/**
 * Refrain on a Redis Cluster (three masters, a replica each, made with
 * `redis-cli --cluster create` from private redis-servers): the same code as on one
 * Redis, with every key under a hash-tagged prefix so BullMQ's multi-key scripts and
 * flows stay in one slot.
 */
const RATE_LIMIT = 60;

let root: ReturnType<typeof tempRoot>;
let cluster: RedisCluster;
let h: Harness;

beforeAll(async () => {
  root = tempRoot('cluster');
  cluster = await startRedisCluster(root.dir, { masters: 3, replicasEach: 1 });
  h = await startHarness({
    redis: false,
    providers: (sim) => [
      { name: 'sim', dialect: 'native', base_url: sim, api_key: 'sim-key', poll_interval_ms: 200 },
      // Polled once a minute: only a callback can finish its steps quickly.
      { name: 'relay', dialect: 'relay', base_url: sim, api_key: 'sim-key', callbacks: true, poll_interval_ms: 60_000 },
    ],
    env: { REDIS_CLUSTER_NODES: cluster.seeds, RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) },
  });
}, 90_000);

afterAll(async () => {
  // The private servers are stopped whatever happens to Refrain's own shutdown.
  await Promise.race([h?.stop().catch(() => {}), new Promise((r) => setTimeout(r, 30_000))]);
  await cluster?.stop();
  root?.remove();
}, 60_000);

const create = async (body: unknown) => {
  const r = await h.api<GenerationView>('/v1/generations', { body });
  expect(r.status).toBe(202);
  return r.body;
};

const simConfig = (body: unknown) =>
  fetch(`${h.sim.url}/_sim/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Every key on every master, with the master it lives on. */
async function allKeys(): Promise<{ node: string; key: string }[]> {
  const out: { node: string; key: string }[] = [];
  for (const n of cluster.masters) {
    await n.with(async (r) => {
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) out.push({ node: n.address, key });
      } while (cursor !== '0');
    });
  }
  return out;
}

describe('Refrain on a Redis Cluster', () => {
  it('runs the spine: a generation to two complete, playable clips', async () => {
    const g = await h.waitFinal((await create({ steps: [{ op: 'generate', gpt_description_prompt: 'a calm piano song on a cluster' }] })).id);
    expect(g.status).toBe('succeeded');
    expect(g.clips).toHaveLength(2);
    for (const c of g.clips) {
      expect(c.status).toBe('complete');
      const res = await fetch(c.audio_url!);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');
    }
  });

  it('runs an extend_full flow: generate → extend → concat, each step continuing the one before', async () => {
    const g = await h.waitFinal((await create({ scenario: 'extend_full', input: { gpt_description_prompt: 'a cluster epic', continue_at: 20 } })).id);
    expect(g.status).toBe('succeeded');
    expect(g.steps.map((s) => [s.op, s.status])).toEqual([
      ['generate', 'succeeded'],
      ['extend', 'succeeded'],
      ['concat', 'succeeded'],
    ]);
    expect(g.clips.filter((c) => c.step === 2)).toHaveLength(1);
  });

  it('finishes a step on its notify_hook callback, with no status query', async () => {
    const g = await h.waitFinal((await create({ provider: 'relay', steps: [{ op: 'generate', gpt_description_prompt: 'cluster callback [sim:duration=500]' }] })).id, 20);
    expect(g.status).toBe('succeeded');
    const task = (await (await fetch(`${h.sim.url}/_sim/tasks/${g.steps[0]!.upstream_task_id}`)).json()) as { statusQueries: number; callbacksSent: number };
    expect(task.callbacksSent).toBeGreaterThanOrEqual(1);
    expect(task.statusQueries).toBe(0);
  });

  it('streams live progress over SSE (the change channel is pub/sub on the cluster)', async () => {
    const created = await create({ steps: [{ op: 'generate', gpt_description_prompt: 'cluster sse [sim:duration=800]' }] });
    const res = await fetch(`${h.url}/v1/generations/${created.id}/events`, { headers: { authorization: `Bearer ${KEYS.alpha}` } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    // The stream only ends after the final state, which only a notification can push.
    const text = await res.text();
    const statuses = [...text.matchAll(/event: generation\ndata: (.*)\n/g)].map((m) => (JSON.parse(m[1]!) as { status: string }).status);
    expect(statuses).toEqual(['queued', 'running', 'succeeded']);
  });

  it('pauses every worker on an upstream 429 (shared limits) and finishes once upstream lets it', async () => {
    await simConfig({ faults: { rate429: 1, retryAfterS: 1 } });
    const created = await create({ steps: [{ op: 'generate', gpt_description_prompt: 'cluster rate limited song' }] });
    await new Promise((r) => setTimeout(r, 1500));
    expect(['queued', 'running']).toContain((await h.api<GenerationView>(`/v1/generations/${created.id}`)).body.status);
    await simConfig({ faults: { rate429: 0 } });
    expect((await h.waitFinal(created.id, 30)).status).toBe('succeeded');
  });

  it('limits each API key per minute, with the counter in the cluster', async () => {
    let last = 0;
    for (let i = 0; i <= RATE_LIMIT && last !== 429; i++) last = (await h.api('/v1/providers', { key: KEYS.beta })).status;
    expect(last).toBe(429);
    // Another key still has its own quota.
    expect((await h.api('/v1/providers')).status).toBe(200);
    const counters = (await allKeys()).filter((k) => k.key.startsWith(`{${h.queuePrefix}}:ratelimit:`));
    expect(counters.length).toBe(2);
  });

  it('writes every key under the hash-tagged prefix, all in one slot', async () => {
    const keys = await allKeys();
    const tag = `{${h.queuePrefix}}:`;
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((k) => !k.key.startsWith(tag)).map((k) => k.key)).toEqual([]);
    // Queue keys, provider limits, the API rate limit and the watchdog's sentinel, all there.
    for (const part of [':steps:', ':poll:', ':maintenance:', ':ratelimit:', ':refrain:alive']) {
      expect(keys.some((k) => k.key.includes(part)), part).toBe(true);
    }
    expect(new Set(keys.map((k) => k.node)).size).toBe(1);
  });
});
