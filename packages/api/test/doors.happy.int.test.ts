import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiFixture } from './support/api-fixture';
import { servedRoutes } from './support/served-routes';

// Discovery: GET /v1/doors lists the doors as GET /v1/providers lists providers, and the
// OpenAPI document describes every door route the app serves, with the door's key header.

interface DoorInfo {
  name: string;
  auth: { header: string };
  provider: string;
  routes: { method: string; path: string; op?: string; holds_s?: number }[];
}

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi();
});
afterAll(async () => {
  await f?.stop();
});

describe('GET /v1/doors', () => {
  it('lists the five doors, their key header, the provider behind them and their routes', async () => {
    const r = await f.request<{ data: DoorInfo[] }>('/v1/doors');
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.data.map((d) => [d.name, d]));
    expect(Object.keys(byName).sort()).toEqual(['action', 'gateway', 'gcui', 'native', 'relay']);
    expect(byName.gateway!.auth.header).toBe('api-key');
    expect(byName.relay!.auth.header).toBe('Authorization');
    for (const d of r.body.data) expect(d.provider).toBe('sim');
    const paths = (name: string) => byName[name]!.routes.map((x) => `${x.method} ${x.path}`);
    expect(paths('relay')).toEqual(['POST /suno/submit/music', 'POST /suno/submit/lyrics', 'GET /suno/fetch/{task_id}', 'POST /suno/fetch']);
    expect(paths('native')).toEqual(expect.arrayContaining(['POST /v1/suno/generate', 'POST /suno/v2/generate', 'GET /v1/suno/feed', 'POST /v1/suno/uploads/audio-url', 'POST /v1/suno/generate/concat', 'POST /v1/suno/generate/lyrics']));
    expect(paths('gateway')).toEqual(expect.arrayContaining(['POST /gateway/generate/music', 'POST /gateway/generate/gpt_desc', 'POST /gateway/generate/chatgpt', 'GET /gateway/feed/{song_id}', 'POST /gateway/generate/lyrics', 'GET /gateway/lyrics/{lid}', 'GET /gateway/limit']));
    expect(paths('action')).toEqual(expect.arrayContaining(['POST /suno/audios']));
    expect(paths('gcui')).toEqual(expect.arrayContaining(['POST /api/generate', 'POST /api/custom_generate', 'POST /api/extend_audio', 'POST /api/generate_lyrics', 'POST /api/generate_stems', 'POST /api/concat', 'GET /api/get', 'GET /api/clip', 'GET /api/get_limit']));
    expect(byName.gateway!.routes.find((x) => x.path === '/gateway/generate/chatgpt')!.holds_s).toBe(220);
  });

  it('matches the routes the app serves and the OpenAPI document', async () => {
    const doors = (await f.request<{ data: DoorInfo[] }>('/v1/doors')).body.data.flatMap((d) => d.routes.map((x) => ({ ...x, door: d })));
    const served = new Set(servedRoutes(f.app).map((x) => `${x.method} ${x.path}`));
    const doc = (await f.request<{ paths: Record<string, Record<string, { security: unknown[]; tags: string[] }>> }>('/openapi.json', { key: null })).body;
    for (const x of doors) {
      expect(served.has(`${x.method} ${x.path}`), `${x.method} ${x.path} is served`).toBe(true);
      const op = doc.paths[x.path]![x.method.toLowerCase()]!;
      expect(op.tags).toEqual(['doors']);
      expect(op.security).toEqual(x.door.auth.header === 'api-key' ? [{ apiKeyHeader: [] }] : [{ apiKey: [] }]);
    }
  });
});
