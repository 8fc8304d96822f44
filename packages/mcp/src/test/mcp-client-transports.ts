// Test support for the MCP tests: the two ways a client reaches Mission Control's MCP server.
import { fileURLToPath } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { RealServer } from '../../../sdk/src/test/real-server.js';

const binary = fileURLToPath(new URL('../../../cli/dist/bin.js', import.meta.url));

/** Opens a client transport to the server as the agent holding the key. */
export type TransportFactory = (server: RealServer, apiKey: string) => Transport;

/** `mission mcp` as a child process, with the key in its environment. */
export const overStdio: TransportFactory = (server, apiKey) =>
  new StdioClientTransport({
    command: process.execPath,
    args: [binary, 'mcp'],
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', MISSION_URL: server.url, MISSION_API_KEY: apiKey },
    stderr: 'pipe',
  });

/** The server's Streamable HTTP endpoint, with the key as a Bearer token. */
export const overHttp: TransportFactory = (server, apiKey) =>
  new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${apiKey}` } } });

/** The text parts of a tool result, joined by lines. */
export function textOf(result: unknown): string {
  const content = typeof result === 'object' && result !== null ? Reflect.get(result, 'content') : undefined;
  if (!Array.isArray(content)) return '';
  return content.map((part: { type?: string; text?: string }) => (part.type === 'text' ? (part.text ?? '') : '')).join('\n');
}
