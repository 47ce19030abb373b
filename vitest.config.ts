import { defineConfig } from 'vitest/config';

// One run for the whole repo. Integration and end-to-end files start real servers,
// so files run in separate processes and a few at a time (the machine has 2 cores).
export default defineConfig({
  test: {
    include: ['packages/**/*.test.ts', 'apps/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/chaos/full.*', 'test/bench/run.ts'], // the bench's smoke test runs; the full bench is `pnpm bench`
    pool: 'forks',
    maxWorkers: 3,
    minWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    globalSetup: ['./test/support/build-studio.ts'], // the studio page from its current source
  },
});
