import { buildStudio } from '@refrain/studio/build';

/**
 * Vitest global setup: build the studio page once before any test file runs, so the
 * browser tests exercise the page's current source, not what the last `pnpm install` built.
 */
export default async function setup(): Promise<void> {
  await buildStudio();
}
