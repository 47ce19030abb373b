/**
 * Model names for chat-format clients. Apps pick a model by name, so they get stable,
 * readable aliases; each maps to the upstream `mv` value. Pure: no I/O.
 */
export const MODEL_ALIASES: Readonly<Record<string, string>> = {
  'suno-v3': 'chirp-v3-0',
  'suno-v3.5': 'chirp-v3-5',
  'suno-v4': 'chirp-v4',
  'suno-v4.5': 'chirp-v4-5',
  'suno-auk': 'chirp-auk',
};

export interface ChatModel {
  /** The name a client sends as `model`. */
  id: string;
  /** The upstream model it runs on. */
  mv: string;
}

/**
 * The chat model names a provider offers: every alias whose `mv` it serves, then its own
 * model names (`chirp-*` and any configured newer ones), which pass through unchanged.
 */
export function chatModels(providerModels: readonly string[]): ChatModel[] {
  const aliases = Object.entries(MODEL_ALIASES)
    .filter(([, mv]) => providerModels.includes(mv))
    .map(([id, mv]) => ({ id, mv }));
  const own = providerModels.filter((m) => !(m in MODEL_ALIASES)).map((m) => ({ id: m, mv: m }));
  return [...aliases, ...own];
}

/** The `mv` for a client's model name, or null when the provider offers no such model. */
export function resolveChatModel(name: string, providerModels: readonly string[]): string | null {
  return chatModels(providerModels).find((m) => m.id === name)?.mv ?? null;
}
