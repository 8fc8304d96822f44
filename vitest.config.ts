import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources of workspace packages, not their build output.
    alias: {
      '@mission-control/contracts': fromRoot('./packages/contracts/src/index.ts'),
      '@mission-control/server': fromRoot('./apps/server/src/index.ts'),
      '@mission-control/sdk': fromRoot('./packages/sdk/src/index.ts'),
      '@mission-control/mcp': fromRoot('./packages/mcp/src/index.ts'),
      '@mission-control/runtime': fromRoot('./packages/runtime/src/index.ts'),
      '@mission-control/runner': fromRoot('./packages/runner/src/index.ts'),
    },
  },
  test: {
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core CI machine. The
    // tests mostly wait (on PostgreSQL, on child processes, on sockets): one worker per core halved
    // the wall time of a set of server files, though not of the whole suite (docs/performance.md).
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts', 'clients/**/*.test.ts'],
          exclude: ['apps/dashboard/**', '**/node_modules/**'],
          globalSetup: [fromRoot('./apps/server/src/test/global-setup.ts')],
        },
      },
      {
        // Dashboard components and hooks, in a simulated DOM.
        extends: true,
        plugins: [react()],
        test: {
          name: 'dashboard',
          include: ['apps/dashboard/src/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: [fromRoot('./apps/dashboard/src/test/setup.ts')],
        },
      },
      {
        // The dashboard in a real browser (Debian's chromium) against a real server on port 0.
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          globalSetup: [fromRoot('./e2e/global-setup.ts')],
          testTimeout: 60_000,
          // One browser and one server for the whole suite: the files share them through the setup.
          fileParallelism: false,
          // A real browser on a loaded 2-core CI machine can miss a deadline; one retry, and a
          // screenshot of every failure in test-output/screenshots, keep a flake from hiding a bug.
          retry: 1,
        },
      },
    ],
  },
});
