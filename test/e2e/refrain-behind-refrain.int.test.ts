import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { KEYS, startHarness, type Harness } from '../support/harness';
import { callDoor, expectAudio, type J } from '../support/doors';

// Refrain behind Refrain: the outer Refrain's providers are the inner Refrain's front doors,
// one per seed dialect at the dialect's default paths. The adapters (clients of the
// dialects) and the doors (servers of them) were written from the same documents in
// opposite directions; songs made through each prove they agree. The two callback
// providers prove the doors' callbacks and the hooks app agree too; the three with seed
// options use the seeds' own shapes (a blocking action answer, the gateway's feed per
// song, the proxies' feed path).

let inner: Harness;
let outer: Harness;
beforeAll(async () => {
  inner = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: '100000', ALLOW_LOOPBACK_URLS: 'true', WEBHOOK_RETRY_BASE_MS: '200' } });
  const door = { base_url: inner.url, api_key: KEYS.alpha, poll_interval_ms: 300 };
  outer = await startHarness({
    providers: () => [
      { name: 'front-relay', dialect: 'relay', ...door },
      { name: 'front-native', dialect: 'native', ...door },
      { name: 'front-gateway', dialect: 'gateway', ...door },
      { name: 'front-action', dialect: 'action', ...door },
      { name: 'front-relay-hooks', dialect: 'relay', callbacks: true, ...door },
      { name: 'front-action-hooks', dialect: 'action', callbacks: true, ...door },
      // The seeds' own shapes, where the live default differs (docs/providers.md, options).
      { name: 'front-action-seed', dialect: 'action', options: { action_submit: 'blocking' }, ...door },
      { name: 'front-gateway-seed', dialect: 'gateway', options: { gateway_status: 'feed' }, ...door },
      { name: 'front-native-path', dialect: 'native', options: { native_feed: 'path' }, ...door },
    ],
  });
}, 120_000);
afterAll(async () => {
  await outer?.stop();
  await inner?.stop();
});

const MODES = {
  description: { op: 'generate', gpt_description_prompt: 'an upbeat synth-pop song about a night drive' },
  custom: { op: 'generate', prompt: '[Verse]\nThrough the door and back again\n[Chorus]\nRefrain, refrain', title: 'Behind the Door', tags: 'indie pop' },
};
/** The clip ids the inner door shows for the outer step's task, read through the same door. */
async function innerClipIds(provider: string, task: string, outerClips: string[]): Promise<{ ids: string[]; statuses: string[] }> {
  const ask = (path: string, init: { body?: unknown; header?: 'api-key' } = {}) => callDoor(inner.url, path, { key: KEYS.alpha, ...init });
  if (provider.startsWith('front-relay')) {
    const t = (await ask(`/suno/fetch/${task}`)).body.data;
    return { ids: t.data.map((c: J) => c.id), statuses: [t.status] };
  }
  if (provider.startsWith('front-action')) {
    const r = (await ask('/suno/tasks', { body: { action: 'retrieve', id: task } })).body;
    return { ids: r.response.data.map((c: J) => c.id), statuses: r.response.data.map((c: J) => c.state) };
  }
  if (provider.startsWith('front-native')) {
    const clips = (await ask(`/v1/suno/feed?ids=${outerClips.join(',')}`)).body.clips;
    return { ids: clips.map((c: J) => c.id), statuses: clips.map((c: J) => c.status) };
  }
  const songs = await Promise.all(outerClips.map(async (id) => (await ask(`/gateway/feed/${id}`, { header: 'api-key' })).body.data));
  expect(outerClips[0]).toBe(task); // the gateway names a task by its first song
  return { ids: songs.map((x) => x.song_id), statuses: songs.map((x) => x.status) };
}

const PROVIDERS = [
  'front-relay', 'front-native', 'front-gateway', 'front-action', 'front-relay-hooks', 'front-action-hooks',
  'front-action-seed', 'front-gateway-seed', 'front-native-path',
];

describe('Refrain behind Refrain', () => {
  it.each(PROVIDERS.flatMap((p) => (Object.keys(MODES) as (keyof typeof MODES)[]).map((m) => [p, m] as const)))(
    '%s makes a %s-mode song through the inner Refrain\'s door',
    async (provider, mode) => {
      const created = await outer.api<GenerationView>('/v1/generations', { body: { provider, steps: [MODES[mode]] } });
      expect(created.status, JSON.stringify(created.body)).toBe(202);
      const g = await outer.waitFinal(created.body.id, 60);
      expect(g.status, JSON.stringify(g.error)).toBe('succeeded');
      expect(g.clips).toHaveLength(2);
      for (const clip of g.clips) {
        expect(clip.status).toBe('complete');
        if (mode === 'custom') expect(clip).toMatchObject({ title: 'Behind the Door', tags: 'indie pop' });
        await expectAudio(clip.audio_url);
      }
      // The outer's upstream task and clips are the ids the inner door handed out: the same door shows them, done.
      const task = g.steps[0]!.upstream_task_id!;
      const seen = await innerClipIds(provider, task, g.clips.map((c) => c.id));
      expect(seen.ids).toEqual(g.clips.map((c) => c.id));
      expect(seen.statuses.every((x) => ['SUCCESS', 'succeeded', 'complete'].includes(x)), seen.statuses.join()).toBe(true);
    },
    90_000,
  );

  it('delivered the inner doors\' callbacks to the outer hooks app', async () => {
    const innerGens = (await inner.api<{ data: GenerationView[] }>('/v1/generations?limit=100')).body.data;
    const doors = new Set<string>();
    for (const g of innerGens) {
      const d = (await inner.api<{ data: J[] }>(`/v1/generations/${g.id}/deliveries`)).body.data;
      for (const x of d) {
        expect(x).toMatchObject({ kind: 'door', status: 'delivered' });
        expect(x.url).toContain(`${outer.url}/hooks/`);
        doors.add(String(g.metadata.door));
      }
    }
    expect([...doors].sort()).toEqual(['action', 'relay']);
  });
});
