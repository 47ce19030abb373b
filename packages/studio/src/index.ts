import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where `pnpm install` (the package's postinstall) puts the built page: index.html and assets/. */
export const STUDIO_DIST = fileURLToPath(new URL('../dist/', import.meta.url));

/** The built page's HTML, or null when the studio has not been built. */
export function studioIndexHtml(dir = STUDIO_DIST): string | null {
  try {
    return fs.readFileSync(`${dir}index.html`, 'utf8');
  } catch {
    return null;
  }
}

export const STUDIO_BUILD_HINT = 'The studio page is not built: run `pnpm --filter @refrain/studio build` (pnpm install does it).';
