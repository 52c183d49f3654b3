import { defineConfig } from 'vitest/config';

// Pure rules run once; everything that touches data runs on both engines, as two projects.
const integration = (engine: 'pglite' | 'postgres') => ({
  test: {
    name: engine,
    include: ['test/integration/**/*.test.ts'],
    env: { KEYLINE_TEST_ENGINE: engine },
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    // Most test files wait on a database, a browser or a server process rather than compute, so two
    // run at once even on two cores (vitest's default would be one here: the cores less one).
    maxWorkers: 2,
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      integration('pglite'),
      integration('postgres'),
      // Real faults (a database restarted and crashed, a server killed) on a PostgreSQL server of
      // the suite's own; needs initdb and pg_ctl on PATH.
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      // The web portal in a real Chromium against a real server (needs /usr/bin/chromium).
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/browser/global-setup.ts'],
          setupFiles: ['test/browser/setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
