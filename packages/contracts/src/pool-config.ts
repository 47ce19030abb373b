import { z } from 'zod';
import type { ProviderConfig } from './provider-config';

const memberName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _');

/** One member of a pool: a provider of PROVIDERS, its priority (higher first) and weight among equals. */
export const poolMember = z.union([
  memberName.transform((provider) => ({ provider, priority: 0, weight: 1 })),
  z.strictObject({
    provider: memberName,
    priority: z.number().int().min(-1000).max(1000).default(0),
    weight: z.number().positive().max(1000).default(1),
  }),
]);
export type PoolMember = z.output<typeof poolMember>;

/** One entry of the POOLS variable (docs/providers.md, "Provider pools"). */
export const poolConfig = z.strictObject({
  name: memberName,
  members: z.array(poolMember).min(1),
});
export type PoolConfig = z.output<typeof poolConfig>;
export const poolsConfig = z.array(poolConfig);

/**
 * What POOLS must agree on with PROVIDERS: members that exist, once per pool; pool names
 * that are not provider names (a request's `provider` names either). Empty when all is well.
 */
export function poolIssues(pools: readonly PoolConfig[], providers: readonly Pick<ProviderConfig, 'name'>[]): string[] {
  const names = new Set(providers.map((p) => p.name));
  const issues: string[] = [];
  const seen = new Set<string>();
  pools.forEach((pool, i) => {
    if (names.has(pool.name)) issues.push(`${i}.name: "${pool.name}" is already a provider's name; a pool needs its own`);
    if (seen.has(pool.name)) issues.push(`${i}.name: the pool "${pool.name}" is defined twice`);
    seen.add(pool.name);
    const members = new Set<string>();
    pool.members.forEach((m, j) => {
      if (!names.has(m.provider)) issues.push(`${i}.members.${j}: no provider "${m.provider}" in PROVIDERS (configured: ${[...names].join(', ')})`);
      if (members.has(m.provider)) issues.push(`${i}.members.${j}: "${m.provider}" is listed twice in the pool "${pool.name}"`);
      members.add(m.provider);
    });
  });
  return issues;
}
