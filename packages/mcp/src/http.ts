import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FetchFunction, MissionControl } from '@mission-control/sdk';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { createMissionControlMcpServer } from './server.js';

/** What `createMcpHttpHandler` takes: how the MCP tools reach the API. */
export interface McpHttpHandlerOptions {
  /** The API root the tools call, such as the server's own URL. */
  baseUrl: string;
  /** How to send those calls; the server passes one that answers in-process. */
  fetch?: FetchFunction;
  /** Sessions unused for this long are closed (30 minutes by default). */
  sessionIdleMs?: number;
  version?: string;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  credential: string;
  lastUsedAt: number;
}

/** Handles the Streamable HTTP MCP endpoint for authenticated callers. */
export interface McpHttpHandler {
  /** Serves one request (POST, GET or DELETE) for a caller whose credential the host already checked. */
  handle(request: IncomingMessage, response: ServerResponse, parsedBody: unknown, credential: string): Promise<void>;
  /** Closes every session. */
  close(): Promise<void>;
}

function sendJsonRpcError(response: ServerResponse, status: number, code: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/**
 * Streamable HTTP with sessions: each session gets its own MCP server (which keeps the lease
 * tokens of its claims) bound to the credential that opened it.
 */
export function createMcpHttpHandler(options: McpHttpHandlerOptions): McpHttpHandler {
  const sessions = new Map<string, Session>();
  const idleMs = options.sessionIdleMs ?? 30 * 60 * 1_000;
  const sweeper = setInterval(
    () => {
      const now = Date.now();
      for (const [id, session] of sessions) {
        if (now - session.lastUsedAt > idleMs) {
          sessions.delete(id);
          void session.transport.close();
        }
      }
    },
    Math.min(idleMs, 60_000),
  );
  sweeper.unref();

  return {
    async handle(request, response, parsedBody, credential) {
      const header = request.headers['mcp-session-id'];
      const sessionId = Array.isArray(header) ? header[0] : header;
      if (sessionId) {
        const session = sessions.get(sessionId);
        if (!session) {
          sendJsonRpcError(response, 404, -32001, 'Session not found: it expired or the server restarted. Initialize a new session.');
          return;
        }
        // A session belongs to the credential that opened it.
        if (session.credential !== credential) {
          sendJsonRpcError(response, 403, -32003, 'This session was opened with another credential.');
          return;
        }
        session.lastUsedAt = Date.now();
        await session.transport.handleRequest(request, response, parsedBody);
        return;
      }
      if (request.method !== 'POST' || !isInitializeRequest(parsedBody)) {
        sendJsonRpcError(
          response,
          400,
          -32000,
          'Send an initialize request first (without an Mcp-Session-Id header), then use the session id it returns.',
        );
        return;
      }
      const client = new MissionControl({
        baseUrl: options.baseUrl,
        apiKey: credential,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      const server = createMissionControlMcpServer({ client, ...(options.version ? { version: options.version } : {}) });
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, { transport, server, credential, lastUsedAt: Date.now() });
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await server.connect(transport);
      await transport.handleRequest(request, response, parsedBody);
    },
    async close() {
      clearInterval(sweeper);
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.all(open.map((session) => session.server.close().catch(() => {})));
    },
  };
}
