import { KEYS, startHarness } from '../support/harness';

/**
 * What a front door adds to a request (docs/doors.md "Figures"): sequential requests against
 * the all-in-one process (real Postgres and Redis, the simulator over HTTP), door routes
 * next to their /v1 counterparts. `pnpm exec tsx test/bench/doors.ts [requests]`.
 */
const N = Number(process.argv[2] ?? 40);

async function main() {
  const h = await startHarness({ simDurationMs: 300 });
  const door = (path: string, body?: unknown) =>
    fetch(`${h.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${KEYS.alpha}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const pct = (a: number[], p: number) => Number([...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))]!.toFixed(1));
  const figures: Record<string, number[]> = { relay_submit_ms: [], v1_create_ms: [], relay_fetch_ms: [], native_feed_2_clips_ms: [] };
  try {
    for (let i = 0; i < 5; i++) await door('/suno/submit/music', { gpt_description_prompt: `warm-up ${i}` });
    let task = '';
    for (let i = 0; i < N; i++) {
      figures.relay_submit_ms!.push(await time(async () => (task = String((await door('/suno/submit/music', { gpt_description_prompt: `song ${i}` })).data))));
      figures.v1_create_ms!.push(await time(() => door('/v1/generations', { steps: [{ op: 'generate', gpt_description_prompt: `song ${i}` }] })));
      figures.relay_fetch_ms!.push(await time(() => door(`/suno/fetch/${task}`)));
    }
    const batch = (await door('/v1/suno/generate', { gpt_description_prompt: 'feed me' })) as { clips: { id: string }[] };
    const ids = batch.clips.map((c) => c.id).join(',');
    for (let i = 0; i < N; i++) figures.native_feed_2_clips_ms!.push(await time(() => door(`/v1/suno/feed?ids=${ids}`)));
    const out = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, { p50: pct(v, 0.5), p95: pct(v, 0.95) }]));
    process.stdout.write(`${JSON.stringify({ requests: N, ...out }, null, 2)}\n`);
  } finally {
    await h.stop();
  }
}

await main();
