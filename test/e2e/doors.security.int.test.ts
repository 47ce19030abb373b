import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, KEYS, startHarness, type Harness } from '../support/harness';
import { callDoor, pollUntil, type DoorAnswer, type DoorCall, type J } from '../support/doors';

// Every door refuses a missing, wrong or revoked key in its own envelope, and never shows
// one tenant's tasks or clips to another: they are "not found", exactly like ids that do
// not exist, and cannot be continued, covered or joined either.

let h: Harness;
/** Ids tenant alpha made through each door, once their songs are complete. */
const alpha: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  const as = (path: string, init: DoorCall = {}) => callDoor(h.url, path, { key: KEYS.alpha, ...init });
  const relay = await as('/suno/submit/music', { body: { gpt_description_prompt: 'alpha relay song' } });
  alpha.relayTask = relay.body.data;
  const native = await as('/v1/suno/generate', { body: { gpt_description_prompt: 'alpha native song' } });
  alpha.nativeClip = native.body.clips[0].id;
  alpha.nativeLyrics = (await as('/v1/suno/generate/lyrics', { body: { prompt: 'alpha lyrics' } })).body.id;
  const gateway = await as('/gateway/generate/gpt_desc', { body: { gpt_description_prompt: 'alpha gateway song' }, header: 'api-key' });
  alpha.gatewaySong = gateway.body.data[0].song_id;
  alpha.actionTask = (await as('/suno/audios', { body: { action: 'generate', prompt: 'alpha action song', async: true } })).body.task_id;
  alpha.gcuiClip = (await as('/api/generate', { body: { prompt: 'alpha gcui song' } })).body[0].id;
  const relayDone = await pollUntil(() => as(`/suno/fetch/${alpha.relayTask}`), (r) => r.body.data.status === 'SUCCESS');
  alpha.relayClip = relayDone.body.data.data[0].id;
  await pollUntil(() => as(`/api/get?ids=${alpha.gcuiClip},${alpha.nativeClip}`), (r) => r.body.every((c: J) => c.status === 'complete'));
});
afterAll(async () => {
  await h?.stop();
});

interface DoorSpec {
  name: string;
  header?: 'bearer' | 'api-key';
  /** A route that reads one of alpha's ids. */
  read: () => string;
  /** alpha's key gets this from `read`. */
  ownerStatus: number;
  /** The door's error envelope. */
  isEnvelope: (body: J, status: number) => boolean;
}

const DOORS: DoorSpec[] = [
  { name: 'relay', read: () => `/suno/fetch/${alpha.relayTask}`, ownerStatus: 200, isEnvelope: (b) => b.code === 'error' && b.data === null && typeof b.message === 'string' },
  { name: 'native', read: () => `/v1/suno/lyrics/${alpha.nativeLyrics}`, ownerStatus: 200, isEnvelope: (b) => Object.keys(b).join() === 'detail' },
  { name: 'gateway', header: 'api-key', read: () => `/gateway/feed/${alpha.gatewaySong}`, ownerStatus: 200, isEnvelope: (b, s) => b.code === s && b.data === null && typeof b.msg === 'string' },
  { name: 'action', read: () => `/suno/tasks`, ownerStatus: 200, isEnvelope: (b) => b.success === false && typeof b.error?.message === 'string' && typeof b.error?.code === 'string' },
  { name: 'gcui', read: () => `/api/clip?id=${alpha.gcuiClip}`, ownerStatus: 200, isEnvelope: (b) => Object.keys(b).join() === 'error' },
];

const readAs = (d: DoorSpec, key: string | null, extra: Partial<DoorCall> = {}): Promise<DoorAnswer> =>
  callDoor(h.url, d.read(), {
    key,
    header: d.header ?? 'bearer',
    ...(d.name === 'action' ? { body: { action: 'retrieve', id: alpha.actionTask } } : {}),
    ...extra,
  });

