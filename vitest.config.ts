import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    // The end-to-end tests start the built CLI several times in one test (a second or more each when
    // the machine is busy); a test that hangs still fails, later. Waits inside tests have their own bounds.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Two cores: more workers only thrash.
    maxWorkers: 2,
  },
});
