import { expect } from 'vitest';
import { KEYS } from './support/api-fixture';
import { describeRouteSecurity } from './support/route-security';

// Providers are the operator's configuration, the same for every tenant: no tenant data to leak.
describeRouteSecurity('GET /v1/providers', {
  method: 'GET',
  path: () => '/v1/providers',
  ownerStatus: 200,
  async otherTenant({ f }) {
    const alpha = await f.request('/v1/providers');
    const beta = await f.request('/v1/providers', { key: KEYS.beta });
    expect(beta.status).toBe(200);
    expect(beta.body).toEqual(alpha.body);
    expect(JSON.stringify(beta.body)).not.toContain('provider-key');
    expect(JSON.stringify(beta.body)).not.toContain('127.0.0.1:9');
  },
});

// The fixture's native provider cannot tell credits: 422 is its owner answer.
describeRouteSecurity('GET /v1/providers/{name}/credits', {
  method: 'GET',
  path: () => '/v1/providers/sim/credits',
  ownerStatus: 422,
  async otherTenant({ f }) {
    expect((await f.request('/v1/providers/sim/credits', { key: KEYS.beta })).status).toBe(422);
  },
});
