import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Emulation is CPU-bound and synchronous: separate processes keep the runner responsive.
    pool: 'forks',
    setupFiles: ['test/setup/yield.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