describe.each(DOORS)('the $name door', (d) => {
  const expectRefused = (r: DoorAnswer, status: number) => {
    expect(r.status).toBe(status);
    expect(d.isEnvelope(r.body, r.status), JSON.stringify(r.body)).toBe(true);
  };

  it('serves the owner', async () => {
    expect((await readAs(d, KEYS.alpha)).status).toBe(d.ownerStatus);
  });

  it('refuses a missing key and a wrong key: 401 in its envelope, with a Bearer challenge', async () => {
    for (const key of [null, 'rk_not-a-key-000000000000000000', `${KEYS.alpha}x`]) {
      const r = await readAs(d, key);
      expectRefused(r, 401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    }
    const malformed = await readAs(d, null, { headers: { authorization: `Token ${KEYS.alpha}` } });
    expectRefused(malformed, 401);
  });

  it('refuses a revoked key from the next request on', async () => {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const created = (await (await fetch(`${h.url}/admin/keys`, { method: 'POST', headers: admin, body: JSON.stringify({ tenant: 'alpha', name: `soon revoked ${d.name}` }) })).json()) as J;
    expect((await readAs(d, created.key)).status).toBe(d.ownerStatus);
    expect((await fetch(`${h.url}/admin/keys/${created.id}`, { method: 'DELETE', headers: admin })).status).toBe(204);
    expectRefused(await readAs(d, created.key), 401);
  });

  it("answers another tenant's id as not found, exactly like an id that does not exist", async () => {
    const theirs = await readAs(d, KEYS.beta);
    expectRefused(theirs, 404);
    const none = await callDoor(h.url, d.read().replace(/[0-9a-f-]{36}/, '00000000-0000-4000-8000-000000000000'), {
      key: KEYS.alpha,
      header: d.header ?? 'bearer',
      ...(d.name === 'action' ? { body: { action: 'retrieve', id: '00000000-0000-4000-8000-000000000000' } } : {}),
    });
    expectRefused(none, 404);
    expect(Object.keys(theirs.body).sort()).toEqual(Object.keys(none.body).sort());
  });
});

describe("another tenant's ids, in lists and as sources", () => {
  const beta = (path: string, init: DoorCall = {}) => callDoor(h.url, path, { key: KEYS.beta, ...init });

  it('are left out of every batch read', async () => {
    expect((await beta('/suno/fetch', { body: { ids: [alpha.relayTask] } })).body).toEqual({ code: 'success', message: '', data: [] });
    expect((await beta(`/v1/suno/feed?ids=${alpha.nativeClip}`)).body.clips).toEqual([]);
    expect((await beta(`/gateway/query?ids=${alpha.gatewaySong}`, { header: 'api-key' })).body).toEqual([]);
    expect((await beta('/suno/tasks', { body: { action: 'retrieve_batch', ids: [alpha.actionTask] } })).body).toEqual({ items: [], count: 0 });
    expect((await beta(`/api/get?ids=${alpha.gcuiClip}`)).body).toEqual([]);
    const listed = (await beta('/api/get')).body as J[];
    expect(listed.map((c) => c.id)).not.toContain(alpha.gcuiClip);
  });

  it('cannot be continued, covered, split or joined: 404 in each envelope, and nothing is made', async () => {
    const before = (await h.api<{ data: unknown[] }>('/v1/generations?limit=100', { key: KEYS.beta })).body.data.length;
    const tries: [string, DoorCall][] = [
      ['/suno/submit/music', { body: { prompt: 'x', tags: 'y', title: 'z', task_id: alpha.relayTask, continue_clip_id: alpha.relayClip, continue_at: 2 } }],
      ['/v1/suno/generate/concat', { body: { clip_id: alpha.nativeClip } }],
      ['/gateway/generate/music', { body: { prompt: 'x', continue_clip_id: alpha.gatewaySong, continue_at: 2 }, header: 'api-key' }],
      ['/suno/audios', { body: { action: 'stems', audio_id: alpha.gcuiClip } }],
      ['/api/extend_audio', { body: { audio_id: alpha.nativeClip, continue_at: 2 } }],
    ];
    for (const [path, init] of tries) {
      const r = await beta(path, init);
      expect(r.status, `${path} ${JSON.stringify(r.body)}`).toBe(404);
    }
    const after = (await h.api<{ data: unknown[] }>('/v1/generations?limit=100', { key: KEYS.beta })).body.data.length;
    expect(after).toBe(before);
  });
});
