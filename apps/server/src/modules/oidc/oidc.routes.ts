import { endpoints } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { isAppError } from '../../http/app-error.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import type { OidcService } from './oidc.service.js';

/** Single sign-on: all reachable without a token, limited per address like login. */
export async function publicOidcRoutes(app: FastifyInstance, { oidc }: { oidc: OidcService }): Promise<void> {
  registerEndpoint(app, endpoints.listAuthProviders, async () => oidc.listProviders());
  registerEndpoint(app, endpoints.startOidcSignIn, async (request, reply) => {
    const location = await oidc.startSignIn(request.query.redirect, request.query.organization);
    return reply.header('cache-control', 'no-store').redirect(location, 302);
  });
  registerEndpoint(app, endpoints.finishOidcSignIn, async (request, reply) => {
    const queryStart = request.url.indexOf('?');
    try {
      const location = await oidc.finishSignIn(request.query, queryStart === -1 ? '' : request.url.slice(queryStart));
      return reply.header('cache-control', 'no-store').redirect(location, 302);
    } catch (error) {
      // A browser arrived here from the provider: it gets the sign-in page saying what went wrong,
      // not a JSON body. Programs (no text/html in Accept) keep the error body.
      if (!isAppError(error) || !(request.headers.accept ?? '').includes('text/html')) throw error;
      const parameters = new URLSearchParams({ ssoError: error.code, ssoMessage: error.message });
      return reply.header('cache-control', 'no-store').redirect(`/login?${parameters.toString()}`, 302);
    }
  });
  registerEndpoint(app, endpoints.exchangeOidcCode, async (request) => oidc.exchangeCode(request.body.code));
}
