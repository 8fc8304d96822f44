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
  };
}
