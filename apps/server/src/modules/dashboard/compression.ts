import zlib from 'node:zlib';
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * What is compressed per request: JSON, the OpenAPI document, markdown, HTML, CSS, JavaScript and
 * SVG. Streams (server-sent events, NDJSON) are left alone so every event leaves at once.
 */
export const compressibleTypes =
  /^(?:text\/(?:html|css|plain|markdown|javascript)|application\/(?:json|problem\+json|javascript|vnd\.oai\.openapi\+json)|image\/svg\+xml)(?:;|$)/;

/** Brotli or gzip, as the client asks, for answers over 1 KB (the dashboard's assets are precompressed at build). */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    customTypes: compressibleTypes,
    // Quality 4 costs about as much CPU as gzip and compresses JSON better; assets use 11 at build.
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
  });
}
