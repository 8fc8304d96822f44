import type { MissionControl } from '@mission-control/sdk';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMissionControlMcpServer } from './server.js';

/** Serves the Mission Control tools over stdio (what `mission mcp` runs) until stdin closes. */
export async function runStdioServer(client: MissionControl, version?: string): Promise<void> {
  const server = createMissionControlMcpServer({ client, ...(version ? { version } : {}) });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  await closed;
}
