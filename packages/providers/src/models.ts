import type { ProviderConfig } from '@refrain/contracts';

/** Models seen in the seeds (SPEC section 3). */
export const SUNO_MODELS = ['chirp-v3-0', 'chirp-v3-5', 'chirp-v4', 'chirp-v4-5', 'chirp-auk'] as const;

/**
 * The models a provider offers: its configured list when it has one (the operator knows
 * what the proxy serves, including models newer than this list), else the dialect's.
 */
export function providerModels(config: Pick<ProviderConfig, 'models'>, dialectModels: readonly string[]): readonly string[] {
  return config.models && config.models.length > 0 ? [...config.models] : [...dialectModels];
}

export function providerDefaultModel(
  config: Pick<ProviderConfig, 'models' | 'default_model'>,
  dialectDefault: string,
): string {
  if (config.default_model) return config.default_model;
  const models = config.models;
  if (models && models.length > 0 && !models.includes(dialectDefault)) return models[0] ?? dialectDefault;
  return dialectDefault;
}
