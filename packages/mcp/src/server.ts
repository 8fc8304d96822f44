import type { MissionControl } from '@mission-control/sdk';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { createAgentTools } from './agent-tools.js';
import { LeaseStore } from './lease-store.js';
import { registerPrompts } from './prompts.js';
import { type LogNotice, registerResourceSubscriptions } from './resource-subscriptions.js';
import { registerResources } from './resources.js';

/** What `createMissionControlMcpServer` takes. */
export interface MissionControlMcpServerOptions {
  /** The SDK client of the agent (or user) the tools act as. */
  client: MissionControl;
  /**
   * The client whose event stream resource subscriptions follow: the same credential, at a URL a
   * WebSocket can reach (the server's tools call it in-process, which a socket cannot). `client` by default.
   */
  events?: MissionControl;
  /** Reported to MCP clients. */
  version?: string;
}

/**
 * Builds an MCP server exposing an agent's working set: tools (check in, list and claim tasks,
 * update status, messages, documents, WORKING.md, notifications, …) with annotations and output
 * schemas, prompts, resources with templates, completion and subscriptions, and logging. One
 * server per session: it keeps the lease tokens of the claims it makes.
 */
export function createMissionControlMcpServer(options: MissionControlMcpServerOptions): McpServer {
  const { client } = options;
  const leases = new LeaseStore();

  const server = new McpServer(
    { name: 'mission-control', title: 'Mission Control', version: options.version ?? '0.1.0' },
    {
      capabilities: { logging: {}, tools: {}, prompts: {}, resources: { subscribe: true } },
      instructions:
        'Mission Control is the task board and shared memory of your agent team. Start each work session with check_in, ' +
        'then claim_next_task (or claim_task), post progress with post_message, and finish with update_task_status. ' +
        'Lease tokens from claims are kept for you. Read WORKING.md (read_working_state) for the team plan; ' +
        'the prompts start_my_shift, plan_goal, review_task and write_standup set up the common routines.',
    },
  );

  const log: LogNotice = (level, message, data) => {
    // With the session id, a level the client set with logging/setLevel applies over HTTP too.
    const sessionId = server.server.transport?.sessionId;
    void server.sendLoggingMessage({ level, logger: 'mission-control', data: { message, ...data } }, sessionId).catch(() => {});
  };

  for (const tool of createAgentTools({ client, leases, onNotice: log })) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        // Strict, so a misspelt or invented argument is refused instead of silently ignored.
        inputSchema: z.strictObject(tool.inputSchema),
        ...(tool.outputSchema ? { outputSchema: z.object(tool.outputSchema) } : {}),
        ...(tool.annotations ? { annotations: { title: tool.title, ...tool.annotations } } : {}),
      },
      (input: Record<string, unknown>) => tool.run(input),
    );
  }

  registerResources(server, client);
  registerPrompts(server, client);
  const stopSubscriptions = registerResourceSubscriptions({ server, client, events: options.events ?? client, log });
  const closed = server.server.onclose;
  server.server.onclose = () => {
    stopSubscriptions();
    closed?.();
  };

  return server;
}
