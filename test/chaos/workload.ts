import { API_KEY, POOL, POOL_EVERY } from './stack';
import type { ChaosOptions, Scenario, Submitted } from './types';
import { sleep } from './wait';

/** The generations a chaos run drives: which scenarios, what each request says, and the clients that post them. */

/** Weighted mix of scenarios; `never` is placed separately by its share. */
const MIX: [Scenario, number][] = [
  ['generate_custom', 3],
  ['generate_description', 3],
  ['extend_full', 2],
  ['cover', 2],
  ['upload_extend', 2],
  ['lyrics_song', 2],
  ['relay_generate', 2],
];

function scenarioOf(n: number, neverShare: number): Scenario {
  const every = neverShare > 0 ? Math.max(2, Math.round(1 / neverShare)) : 0;
  if (every && n % every === Math.floor(every / 2)) return 'never';
  const weights = MIX.reduce((s, [, w]) => s + w, 0);
  let k = (n * 7) % weights; // deterministic, well spread
  for (const [s, w] of MIX) {
    if (k < w) return s;
    k -= w;
  }
  return 'generate_custom';
}

/** A request body whose every string that reaches upstream is unique to this generation. */
function requestFor(s: Scenario, n: number, tag: string, simUrl: string): { provider: string; body: Record<string, unknown> } {
  switch (s) {
    case 'generate_custom':
      return { provider: 'sim', body: { steps: [{ op: 'generate', prompt: `[Verse]\nchaos lyrics ${tag}`, tags: 'rock', title: `Chaos ${tag}` }] } };
    case 'generate_description':
      return { provider: 'sim', body: { steps: [{ op: 'generate', gpt_description_prompt: `a song about ${tag}` }] } };
    case 'extend_full':
      return { provider: 'sim', body: { scenario: 'extend_full', input: { gpt_description_prompt: `an epic about ${tag}`, continue_at: 20 } } };
    case 'cover':
      return { provider: 'sim', body: { scenario: 'cover', input: { gpt_description_prompt: `a tune about ${tag}`, cover_tags: 'jazz' } } };
    case 'upload_extend':
      return {
        provider: 'sim',
        body: { scenario: 'upload_extend', input: { audio_url: `${simUrl}/audio/${tag}.wav`, continue_at: 5, tags: 'lofi', mv: 'chirp-v3-5' } },
      };
    case 'lyrics_song':
      return { provider: 'relay', body: { scenario: 'lyrics_song', input: { prompt: `lyrics about ${tag}`, tags: 'folk' } } };
    case 'relay_generate':
      return { provider: 'relay', body: { steps: [{ op: 'generate', gpt_description_prompt: `a relay song about ${tag}` }] } };
    case 'never':
      // Alternate providers so both the poller and the callback path meet a task that never ends.
      return {
        provider: n % 2 ? 'relay' : 'sim',
        body: { steps: [{ op: 'generate', gpt_description_prompt: `[sim:never] a song that never ends ${tag}` }] },
      };
  }
}

/** A generation of a native scenario names the pool every POOL_EVERY generations. */
function targetOf(n: number, scenario: Scenario, provider: string): string {
  return provider === 'sim' && scenario !== 'never' && n % POOL_EVERY === 1 ? POOL : provider;
}

/** How the chaos schedule arms an outage for the feeder to fire (see `pending` below). */
export interface PendingOutage {
  outage: { ready: () => boolean; down: () => Promise<void> } | null;
}

/**
 * Starts the clients: one generation every `windowMs / generations` until all are posted
 * or `isOver()`. `feeder` settles once the last is posted; each of `posts` once its POST is accepted or given up.
 */
export function startClients(opts: ChaosOptions, runId: string, apiPort: number, simUrl: string, isOver: () => boolean) {
  // --- the clients: POST until 202, with an Idempotency-Key, like a careful client ------
  const submitted: Submitted[] = [];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const post = async (g: Submitted, body: Record<string, unknown>): Promise<void> => {
    const until = Date.now() + Math.max(opts.windowMs, 60_000) + 60_000;
    for (;;) {
      g.postTries++;
      try {
        const res = await fetch(`${apiUrl}/v1/generations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', 'idempotency-key': `chaos-${g.tag}` },
          body: JSON.stringify({ ...body, provider: g.provider, metadata: { chaos: runId, n: g.n, scenario: g.scenario } }),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        if (res.status === 202 || res.status === 200) {
          g.id = (JSON.parse(text) as { id: string }).id;
          return;
        }
        // 409: the same key is still being processed (or its request died): retry, as the draft says.
        if (res.status < 500 && res.status !== 429 && res.status !== 409) {
          g.gaveUp = `POST answered ${res.status}: ${text.slice(0, 300)}`;
          return;
        }
        g.postFailures.push(`http ${res.status}`);
      } catch (err) {
        g.postFailures.push((err as Error).name === 'TimeoutError' ? 'client timeout' : 'network error');
      }
      if (isOver() || Date.now() > until) {
        g.gaveUp = `could not be submitted: ${g.postFailures.slice(-3).join(', ')}`;
        return;
      }
      await sleep(300 + Math.random() * 400);
    }
  };
  const posts: Promise<void>[] = [];
  const spacing = opts.windowMs / opts.generations;
  /**
   * Set while an outage is armed. Meanwhile every native generation names the pool, and
   * the feeder takes the member down just before posting one once `ready()` (the member
   * holds a task still running upstream, or the outage has waited long enough).
   */
  const pending: PendingOutage = { outage: null };
  const feeder = (async () => {
    for (let n = 0; n < opts.generations && !isOver(); n++) {
      const scenario = scenarioOf(n, opts.neverShare ?? 0.04);
      const tag = `${runId}-${String(n).padStart(4, '0')}`;
      const { provider: prov, body } = requestFor(scenario, n, tag, simUrl);
      const armed = pending.outage;
      const target = armed && prov === 'sim' && scenario !== 'never' ? POOL : targetOf(n, scenario, prov);
      if (armed && target === POOL && armed.ready()) {
        pending.outage = null;
        await armed.down();
      }
      const g: Submitted = { n, scenario, provider: target, postedAt: Date.now(), tag, id: null, postTries: 0, postFailures: [] };
      submitted.push(g);
      posts.push(post(g, body));
      await sleep(spacing);
    }
  })();
  return { submitted, posts, pending, feeder };
}
