import { createMcpHttpHandler } from '@mission-control/mcp';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AuthService } from '../../auth/auth.service.js';
import { createAuthenticateHook } from '../../auth/authenticate.js';
import { version } from '../../version.js';

/** The tools call the API through this origin; the requests never leave the process. */
const inProcessOrigin = 'http://mission-control.internal';

function headerValue(value: string | string[] | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * A fetch that answers through app.inject: the MCP tools go through the same routes,
 * authentication, permissions, rate limits and idempotency keys as any other client, without a
 * network hop and without knowing which address the server listens on.
 */
function createInjectFetch(app: FastifyInstance) {
  return async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const payload = typeof init.body === 'string' ? init.body : undefined;
    const method =
      init.method === 'POST' || init.method === 'PUT' || init.method === 'PATCH' || init.method === 'DELETE' ? init.method : 'GET';
    const answer = await app.inject({
      method,
      url: `${url.pathname}${url.search}`,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      const text = headerValue(value);
      if (text !== undefined) responseHeaders.set(name, text);
    }
    const empty = answer.statusCode === 204 || answer.statusCode === 304 || answer.rawPayload.length === 0;
    return new Response(empty ? null : answer.rawPayload, { status: answer.statusCode, headers: responseHeaders });
  };
}

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
