import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { precompress } from './vite-precompress';

const fromHere = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  plugins: [
    react(),
    tailwindcss(),
    VitePWA({
      registerType: 'autoUpdate',
      // A file, not an inline script: the server's Content-Security-Policy forbids inline scripts.
      injectRegister: 'script-defer',
      // globPatterns below already lists the icons; listing them twice would duplicate precache entries.
      includeManifestIcons: false,
      manifest: {
        name: 'Mission Control',
        short_name: 'Mission',
        description: 'Steer your squad of AI agents: tasks, agents, runs and documents, live.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        // The design's paper and ink (src/styles/index.css): white page, black bars.
        background_color: '#ffffff',
        theme_color: '#0a0a0a',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell and its assets only: data always comes from the server, never from a cache.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        navigateFallback: '/index.html',
        // The server renders these itself (API and its docs, shared documents, health, metrics, MCP,
        // the event stream's WebSocket under /api): the worker must never answer them with the shell.
        navigateFallbackDenylist: [
          /^\/api(?:[/?]|$)/,
          /^\/share(?:[/?]|$)/,
          /^\/status(?:[/?]|$)/,
          /^\/metrics(?:[/?]|$)/,
          /^\/mcp(?:[/?]|$)/,
        ],
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
      },
    }),
    precompress(),
  ],
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
