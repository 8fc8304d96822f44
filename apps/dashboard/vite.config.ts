import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './vite-precompress';

const fromHere = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  plugins: [react(), tailwindcss(), precompress()],
  resolve: {
    // Bundle the contracts and the SDK from source so the dashboard builds without their dist.
    alias: {
      '@mission-control/contracts': fromHere('../../packages/contracts/src/index.ts'),
      '@mission-control/sdk': fromHere('../../packages/sdk/src/index.ts'),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Inline nothing: the server's Content-Security-Policy forbids inline scripts and data: fonts are not needed.
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev -w apps/dashboard` talks to a server started with `npm start` on the default port;
    // `npm run dev` at the root points it at the server it starts. ws: the activity stream is a WebSocket under /api.
    proxy: { '/api': { target: process.env.MISSION_DEV_SERVER_URL ?? 'http://127.0.0.1:4000', ws: true } },
  },
});
