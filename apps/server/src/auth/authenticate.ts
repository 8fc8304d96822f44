import type { FastifyRequest } from 'fastify';
import { AppError } from '../http/app-error.js';
import type { AuthService } from './auth.service.js';
import type { Principal } from './principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authenticate hook on every protected route. */
    principal: Principal;
  }
}

/** Reads `Authorization: Bearer <access token | API key>` and resolves the caller, or answers 401. */
export function createAuthenticateHook(auth: AuthService) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new AppError(
        'UNAUTHENTICATED',
        'Send Authorization: Bearer <access token or API key>. Get a token with POST /api/v1/auth/login, or an API key from your workspace.',
      );
    }
    request.principal = await auth.authenticate(match[1]);
  };
}
