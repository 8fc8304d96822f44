import { createMcpHttpHandler } from '@mission-control/mcp';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthService } from '../../auth/auth.service.js';
import { createAuthenticateHook } from '../../auth/authenticate.js';
import { createInjectFetch } from '../../http/inject-fetch.js';
import { version } from '../../version.js';

/** The tools call the API through this origin; the requests never leave the process. */
const inProcessOrigin = 'http://mission-control.internal';

/** `/mcp`: the Mission Control MCP server over Streamable HTTP, for callers with `Authorization: Bearer <API key or token>`. */
export const mcpRoutes: FastifyPluginAsync<{ auth: AuthService }> = async (app, { auth }) => {
  const handler = createMcpHttpHandler({ baseUrl: inProcessOrigin, fetch: createInjectFetch(app), version });
  app.addHook('onClose', () => handler.close());
  const authenticate = createAuthenticateHook(auth);

  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/mcp',
    schema: { hide: true },
    onRequest: authenticate,
    handler: async (request, reply) => {
      const credential = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      // The MCP transport writes the answer (JSON or an event stream) to the raw response itself.
      reply.hijack();
      await handler.handle(request.raw, reply.raw, request.body, credential);
    },
  });
};
