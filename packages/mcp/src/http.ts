import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FetchFunction, MissionControl } from '@mission-control/sdk';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { createMissionControlMcpServer } from './server.js';

/** Who sends a request: the credential the host checked, and the key its sessions are counted under (agent:<id>). */
export interface McpCaller {
  credential: string;
  owner: string;
}

/** What `createMcpHttpHandler` takes: how the MCP tools reach the API, and the limits on sessions. */
export interface McpHttpHandlerOptions<Caller extends McpCaller = McpCaller> {
  /** The API root the tools call, such as the server's own URL. */
  baseUrl: string;
  /**
   * Where resource subscriptions open the event stream (a WebSocket, which `fetch` cannot carry).
   * By default baseUrl, or with `fetch` given, the address and port the request came in on.
   */
  eventStreamBaseUrl?: string;
  /** How to send those calls; the server passes one that answers in-process. */
  fetch?: FetchFunction;
  /** Sessions that received no request for this long are closed (5 minutes by default). */
  sessionIdleMs?: number;
  /** How often idle sessions are looked for (the idle time, at most a minute, by default). */
  idleSweepIntervalMs?: number;
  /** Open sessions one owner may hold (20 by default); the next initialize is refused. */
  maxSessionsPerOwner?: number;
  /** The clock idle time is measured with (Date.now by default). */
  now?: () => number;
  /** How often an open event stream gets a keep-alive comment (15 s by default), which also tells the client it is open. */
  sseKeepAliveMs?: number;
  /** Told when a session opened, with the caller that opened it (the server watches its credential). */
  onSessionOpened?: (sessionId: string, caller: Caller) => void;
  /** Told when a session closed, for whatever reason. */
  onSessionClosed?: (sessionId: string) => void;
  version?: string;
}

interface Session<Caller extends McpCaller> {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  caller: Caller;
  lastUsedAt: number;
}

/** Thrown by `handle`, before anything is written, when an initialize would pass the owner's cap. */
export class McpSessionLimitError extends Error {
  constructor(readonly limit: number) {
    super(`At most ${limit} open MCP sessions per agent or user. Close one (DELETE /mcp with its Mcp-Session-Id) or reuse it.`);
  }
}

/** Handles the Streamable HTTP MCP endpoint for authenticated callers. */
export interface McpHttpHandler<Caller extends McpCaller = McpCaller> {
  /**
   * Serves one request (POST, GET or DELETE) for a caller whose credential the host already
   * checked. Rejects with McpSessionLimitError, having written nothing, when the caller already
   * holds the most sessions allowed and asks for another.
   */
  handle(request: IncomingMessage, response: ServerResponse, parsedBody: unknown, caller: Caller): Promise<void>;
  /** Whether this request would be refused with McpSessionLimitError (so a host can answer first, in its own format). */
  isOverSessionLimit(request: IncomingMessage, parsedBody: unknown, owner: string): boolean;
  /** Closes one session (its credential was revoked): its streams end and its id stops working. */
  closeSession(sessionId: string): Promise<void>;
  /** Open (and opening) sessions, of one owner or of everyone. */
  sessionCount(owner?: string): number;
  /** Closes every session. */
  close(): Promise<void>;
}

