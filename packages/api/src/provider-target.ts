import type { PoolConfig } from '@refrain/contracts';
import type { PoolCapabilities, ProviderCapabilities } from '@refrain/core';
import type { ProviderRuntime } from '@refrain/engine';
import type { ApiDeps } from './deps';

/** What a request's `provider` names: one provider, or a pool of them (docs/providers.md, "Provider pools"). */
export type ProviderTarget =
  | { kind: 'provider'; name: string; runtime: ProviderRuntime; capabilities: ProviderCapabilities }
  | { kind: 'pool'; name: string; pool: PoolConfig; capabilities: PoolCapabilities };

const capabilitiesOf = (name: string, r: ProviderRuntime): ProviderCapabilities => ({ name, operations: r.adapter.operations, models: r.adapter.models });

/** The provider or pool called `name`, or null when there is neither. */
export function providerTarget(deps: ApiDeps, name: string): ProviderTarget | null {
  const runtime = deps.providers.get(name);
  if (runtime) return { kind: 'provider', name, runtime, capabilities: capabilitiesOf(name, runtime) };
  const pool = deps.pools?.get(name);
  if (!pool) return null;
  const members = pool.members.flatMap((m) => {
    const r = deps.providers.get(m.provider);
    return r ? [capabilitiesOf(m.provider, r)] : [];
  });
  return { kind: 'pool', name, pool, capabilities: { name, members } };
}

/** Every model a target offers (a pool: any member's). */
export const targetModels = (t: ProviderTarget): string[] =>
  t.kind === 'provider' ? [...t.capabilities.models] : [...new Set(t.capabilities.members.flatMap((m) => m.models))];

/** "configured: a, b (pools: main)", for the message of an unknown name. */
export function configuredNames(deps: ApiDeps): string {
  const pools = [...(deps.pools?.keys() ?? [])];
  return `configured: ${[...deps.providers.keys()].join(', ')}${pools.length ? `; pools: ${pools.join(', ')}` : ''}`;
}
