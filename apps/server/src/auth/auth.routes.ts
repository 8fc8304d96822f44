import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint } from '../http/register-endpoint.js';
import { originOfRequest } from '../modules/audit/audit-origin.js';
import type { AuthService } from './auth.service.js';

/** Login and refresh: reachable without a token (registered in the public context). */
export async function publicAuthRoutes(app: FastifyInstance, { auth }: { auth: AuthService }): Promise<void> {
  registerEndpoint(app, endpoints.logIn, async (request) => auth.login(request.body, originOfRequest(request)));
  registerEndpoint(app, endpoints.refreshSession, async (request) => auth.refresh(request.body.refreshToken));
}

/** Routes about the signed-in caller. */
export async function authRoutes(app: FastifyInstance, { auth }: { auth: AuthService }): Promise<void> {
  registerEndpoint(app, endpoints.logOut, async (request) => {
    await auth.logout(request.principal, request.body.refreshToken);
  });
  registerEndpoint(app, endpoints.getMe, async (request) => auth.describe(request.principal));
  registerEndpoint(app, endpoints.listMyApiKeys, async (request) => ({
    data: await auth.listApiKeys(request.principal, { kind: 'user', id: request.principal.id }),
  }));
  registerEndpoint(app, endpoints.createMyApiKey, async (request) =>
    auth.createApiKey(request.principal, { kind: 'user', id: request.principal.id, label: 'a user' }, request.body),
  );
  registerEndpoint(app, endpoints.rotateMyApiKey, async (request) =>
    auth.rotateApiKey(request.principal, { kind: 'user', id: request.principal.id, label: 'a user' }, request.params.id, request.body),
  );
  registerEndpoint(app, endpoints.revokeMyApiKey, async (request) =>
    auth.revokeApiKey(request.principal, { kind: 'user', id: request.principal.id, label: 'a user' }, request.params.id),
  );
}
