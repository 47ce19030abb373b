/** The CLI's configuration from the environment; flags override it (see cli.ts). */
export interface CliEnv {
  REFRAIN_URL?: string;
  REFRAIN_API_KEY?: string;
  ADMIN_TOKEN?: string;
  NO_COLOR?: string;
  /** Where `pnpm refrain` was typed (pnpm runs scripts from the repo root). */
  INIT_CWD?: string;
}

/** The only place the CLI reads the environment. */
export function readCliEnv(source: Record<string, string | undefined> = process.env): CliEnv {
  return {
    REFRAIN_URL: source.REFRAIN_URL || undefined,
    REFRAIN_API_KEY: source.REFRAIN_API_KEY || undefined,
    ADMIN_TOKEN: source.ADMIN_TOKEN || undefined,
    NO_COLOR: source.NO_COLOR || undefined,
    INIT_CWD: source.INIT_CWD || undefined,
  };
}

export const DEFAULT_URL = 'http://127.0.0.1:3000';
