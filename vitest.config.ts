import { defineConfig } from 'vitest/config';

// Tests import the compiled-from-source TypeScript directly; the WASM must be built first
// (`npm run build:wasm`, which `npm ci` runs through `prepare`).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
