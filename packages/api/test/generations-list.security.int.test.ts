import { expect } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { KEYS } from './support/api-fixture';
import { describeRouteSecurity } from './support/route-security';

describeRouteSecurity('GET /v1/generations', {
  method: 'GET',
  path: () => '/v1/generations?limit=100',
  ownerStatus: 200,
  async otherTenant({ f, alphaGeneration }) {
    for (const status of ['', '&status=queued']) {
      const list = await f.request<{ data: GenerationView[] }>(`/v1/generations?limit=100${status}`, { key: KEYS.beta });
      expect(list.status).toBe(200);
      expect(list.body.data.map((g) => g.id)).not.toContain(alphaGeneration);
    }
    const mine = await f.request<{ data: GenerationView[] }>('/v1/generations?limit=100');
    expect(mine.body.data.map((g) => g.id)).toContain(alphaGeneration);
  },
});
