import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources of workspace packages, not their build output.
    alias: {
      '@mission-control/contracts': fromRoot('./packages/contracts/src/index.ts'),
      '@mission-control/server': fromRoot('./apps/server/src/index.ts'),
    },
  },
  test: {
    include: ['apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: [fromRoot('./apps/server/src/test/global-setup.ts')],
  },
});
