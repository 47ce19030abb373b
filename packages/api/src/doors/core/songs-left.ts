import type { ApiDeps } from '../../deps';
import { problem } from '../../http/problem';

/**
 * Songs left on the default provider, asked live; for a pool, the sum over its members
 * whose dialect can tell (docs/providers.md, "Provider pools"). 422 when none can.
 */
export async function defaultSongsLeft(deps: ApiDeps): Promise<number | null> {
  const name = deps.defaultProvider;
  const members = deps.pools?.get(name)?.members.map((m) => m.provider) ?? [name];
  const telling = members.flatMap((m) => {
    const p = deps.providers.get(m);
    return p?.adapter.credits ? [p.adapter.credits.bind(p.adapter)] : [];
  });
  if (telling.length === 0) {
    const dialect = deps.providers.get(name)?.config.dialect ?? (deps.pools?.has(name) ? 'pool' : 'unknown');
    throw problem(422, `provider "${name}" (${dialect}) cannot tell its credits`);
  }
  const figures = await Promise.all(telling.map((credits) => credits()));
  if (figures.every((f) => f.songs_left === null)) return null;
  return figures.reduce((n, f) => n + (f.songs_left ?? 0), 0);
}
