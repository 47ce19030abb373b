import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { KEYS, startHarness, type Harness } from '../support/harness';
import { startCallbackTap, type CallbackTap } from '../support/callback-tap';


let h: Harness;
let tap: CallbackTap;
beforeAll(async () => {
  tap = await startCallbackTap();
  h = await startHarness({
    // Polling every 60 s: only callbacks move these steps.
    providers: (sim) => [{ name: 'relay', dialect: 'relay', base_url: sim, api_key: 'sim-key', callbacks: true, poll_interval_ms: 60_000 }],
    env: { PUBLIC_HOOKS_URL: tap.url },
  });
  tap.setTarget(h.url);
});
afterAll(async () => {
  await h?.stop();
  await tap?.close();
});

async function until<T>(fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const EVIL = 'https://evil.example/pwned.mp3';

describe('a leaked hook token', () => {
  it("cannot rewrite another tenant's clips: the forgery is refused and the real result lands", async () => {
    const song = (key: string, what: string) =>
      h.api<GenerationView>('/v1/generations', { key, body: { provider: 'relay', steps: [{ op: 'generate', gpt_description_prompt: `${what} [sim:duration=3000]` }] } });
    const victim = (await song(KEYS.beta, 'the victim')).body;
    const attacker = (await song(KEYS.alpha, 'the attacker')).body;
    // Half way, each task calls back "streaming": the tap sees the attacker's token, the victim's clip ids are recorded.
    const attackerTask = await until(async () => {
      const g = (await h.api<GenerationView>(`/v1/generations/${attacker.id}`)).body;
      return g.steps[0]!.upstream_task_id ?? undefined;
    }, 10_000);
    const leaked = await until(async () => tap.seen.find((s) => s.body.includes(attackerTask)), 10_000);
    const victimClips = await until(async () => {
      const g = (await h.api<GenerationView>(`/v1/generations/${victim.id}`, { key: KEYS.beta })).body;
      return g.steps[0]!.clip_ids.length ? g.steps[0]!.clip_ids : undefined;
    }, 10_000);

    // The attacker's own task, "finished", carrying the victim's clips with other audio and titles.
    const forged = JSON.parse(leaked.body) as { status: string; data: Record<string, unknown>[] };
    forged.status = 'SUCCESS';
    forged.data = forged.data.map((c, i) => ({ ...c, id: victimClips[i % victimClips.length], status: 'complete', audio_url: EVIL, title: 'pwned' }));
    const r = await fetch(`${h.url}${leaked.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(forged) });
    expect(r.status).toBe(403);

    const seenByVictim = (await h.api<GenerationView>(`/v1/generations/${victim.id}`, { key: KEYS.beta })).body;
    expect(seenByVictim.clips.some((c) => c.audio_url === EVIL || c.title === 'pwned')).toBe(false);

    // The real callbacks still land on both songs.
    const done = await until(async () => {
      const g = (await h.api<GenerationView>(`/v1/generations/${victim.id}?wait=10`, { key: KEYS.beta })).body;
      return g.status === 'running' || g.status === 'queued' ? undefined : g;
    }, 20_000);
    expect(done.status).toBe('succeeded');
    expect(done.clips).toHaveLength(victimClips.length);
    for (const c of done.clips) {
      expect(c.status).toBe('complete');
      expect(c.audio_url).not.toBe(EVIL);
      expect(c.audio_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect(c.title).not.toBe('pwned');
    }
    const own = await h.waitFinal(attacker.id, 20);
    expect(own.status).toBe('succeeded');
    expect(own.clips.map((c) => c.id).some((id) => victimClips.includes(id))).toBe(false);
  });
});