function sendJsonRpcError(response: ServerResponse, status: number, code: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/** The server's own origin as this request reached it, for a WebSocket back to the same process. */
function localOriginOf(request: IncomingMessage): string | undefined {
  const { localAddress, localPort } = request.socket;
  if (!localAddress || !localPort) return undefined;
  const host = localAddress.includes(':') ? `[${localAddress}]` : localAddress;
  const secure = 'encrypted' in request.socket && request.socket.encrypted === true;
  return `${secure ? 'https' : 'http'}://${host}:${localPort}`;
}

function sessionIdOf(request: IncomingMessage): string | undefined {
  const header = request.headers['mcp-session-id'];
  return Array.isArray(header) ? header[0] : header;
}

/**
 * Streamable HTTP with sessions: each session gets its own MCP server (which keeps the lease
 * tokens of its claims) bound to the credential that opened it. Sessions are capped per owner and
 * closed when idle, so a caller cannot grow the server's memory without bound.
 */
export function createMcpHttpHandler<Caller extends McpCaller = McpCaller>(options: McpHttpHandlerOptions<Caller>): McpHttpHandler<Caller> {
  const sessions = new Map<string, Session<Caller>>();
  /** Initializations under way, per owner: they count against the cap before their session exists. */
  const opening = new Map<string, number>();
  const idleMs = options.sessionIdleMs ?? 5 * 60 * 1_000;
  const limit = options.maxSessionsPerOwner ?? 20;
  const now = options.now ?? Date.now;

  function countOf(owner: string): number {
    let count = opening.get(owner) ?? 0;
    for (const session of sessions.values()) if (session.caller.owner === owner) count += 1;
    return count;
  }

  function isNewSession(request: IncomingMessage, parsedBody: unknown): boolean {
    return !sessionIdOf(request) && request.method === 'POST' && isInitializeRequest(parsedBody);
  }

  async function closeSession(sessionId: string): Promise<void> {
    const session = sessions.get(sessionId);
    if (!session) return;
    sessions.delete(sessionId);
    options.onSessionClosed?.(sessionId);
    await session.transport.close().catch(() => {});
    await session.server.close().catch(() => {});
  }

  const sweeper = setInterval(() => {
    const at = now();
    for (const [id, session] of sessions) {
      if (at - session.lastUsedAt > idleMs) void closeSession(id);
    }
  }, options.idleSweepIntervalMs ?? Math.min(idleMs, 60_000));
  sweeper.unref();

  return {
    isOverSessionLimit(request, parsedBody, owner) {
      return isNewSession(request, parsedBody) && countOf(owner) >= limit;
    },

    sessionCount(owner) {
      if (owner !== undefined) return countOf(owner);
      let count = sessions.size;
      for (const pending of opening.values()) count += pending;
      return count;
    },

    closeSession,

    async handle(request, response, parsedBody, caller) {
      const sessionId = sessionIdOf(request);
      if (sessionId) {
        const session = sessions.get(sessionId);
        if (!session) {
          sendJsonRpcError(
            response,
            404,
            -32001,
            'Session not found: it expired, was closed or the server restarted. Initialize a new session.',
          );
          return;
        }
        // A session belongs to the credential that opened it.
        if (session.caller.credential !== caller.credential) {
          sendJsonRpcError(response, 403, -32003, 'This session was opened with another credential.');
          return;
        }
        session.lastUsedAt = now();
        await session.transport.handleRequest(request, response, parsedBody);
        return;
      }
      if (!isNewSession(request, parsedBody)) {
        sendJsonRpcError(
          response,
          400,
          -32000,
          'Send an initialize request first (without an Mcp-Session-Id header), then use the session id it returns.',
        );
        return;
      }
      // Checked and counted before the first await, so concurrent initializations cannot pass the cap together.
      if (countOf(caller.owner) >= limit) throw new McpSessionLimitError(limit);
      opening.set(caller.owner, (opening.get(caller.owner) ?? 0) + 1);
      try {
        const client = new MissionControl({
          baseUrl: options.baseUrl,
          apiKey: caller.credential,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
        const streamBaseUrl = options.eventStreamBaseUrl ?? (options.fetch ? localOriginOf(request) : undefined);
        const events = streamBaseUrl ? new MissionControl({ baseUrl: streamBaseUrl, apiKey: caller.credential }) : undefined;
        const server = createMissionControlMcpServer({
          client,
          ...(events ? { events } : {}),
          ...(options.version ? { version: options.version } : {}),
        });
        const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          ...(options.sseKeepAliveMs ? { keepAliveMs: options.sseKeepAliveMs } : {}),
          onsessioninitialized: (id) => {
            sessions.set(id, { transport, server, caller, lastUsedAt: now() });
            options.onSessionOpened?.(id, caller);
          },
        });
        transport.onclose = () => {
          const id = transport.sessionId;
          if (id && sessions.delete(id)) options.onSessionClosed?.(id);
        };
        await server.connect(transport);
        await transport.handleRequest(request, response, parsedBody);
      } finally {
        const pending = (opening.get(caller.owner) ?? 1) - 1;
        if (pending <= 0) opening.delete(caller.owner);
        else opening.set(caller.owner, pending);
      }
    },

    async close() {
      clearInterval(sweeper);
      const open = [...sessions.keys()];
      await Promise.all(open.map((id) => closeSession(id)));
    },
  };
}
