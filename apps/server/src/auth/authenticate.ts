import { allEndpoints, endpointScope, mcpScope } from '@mission-control/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../http/app-error.js';
import type { AuthenticationFailureLimit } from '../http/rate-limits.js';
import type { AuthService } from './auth.service.js';
import type { Principal } from './principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authenticate hook on every protected route. */
    principal: Principal;
  }
}

/** Each endpoint's permission by its Fastify route (`GET /api/v1/tasks/:id`). */
const scopeByRoute = new Map(
  allEndpoints.map((definition) => [`${definition.method} ${definition.path.replace(/\{(\w+)\}/g, ':$1')}`, endpointScope(definition)]),
);
/** Every credential may ask whose it is. */
const unscopedRoutes = new Set(['GET /api/v1/auth/me']);

/**
 * A scoped API key may call only the endpoints its scopes name. Routes without a definition (/mcp)
 * need the `mcp.write` scope: MCP tools reach every kind of work, so only a key given it may use them.
 */
function assertKeyScope(request: FastifyRequest, principal: Principal): void {
  if (!principal.scopes) return;
  const route = `${request.method} ${request.routeOptions.url ?? ''}`;
  if (unscopedRoutes.has(route)) return;
  const scope = scopeByRoute.get(route) ?? mcpScope;
  if (!principal.scopes.includes(scope)) {
    throw new AppError(
      'KEY_SCOPE_MISSING',
      `This API key may not do this: it lacks the scope ${scope}. Use a key created with that scope (GET /api/v1/permissions lists them).`,
      { scope },
    );
  }
}

/**
 * Reads `Authorization: Bearer <access token | API key>` and resolves the caller, or answers 401.
 * With a failure limit, each refused credential counts against the caller's address, and past
 * the limit the answer is 429 instead. An expired access token is not counted: it was genuine,
 * and its client is about to refresh.
 */
export function createAuthenticateHook(auth: AuthService, failures?: AuthenticationFailureLimit) {
  async function resolvePrincipal(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new AppError(
        'UNAUTHENTICATED',
        'Send Authorization: Bearer <access token or API key>. Get a token with POST /api/v1/auth/login, or an API key from your workspace.',
      );
    }
    return auth.authenticate(match[1]);
  }

  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      request.principal = await resolvePrincipal(request);
    } catch (error) {
      const refusedCredential = isAppError(error) && error.statusCode === 401 && error.code !== 'TOKEN_EXPIRED';
      const limited = failures && refusedCredential ? await failures.countFailure(request, reply) : undefined;
      throw limited ?? error;
    }
    assertKeyScope(request, request.principal);
  };
}
