import { expect } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { KEYS, SONG } from './support/api-fixture';
import { describeRouteSecurity } from './support/route-security';

describeRouteSecurity('POST /v1/generations', {
  method: 'POST',
  path: () => '/v1/generations',
  body: SONG,
  ownerStatus: 202,
  async otherTenant({ f, alphaGeneration }) {
    // What beta makes is beta's: alpha cannot see it, and neither sees the other's in its list.
    const made = await f.request<GenerationView>('/v1/generations', { body: SONG, key: KEYS.beta });
    expect(made.status).toBe(202);
    expect((await f.request(`/v1/generations/${made.body.id}`)).status).toBe(404);
    expect((await f.request(`/v1/generations/${made.body.id}`, { key: KEYS.beta })).status).toBe(200);
    const betaList = await f.request<{ data: GenerationView[] }>('/v1/generations?limit=100', { key: KEYS.beta });
    expect(betaList.body.data.map((g) => g.id)).toEqual([made.body.id]);
    const alphaList = await f.request<{ data: GenerationView[] }>('/v1/generations?limit=100');
    expect(alphaList.body.data.map((g) => g.id)).toContain(alphaGeneration);
    expect(alphaList.body.data.map((g) => g.id)).not.toContain(made.body.id);
  },
});
