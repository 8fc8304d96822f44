import type { Message, Task } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createAgentTools } from './agent-tools.js';
import { LeaseStore } from './lease-store.js';

/** What `createMissionControlMcpServer` takes. */
export interface MissionControlMcpServerOptions {
  /** The SDK client of the agent (or user) the tools act as. */
  client: MissionControl;
  /** Reported to MCP clients. */
  version?: string;
}

/** A task and its thread as markdown, for the thread resource. */
function renderThread(task: Task, messages: Message[]): string {
  const lines = [`# ${task.key}: ${task.title}`, '', `Status: ${task.status} · Priority: ${task.priority}`, ''];
  if (task.description) lines.push(task.description, '');
  lines.push(`## Thread (${messages.length})`, '');
  for (const message of messages) {
    const reply = message.replyToId ? ` (reply to ${message.replyToId})` : '';
    lines.push(
      `### ${message.author.kind}:${message.author.id} — ${message.type}, ${message.createdAt}${reply}`,
      `id: ${message.id}`,
      '',
      message.content,
      '',
    );
  }
  return lines.join('\n');
}

/**
 * Builds an MCP server exposing an agent's working set as tools (check in, list and claim tasks,
 * update status, post messages, documents, WORKING.md, notifications) and resources (WORKING.md,
 * task threads). One server per session: it keeps the lease tokens of the claims it makes.
 */
export function createMissionControlMcpServer(options: MissionControlMcpServerOptions): McpServer {
  const { client } = options;
  const leases = new LeaseStore();

  const server = new McpServer(
    { name: 'mission-control', title: 'Mission Control', version: options.version ?? '0.1.0' },
    {
      instructions:
        'Mission Control is the task board and shared memory of your agent team. Start each work session with check_in, ' +
        'then claim_next_task (or claim_task), post progress with post_message, and finish with update_task_status. ' +
        'Lease tokens from claims are kept for you. Read WORKING.md (read_working_state) for the team plan.',
    },
  );

  for (const tool of createAgentTools({ client, leases })) {
    server.registerTool(tool.name, { title: tool.title, description: tool.description, inputSchema: tool.inputSchema }, (input) =>
      tool.run(input),
    );
  }

  server.registerResource(
    'working-md',
    'mission://working-state/WORKING.md',
    {
      title: 'WORKING.md',
      description: "The team's shared working state: agents, tasks by column, recent activity, notes.",
      mimeType: 'text/markdown',
    },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await client.workingState.getMarkdown() }] }),
  );

  server.registerResource(
    'task-thread',
    new ResourceTemplate('mission://tasks/{taskId}/thread', { list: undefined }),
    {
      title: 'Task thread',
      description: 'A task (by id or key, such as TASK-7) with its whole thread, as markdown.',
      mimeType: 'text/markdown',
    },
    async (uri, variables) => {
      const reference = Array.isArray(variables.taskId) ? variables.taskId[0] : variables.taskId;
      const task = await client.tasks.get(decodeURIComponent(reference ?? ''));
      const messages = await client.messages.list(task.id, { limit: 200 }).toArray(500);
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: renderThread(task, messages) }] };
    },
  );

  return server;
}
