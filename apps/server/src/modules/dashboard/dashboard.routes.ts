import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

export interface DashboardRouteOptions {
  /** The built dashboard (apps/dashboard/dist). */
  directory: string;
}

const missingBuildPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mission Control</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>Mission Control</h1>
<p>The API is running, but the dashboard has not been built.</p>
<p>Run <code>npm run build</code> (or <code>npm start</code>, which builds first), then reload this page.</p>
<p>The API reference is at <a href="/api/docs">/api/docs</a>.</p>
</body></html>`;

/** Hashed file names never change content, so browsers may keep them for a year; everything else is revalidated. */
function cacheControlFor(filePath: string): string {
  return filePath.split(path.sep).includes('assets') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/**
 * Serves the built single-page dashboard at `/`: static files, and index.html for any other
 * non-API GET so client-side routes survive a reload. API paths keep the API's JSON 404.
 */
export const dashboardRoutes: FastifyPluginAsync<DashboardRouteOptions> = async (app, { directory }) => {
  const root = path.resolve(directory);
  const built = fs.existsSync(path.join(root, 'index.html'));

  if (!built) {
    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      if (isApiPath(request.url)) return reply.callNotFound();
      return reply.status(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(missingBuildPage);
    });
    return;
  }

  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // Routes for the files present at start; the SPA fallback below answers everything else.
    wildcard: false,
    index: false,
    // The build writes index.html.br, app-1234.js.gz…: served as they are, never compressed per request.
    preCompressed: true,
    cacheControl: false,
    setHeaders: (response, filePath) => {
      response.setHeader('cache-control', cacheControlFor(filePath));
    },
  });

  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html', root);

  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    // A missing hashed asset is a 404, not the app shell (which would be parsed as JavaScript).
    if (isApiPath(request.url) || request.url.startsWith('/assets/')) return reply.callNotFound();
    return sendIndex(reply);
  });
};
