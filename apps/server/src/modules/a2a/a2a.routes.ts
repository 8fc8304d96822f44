import {
  A2A_VERSION_HEADER,
  AgentCard,
  type AgentCard as AgentCardValue,
  formatSSEErrorEvent,
  formatSSEEvent,
  SSE_HEADERS,
} from '@a2a-js/sdk';
import { defaultServerCallContextBuilder, JsonRpcTransportHandler, validateVersion } from '@a2a-js/sdk/server';
import { idSchema } from '@mission-control/contracts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import type { AuthService } from '../../auth/auth.service.js';
import { createAuthenticateHook } from '../../auth/authenticate.js';
import { AppError } from '../../http/app-error.js';
import type { AgentService } from '../agents/agent.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import type { A2aService, A2aTarget } from './a2a.service.js';
import { buildAgentCard, buildDirectoryCard } from './a2a-cards.js';
import { BoardA2aRequestHandler } from './a2a-request-handler.js';

export interface A2aRouteOptions {
  a2a: A2aService;
  agents: Pick<AgentService, 'findPublishedAgent' | 'listPublishedAgents'>;
  workspaces: Pick<WorkspaceService, 'findWorkspace'>;
  auth: AuthService;
  /** MISSION_PUBLIC_URL: the address cards give; else the address the request came to. */
  publicUrl: string | undefined;
  /** The principal rate limit of the API, so A2A calls count against the same budget. */
  rateLimit?: preHandlerHookHandler | undefined;
}

const agentParamsSchema = z.object({ agentId: idSchema });
const workspaceParamsSchema = z.object({ workspaceId: idSchema });

const agentNotPublished = () =>
  new AppError(
    'AGENT_NOT_FOUND',
    'No published agent here. An owner publishes one with PATCH /api/v1/agents/{id} {"a2a": {"published": true}}.',
  );
const workspaceNotPublished = () =>
  new AppError(
    'WORKSPACE_NOT_FOUND',
    'No workspace with published agents here. Publish an agent first: PATCH /api/v1/agents/{id} {"a2a": {"published": true}}.',
  );

/**
 * The Agent2Agent protocol (v1.0, JSON-RPC binding): public agent cards, and the endpoints where
 * a remote client sends messages that become tasks on the board.
 */
