import type { ProviderConfig } from '@refrain/contracts';

/** Values for a path template's placeholders; arrays fill `{ids}` as a comma-separated list. */
export type PathValues = Record<string, string | readonly string[]>;

const PLACEHOLDER = /\{([a-z_]+)\}/g;

/**
 * Fills `{name}` placeholders, URL-encoding each value (list items one by one, joined
 * by commas, as Suno's `?ids=a,b` expects). A placeholder with no value is a
 * configuration mistake (a bad `paths` override) and throws at once.
 */
export function fillPath(template: string, values: PathValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) {
      throw new Error(`path ${template} uses ${whole}, but only ${Object.keys(values).map((k) => `{${k}}`).join(', ') || 'no placeholders'} can be filled here`);
    }
    return typeof v === 'string' ? encodeURIComponent(v) : v.map(encodeURIComponent).join(',');
  });
}

/**
 * A dialect's path table with the provider's `paths` overrides applied. Unknown override
 * keys are reported once through warn (a typo would otherwise be silently ignored).
 */
export function resolvePaths<K extends string>(
  defaults: Record<K, string>,
  config: Pick<ProviderConfig, 'name' | 'paths'>,
  warn?: (msg: string, data?: Record<string, unknown>) => void,
): Record<K, string> {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(config.paths ?? {})) {
    if (Object.hasOwn(defaults, key)) out[key as K] = value;
    else warn?.(`provider ${config.name}: unknown path name "${key}" in paths; known: ${Object.keys(defaults).join(', ')}`);
  }
  return out;
}
