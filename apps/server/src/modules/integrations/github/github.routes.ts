import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { keepRawJsonBodies } from '../../../http/json-body.js';
import { registerEndpoint } from '../../../http/register-endpoint.js';
import type { GithubService } from './github.service.js';

/** Connections, sync, and the code search and file reads agents use: behind authentication. */
export async function githubRoutes(app: FastifyInstance, { github }: { github: GithubService }): Promise<void> {
  registerEndpoint(app, endpoints.createGithubConnection, async (request) =>
    github.createGithubConnection(request.principal, request.body),
  );
  registerEndpoint(app, endpoints.listGithubConnections, async (request) => github.listGithubConnections(request.principal));
  registerEndpoint(app, endpoints.updateGithubConnection, async (request) =>
    github.updateGithubConnection(request.principal, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.deleteGithubConnection, async (request) => {
    await github.deleteGithubConnection(request.principal, request.params.id);
  });
  registerEndpoint(app, endpoints.syncGithubConnection, async (request) =>
    github.syncGithubConnection(request.principal, request.params.id),
  );
  registerEndpoint(app, endpoints.searchGithubCode, async (request) =>
    github.searchGithubCode(request.principal, request.params.id, request.query),
  );
  registerEndpoint(app, endpoints.readGithubFile, async (request) =>
    github.readGithubFile(request.principal, request.params.id, request.query),
  );
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * GitHub's webhook, public and signed. Its JSON parser keeps the body's exact text, which
 * X-Hub-Signature-256 is computed over; in this context only, so other routes parse as before.
 */
export async function githubEventRoutes(app: FastifyInstance, { github }: { github: GithubService }): Promise<void> {
  const rawBodyOf = keepRawJsonBodies(app);
  registerEndpoint(app, endpoints.receiveGithubEvent, async (request) =>
    github.receiveGithubEvent(request.params.id, {
      rawBody: rawBodyOf(request),
      payload: request.body,
      event: firstHeader(request.headers['x-github-event']),
      signature: firstHeader(request.headers['x-hub-signature-256']),
    }),
  );
}
