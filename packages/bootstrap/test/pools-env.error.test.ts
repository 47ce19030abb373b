import { describe, expect, it } from 'vitest';
import { refrainEnv } from '../src/env-schema';

function problems(env: Record<string, string>): string[] {
  const r = refrainEnv.safeParse(env);
  if (r.success) return [];
  return r.error.issues.map((i) => (i.path.length ? `${String(i.path[0])}: ${i.message}` : i.message));
}

const provider = (name: string) => ({ name, dialect: 'native', base_url: 'https://p.example', api_key: 'k' });
const PROVIDERS = JSON.stringify([provider('a'), provider('b')]);

describe('POOLS and DEFAULT_PROVIDER', () => {
  it('reads members as names or with priority and weight, defaulting to priority 0 and weight 1', () => {
    const env = refrainEnv.parse({ PROVIDERS, POOLS: JSON.stringify([{ name: 'main', members: ['a', { provider: 'b', priority: 2, weight: 3 }] }]), DEFAULT_PROVIDER: 'main' });
    expect(env.POOLS).toEqual([{ name: 'main', members: [{ provider: 'a', priority: 0, weight: 1 }, { provider: 'b', priority: 2, weight: 3 }] }]);
    expect(env.DEFAULT_PROVIDER).toBe('main');
  });

  it('refuses a member that is not a provider, a member listed twice, and a pool named like a provider', () => {
    const pools = [{ name: 'main', members: ['a', 'c', 'a'] }, { name: 'b', members: ['a'] }];
    expect(problems({ PROVIDERS, POOLS: JSON.stringify(pools) })).toEqual([
      'POOLS: 0.members.1: no provider "c" in PROVIDERS (configured: a, b)',
      'POOLS: 0.members.2: "a" is listed twice in the pool "main"',
      'POOLS: 1.name: "b" is already a provider\'s name; a pool needs its own',
    ]);
  });

  it('says where a pool entry is malformed, and that the JSON is not JSON', () => {
    expect(problems({ PROVIDERS, POOLS: JSON.stringify([{ name: 'main', members: [] }]) })).toEqual([expect.stringMatching(/^POOLS: 0\.members: Too small/)]);
    expect(problems({ PROVIDERS, POOLS: JSON.stringify([{ name: 'main', members: [{ provider: 'a', weight: 0 }] }]) })).toEqual([expect.stringMatching(/^POOLS: 0\.members\.0/)]);
    expect(problems({ PROVIDERS, POOLS: '[{' })).toEqual(['POOLS: is not valid JSON']);
  });

  it('refuses a DEFAULT_PROVIDER that names no provider or pool, listing what there is', () => {
    expect(problems({ PROVIDERS, POOLS: JSON.stringify([{ name: 'main', members: ['a'] }]), DEFAULT_PROVIDER: 'mian' })).toEqual([
      'DEFAULT_PROVIDER: names no provider or pool (configured: a, b, main)',
    ]);
    // Without PROVIDERS the built-in simulator is the one provider.
    expect(problems({ POOLS: JSON.stringify([{ name: 'p', members: ['sim'] }]), DEFAULT_PROVIDER: 'p' })).toEqual([]);
  });
});