export const a2aRoutes: FastifyPluginAsync<A2aRouteOptions> = async (app, options) => {
  const { a2a, agents, workspaces } = options;
  const transport = (handler: BoardA2aRequestHandler) => new JsonRpcTransportHandler(handler);
  const authenticate = createAuthenticateHook(options.auth, {
    unsignedSurface: { name: 'the Agent2Agent endpoints', instead: 'Give the A2A client a key without requireSignature.' },
  });
  const baseUrlOf = (request: FastifyRequest) => options.publicUrl ?? `${request.protocol}://${request.host}`;
  // Streams end when the server shuts down, or closing would wait for every follower to leave.
  const open = new Set<AbortController>();
  app.addHook('preClose', async () => {
    for (const controller of open) controller.abort();
  });
  // A2A clients send JSON-RPC as application/a2a+json as well as application/json.
  app.addContentTypeParser('application/a2a+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  const sendCard = (reply: FastifyReply, card: AgentCardValue) =>
    reply.header('cache-control', 'public, max-age=60').type('application/json').send(AgentCard.toJSON(card));

  async function publishedAgentCard(request: FastifyRequest, agentId: string) {
    const agent = await agents.findPublishedAgent(agentId);
    if (!agent) throw agentNotPublished();
    return { agent, card: buildAgentCard(agent, { baseUrl: baseUrlOf(request), streaming: a2a.canStream }) };
  }

  async function workspaceDirectoryCard(request: FastifyRequest, workspaceId: string) {
    const workspace = await workspaces.findWorkspace(workspaceId);
    const published = workspace ? await agents.listPublishedAgents(workspace.id) : [];
    if (!workspace || published.length === 0) throw workspaceNotPublished();
    return { workspace, card: buildDirectoryCard(workspace, published, { baseUrl: baseUrlOf(request), streaming: a2a.canStream }) };
  }

  // The instance's card is the directory of the workspace that published an agent first: on a
  // laptop, the only one. Each workspace's own directory is under /a2a/workspaces/{id}.
  app.get('/.well-known/agent-card.json', { schema: { hide: true } }, async (request, reply) => {
    const published = await agents.listPublishedAgents();
    const first = published.toSorted((left, right) => left.createdAt.localeCompare(right.createdAt))[0];
    if (!first) throw workspaceNotPublished();
    return sendCard(reply, (await workspaceDirectoryCard(request, first.workspaceId)).card);
  });

  app.get('/a2a/agents/:agentId/.well-known/agent-card.json', { schema: { hide: true } }, async (request, reply) => {
    const { agentId } = agentParamsSchema.parse(request.params);
    return sendCard(reply, (await publishedAgentCard(request, agentId)).card);
  });

  app.get('/a2a/workspaces/:workspaceId/.well-known/agent-card.json', { schema: { hide: true } }, async (request, reply) => {
    const { workspaceId } = workspaceParamsSchema.parse(request.params);
    return sendCard(reply, (await workspaceDirectoryCard(request, workspaceId)).card);
  });

  /** Answers one JSON-RPC request: a JSON body, or for message/stream and tasks/subscribe an event stream. */
  async function answer(request: FastifyRequest, reply: FastifyReply, target: A2aTarget, card: AgentCardValue) {
    const principal = request.principal;
    // An agent of another workspace cannot tell a private agent from a missing one.
    if (principal.workspaceId !== target.workspaceId) throw target.agent ? agentNotPublished() : workspaceNotPublished();
    const closed = new AbortController();
    open.add(closed);
    reply.raw.once('close', () => {
      open.delete(closed);
      closed.abort();
    });
    const handler = new BoardA2aRequestHandler(a2a, principal, target, card, closed.signal, (error) =>
      request.log.error({ err: error }, 'A2A request failed'),
    );
    const header = (name: string) => {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    };
    const body = request.body;
    const id = typeof body === 'object' && body !== null && 'id' in body ? (body as { id?: unknown }).id : null;
    const rpcError = (error: unknown) => ({ jsonrpc: '2.0', id: id ?? null, error: JsonRpcTransportHandler.mapToJSONRPCError(error) });
    const context = defaultServerCallContextBuilder({
      extensions: undefined,
      user: { isAuthenticated: true, userName: `${principal.kind}:${principal.id}` },
      headers: request.headers,
      requestedVersion: header(A2A_VERSION_HEADER) || undefined,
    });
    let result: Awaited<ReturnType<JsonRpcTransportHandler['handle']>>;
    try {
      validateVersion(context.requestedVersion, card, 'JSONRPC');
      result = await transport(handler).handle(body as Record<string, unknown>, context);
    } catch (error) {
      return reply.send(rpcError(error));
    }
    if (!(Symbol.asyncIterator in result)) return reply.send(result);
    const stream = result;
    // The first event is read before the stream opens, so a refusal is a plain JSON-RPC error.
    let first: IteratorResult<unknown>;
    try {
      first = await stream.next();
    } catch (error) {
      return reply.send(rpcError(error));
    }
    reply.hijack();
    reply.raw.writeHead(200, SSE_HEADERS);
    try {
      if (!first.done) reply.raw.write(formatSSEEvent(first.value));
      for await (const event of stream) reply.raw.write(formatSSEEvent(event));
    } catch (error) {
      if (!reply.raw.writableEnded) reply.raw.write(formatSSEErrorEvent(rpcError(error)));
    } finally {
      reply.raw.end();
    }
  }

  const protectedRoute = {
    onRequest: authenticate,
    ...(options.rateLimit ? { preHandler: options.rateLimit } : {}),
    schema: { hide: true },
  };

  app.post('/a2a/agents/:agentId', protectedRoute, async (request, reply) => {
    const { agentId } = agentParamsSchema.parse(request.params);
    const { agent, card } = await publishedAgentCard(request, agentId);
    return answer(request, reply, { workspaceId: agent.workspaceId, agent }, card);
  });

  app.post('/a2a/workspaces/:workspaceId', protectedRoute, async (request, reply) => {
    const { workspaceId } = workspaceParamsSchema.parse(request.params);
    const { workspace, card } = await workspaceDirectoryCard(request, workspaceId);
    return answer(request, reply, { workspaceId: workspace.id, agent: undefined }, card);
  });
};
