import { createMcpHttpHandler, type McpCaller, McpSessionLimitError } from '@mission-control/mcp';
import type { FastifyPluginAsync, preHandlerHookHandler } from 'fastify';
import type { AuthService } from '../../auth/auth.service.js';
import { createAuthenticateHook } from '../../auth/authenticate.js';
import type { Principal } from '../../auth/principal.js';
import type { CredentialWatcher } from '../../events/credential-watcher.js';
import { AppError } from '../../http/app-error.js';
import { createInjectFetch } from '../../http/inject-fetch.js';
import { version } from '../../version.js';

/** The tools call the API through this origin; the requests never leave the process. */
const inProcessOrigin = 'http://mission-control.internal';

export interface McpRouteOptions {
  auth: AuthService;
  /** Closes a session whose credential was revoked; sessions are not watched without it. */
  credentials?: CredentialWatcher | undefined;
  /** The principal rate limit of the API, so /mcp requests count against the same budget. */
  rateLimit?: preHandlerHookHandler | undefined;
  /** Sessions that received no request for this long are closed (5 minutes by default). */
  sessionIdleMs?: number | undefined;
  maxSessionsPerPrincipal?: number | undefined;
  /** How often an open event stream gets a keep-alive comment (15 s by default). */
  sseKeepAliveMs?: number | undefined;
}

interface McpRouteCaller extends McpCaller {
  principal: Principal;
}

/** `/mcp`: the Mission Control MCP server over Streamable HTTP, for callers with `Authorization: Bearer <API key or token>`. */
export const mcpRoutes: FastifyPluginAsync<McpRouteOptions> = async (app, options) => {
  const { auth, credentials } = options;
  const stopWatching = new Map<string, Promise<() => void>>();
  const handler = createMcpHttpHandler<McpRouteCaller>({
    baseUrl: inProcessOrigin,
    fetch: createInjectFetch(app),
    version,
    ...(options.sessionIdleMs ? { sessionIdleMs: options.sessionIdleMs } : {}),
    ...(options.maxSessionsPerPrincipal ? { maxSessionsPerOwner: options.maxSessionsPerPrincipal } : {}),
    ...(options.sseKeepAliveMs ? { sseKeepAliveMs: options.sseKeepAliveMs } : {}),
    onSessionOpened: (sessionId, caller) => {
      if (!credentials) return;
      const watching = credentials.watch({
        credential: caller.credential,
        principal: caller.principal,
        onRevoked: (revocation) => {
          app.log.info({ sessionId, reason: revocation.code }, 'MCP session closed: its credential stopped giving access');
          void handler.closeSession(sessionId);
        },
      });
      stopWatching.set(sessionId, watching);
    },
    onSessionClosed: (sessionId) => {
      const watching = stopWatching.get(sessionId);
      stopWatching.delete(sessionId);
      void watching?.then((stop) => stop());
    },
  });
  app.addHook('onClose', () => handler.close());
  const authenticate = createAuthenticateHook(auth, {
    unsignedSurface: { name: 'MCP', instead: 'Give the MCP client a key without requireSignature.' },
  });
  const limitError = (limit: number) => new AppError('MCP_SESSION_LIMIT', new McpSessionLimitError(limit).message, { limit });

  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/mcp',
    schema: { hide: true },
    onRequest: authenticate,
    ...(options.rateLimit ? { preHandler: options.rateLimit } : {}),
    handler: async (request, reply) => {
      const credential = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const principal = request.principal;
      const caller: McpRouteCaller = { credential, owner: `${principal.kind}:${principal.id}`, principal };
      // Refused in the API's own error body while nothing is written yet.
      if (handler.isOverSessionLimit(request.raw, request.body, caller.owner)) throw limitError(options.maxSessionsPerPrincipal ?? 20);
      // The MCP transport writes the answer (JSON or an event stream) to the raw response itself.
      reply.hijack();
      await handler.handle(request.raw, reply.raw, request.body, caller);
    },
  });
};
