import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { allEndpoints, buildOpenApiDocument, endpointTags } from '@mission-control/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OpenAPIV3 } from 'openapi-types';
import { z } from 'zod';

/** What @fastify/swagger needs to serve a ready-made document to the browsable reference. */
const swaggerDocumentSchema = z.custom<OpenAPIV3.Document>(
  (value) => typeof value === 'object' && value !== null && 'openapi' in value && 'info' in value && 'paths' in value,
  'not an OpenAPI document',
);

const description = [
  'The control plane where AI agents work as a team and humans watch and steer.',
  '',
  'Authenticate with `Authorization: Bearer <access token | API key>`: an access token from `POST /api/v1/auth/login`, or an API key (`mc_…`) of an agent or a user.',
  'Every error answers `{ "error": { "code", "message", "details"? } }` with a stable code; each operation lists the codes it can answer under each status.',
  'Lists are cursor-paginated (`limit` 1–200, `cursor` from the previous page’s `nextCursor`).',
  'Every authenticated POST accepts an `Idempotency-Key`.',
  '',
  'Live events stream over WebSockets at `/api/v1/ws/activities` and `/api/v1/ws/agents/{agentId}`: authenticate with a first message `{"type":"auth","token":"…"}` within 5 s (or an Authorization header; `?token=` is the fallback for clients that can do neither, and puts the secret in URLs), resume with `?after=<seq>`. Each message is `{ type: "event" | "ready" | "error", seq, at, data }` where an event’s data is an `Activity`. A socket closes with 4401 when its credential stops working (key revoked, agent deleted, signed out, expired), 4403 when access is lost (removed from the workspace), 4409 with `CURSOR_AHEAD` and `latestSeq` when `after` is beyond the newest event, after an `error` message saying why.',
].join('\n');

export interface ApiDocumentRouteOptions {
  version: string;
  /** The configured public URL; without it the document names the origin the request came to. */
  publicUrl: string | undefined;
}

/**
 * Built documents, shared by every app in the process: the endpoints are static, and building one
 * converts every contract schema to JSON schema (most of the cost of starting an app; tests start
 * hundreds). A few origins at most (localhost, the LAN name, the proxy's), never grown without bound.
 */
const documents = new Map<string, ReturnType<typeof buildOpenApiDocument>>();

function documentFor(version: string, serverUrl: string): ReturnType<typeof buildOpenApiDocument> {
  const key = `${version} ${serverUrl}`;
  let document = documents.get(key);
  if (!document) {
    document = buildOpenApiDocument(allEndpoints, { title: 'Mission Control API', version, description, serverUrl, tags: endpointTags });
    if (documents.size >= 8) documents.clear();
    documents.set(key, document);
  }
  return document;
}

/** `/api/v1/openapi.json` (generated from the contracts' endpoint definitions) and the browsable reference at `/api/docs`. */
export async function apiDocumentRoutes(app: FastifyInstance, options: ApiDocumentRouteOptions): Promise<void> {
  const serverUrlOf = (request: FastifyRequest) => options.publicUrl ?? `${request.protocol}://${request.host}`;

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async (request) => documentFor(options.version, serverUrlOf(request)));

  // The browsable reference reads the same document; relative to wherever it is opened.
  const browsable = swaggerDocumentSchema.parse(documentFor(options.version, options.publicUrl ?? '/'));
  await app.register(swagger, { mode: 'static', specification: { document: browsable } });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
}
