import type { ProviderConfig } from '@refrain/contracts';
import { canonicalModel, codenameOf } from '@refrain/core';

/**
 * How a dialect spells model names on the wire: Suno's web API and the proxies of its
 * shape use codenames for the newer models (`chirp-auk`), AceData the version names
 * (`chirp-v4-5`). Refrain's own names are the version names.
 */
export type ModelSpelling = 'version' | 'codename';

/** The `mv` / `model` value to send for a Refrain model name (unknown names pass through). */
export function wireModel(model: string, spelling: ModelSpelling): string {
  return spelling === 'codename' ? codenameOf(model) : canonicalModel(model);
}

/**
 * The models a provider offers, in Refrain's names: its configured list when it has one
 * (it narrows the dialect's list, and may name models newer than Refrain knows, which
 * pass through as is), else the dialect's.
 */
export function providerModels(config: Pick<ProviderConfig, 'models'>, dialectModels: readonly string[]): readonly string[] {
  const configured = config.models && config.models.length > 0 ? config.models.map(canonicalModel) : [...dialectModels];
  return [...new Set(configured)];
}

export function providerDefaultModel(
  config: Pick<ProviderConfig, 'models' | 'default_model'>,
  dialectDefault: string,
): string {
  if (config.default_model) return canonicalModel(config.default_model);
  const models = providerModels(config, [dialectDefault]);
  return models.includes(dialectDefault) ? dialectDefault : (models[0] ?? dialectDefault);
}
