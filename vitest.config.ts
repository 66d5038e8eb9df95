import { defineConfig } from 'vitest/config';

// Tests import the TypeScript sources directly, and many also run the compiled CLI (dist/) and the
// WASM: the global setup rebuilds both when a source is newer, so a stale build is never tested.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/build-dist.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
