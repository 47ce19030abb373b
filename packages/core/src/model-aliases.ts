import { MODEL_CODENAMES, MODELS, type Model } from '@refrain/contracts';

/** Codename → Refrain name (`chirp-auk` → `chirp-v4-5`). */
const BY_CODENAME: ReadonlyMap<string, Model> = new Map(
  (Object.entries(MODEL_CODENAMES) as [Model, string][]).map(([model, codename]) => [codename, model]),
);

/**
 * Refrain's name of a model: a codename becomes its version name, a Refrain name stays,
 * and a name Refrain does not know (a model newer than this list) passes through as is.
 */
export function canonicalModel(name: string): string {
  return BY_CODENAME.get(name) ?? name;
}

/** Suno's codename of a model where it has one (`chirp-v4-5` → `chirp-auk`); else the name itself. */
export function codenameOf(name: string): string {
  const canonical = canonicalModel(name);
  return (MODEL_CODENAMES as Record<string, string | undefined>)[canonical] ?? canonical;
}

export const isKnownModel = (name: string): boolean => (MODELS as readonly string[]).includes(canonicalModel(name));

/**
 * Model names for chat-format clients. Apps pick a model by name, so they get stable,
 * readable aliases; each maps to a Refrain model name. Pure: no I/O.
 */
export const MODEL_ALIASES: Readonly<Record<string, string>> = {
  'suno-v3': 'chirp-v3-0',
  'suno-v3.5': 'chirp-v3-5',
  'suno-v4': 'chirp-v4',
  'suno-v4.5': 'chirp-v4-5',
  /** Kept for clients written against the codename. */
  'suno-auk': 'chirp-v4-5',
  'suno-v4.5-plus': 'chirp-v4-5-plus',
  'suno-v5': 'chirp-v5',
  'suno-v5.5': 'chirp-v5-5',
};

export interface ChatModel {
  /** The name a client sends as `model`. */
  id: string;
  /** The model it runs on (Refrain's name). */
  mv: string;
}

/**
 * The chat model names a provider offers: every alias whose model it serves, then its own
 * model names (`chirp-*` and any configured newer ones), which pass through unchanged.
 */
export function chatModels(providerModels: readonly string[]): ChatModel[] {
  const served = providerModels.map(canonicalModel);
  const aliases = Object.entries(MODEL_ALIASES)
    .filter(([, mv]) => served.includes(mv))
    .map(([id, mv]) => ({ id, mv }));
  const own = served.filter((m) => !(m in MODEL_ALIASES)).map((m) => ({ id: m, mv: m }));
  return [...aliases, ...own];
}

/** The model for a client's model name (an alias, a Refrain name or a codename), or null when the provider offers none. */
export function resolveChatModel(name: string, providerModels: readonly string[]): string | null {
  const models = chatModels(providerModels);
  return models.find((m) => m.id === name)?.mv ?? models.find((m) => m.id === canonicalModel(name))?.mv ?? null;
}
