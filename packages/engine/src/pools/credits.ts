import { setProviderCredits, type Logger } from '@refrain/observability';
import type { ProviderRuntime } from '../deps';
import type { ProviderGuard } from '../limits';

/** A provider's credits as the pools see them (GET /v1/providers shows them too). */
export interface CreditFigure {
  songs_left: number | null;
  at: string;
  /** `query`: the dialect's credits endpoint said so; `refusal`: a submission was refused for lack of credits. */
  source: 'query' | 'refusal';
}

const key = (provider: string) => `credits:${provider}`;
/** A figure older than this is forgotten (the provider is then "unknown", not "exhausted"). */
const KEEP_MS = 24 * 3600_000;

/** The last known figures of `providers`, shared by every worker. */
export async function readCredits(guard: ProviderGuard, providers: readonly string[]): Promise<Map<string, CreditFigure>> {
  const values = await guard.store.getMany(providers.map(key));
  const out = new Map<string, CreditFigure>();
  values.forEach((v, i) => {
    if (v) out.set(providers[i]!, JSON.parse(v) as CreditFigure);
  });
  return out;
}

async function write(guard: ProviderGuard, provider: string, figure: CreditFigure): Promise<void> {
  await guard.store.set(key(provider), JSON.stringify(figure), KEEP_MS);
  if (figure.songs_left !== null) setProviderCredits(provider, figure.songs_left);
}

/** Ask the provider (an upstream call like any other: breaker, rate gate) and keep the answer. Null when it cannot tell. */
export async function refreshCredits(guard: ProviderGuard, p: ProviderRuntime, now: () => number, log: Logger): Promise<CreditFigure | null> {
  const credits = p.adapter.credits?.bind(p.adapter);
  if (!credits) return null;
  try {
    const { value } = await guard.call(p.config, 'other', credits);
    const figure: CreditFigure = { songs_left: value.songs_left, at: new Date(now()).toISOString(), source: 'query' };
    await write(guard, p.config.name, figure);
    return figure;
  } catch (err) {
    log.warn({ provider: p.config.name, err: (err as Error).message }, 'could not refresh the credits; the last figure stands');
    return null;
  }
}

/** A submission was refused for lack of credits: the member counts as exhausted until its figure says otherwise. */
export async function noteOutOfCredits(guard: ProviderGuard, p: ProviderRuntime, now: () => number, log: Logger): Promise<void> {
  await write(guard, p.config.name, { songs_left: 0, at: new Date(now()).toISOString(), source: 'refusal' }).catch(() => {});
  // Where the dialect can tell, ask at once: the refusal may have been about one request, not the account.
  void refreshCredits(guard, p, now, log);
}

/**
 * Refresh the credits of `providers` every `everyMs` (and at once). One worker does it per
 * period: the others find the period's lock taken.
 */
export function watchCredits(guard: ProviderGuard, providers: readonly ProviderRuntime[], everyMs: number, now: () => number, log: Logger): () => void {
  const reporting = providers.filter((p) => p.adapter.credits);
  if (reporting.length === 0) return () => {};
  const tick = async () => {
    for (const p of reporting) {
      const mine = await guard.store.setIfAbsent(`credits-lock:${p.config.name}`, '1', Math.max(1000, everyMs - 500)).catch(() => false);
      if (mine) await refreshCredits(guard, p, now, log);
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
