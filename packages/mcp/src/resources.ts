import type { Agent, Message, Task } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Variables } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';

/** The URI of WORKING.md, the one fixed resource. */
export const workingStateUri = 'mission://working-state/WORKING.md';

/** Completions answered at most, as the protocol allows. */
const maxCompletions = 100;

/** A task and its thread as markdown, for the thread resource and the prompts. */
export function renderThread(task: Task, messages: Message[]): string {
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

/** One variable of a matched URI template, decoded. */
function variableOf(variables: Variables, name: string): string {
  const value = variables[name];
  return decodeURIComponent((Array.isArray(value) ? value[0] : value) ?? '');
}

/** Task keys (TASK-7) starting with what was typed, newest first; typed words also search titles. */
export async function completeTaskKeys(client: MissionControl, typed: string): Promise<string[]> {
  const prefix = typed.trim().toUpperCase();
  const byWords = prefix.length > 0 && !/^[A-Z]+-?\d*$/.test(prefix);
  const tasks = await client.tasks.list({ limit: 100, ...(byWords ? { q: typed.trim() } : {}) }).toArray(200);
  const keys = tasks.map((task) => task.key);
  return (byWords ? keys : keys.filter((key) => key.toUpperCase().startsWith(prefix))).slice(0, maxCompletions);
}

/** Agent names starting with what was typed. */
export async function completeAgentNames(client: MissionControl, typed: string): Promise<string[]> {
  const prefix = typed.trim().toLowerCase();
  const agents = await client.agents.list({ limit: 100 }).toArray(500);
  return agents
    .map((agent) => agent.name)
    .filter((name) => name.toLowerCase().startsWith(prefix))
    .sort()
    .slice(0, maxCompletions);
}

/** An agent by id or by name (names are what completion offers and what @mentions use). */
async function findAgent(client: MissionControl, reference: string): Promise<Agent> {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(reference)) return client.agents.get(reference);
  const agents = await client.agents.list({ limit: 100 }).toArray(500);
  const match = agents.find((agent) => agent.name.toLowerCase() === reference.toLowerCase());
  // The API's own answer for an unknown agent, so the error reads the same as any other.
  return match ?? client.agents.get(reference);
}

/** A markdown view of an agent, for the agent resource. */
function renderAgent(agent: Agent): string {
  return [
    `# ${agent.name}`,
    '',
    `Role: ${agent.role} · Kind: ${agent.kind} · Status: ${agent.status}`,
    `Capabilities: ${agent.capabilities.length ? agent.capabilities.join(', ') : 'none'}`,
    `Last heartbeat: ${agent.lastHeartbeatAt ?? 'never'}`,
    `id: ${agent.id}`,
  ].join('\n');
}

const json = (uri: URL, value: unknown) => ({
  contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }],
});
const markdown = (uri: URL, text: string) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text }] });

/**
 * The resources: WORKING.md, and templates for a task (JSON), a task's thread (markdown), a
 * document (markdown) and an agent (markdown), with completion of task keys and agent names.
 */
export function registerResources(server: McpServer, client: MissionControl): void {
  const taskKeys = (value: string) => completeTaskKeys(client, value);

  server.registerResource(
    'working-md',
    workingStateUri,
    {
      title: 'WORKING.md',
      description: "The team's shared working state: agents, tasks by column, recent activity, notes. Subscribe to hear when it changes.",
      mimeType: 'text/markdown',
    },
    async (uri) => markdown(uri, await client.workingState.getMarkdown()),
  );

  server.registerResource(
    'task',
    new ResourceTemplate('mission://tasks/{key}', { list: undefined, complete: { key: taskKeys } }),
    {
      title: 'Task',
      description: 'A task by key (TASK-7) or id, as JSON: status, priority, assignees, lease.',
      mimeType: 'application/json',
    },
    async (uri, variables) => json(uri, await client.tasks.get(variableOf(variables, 'key'))),
  );

  server.registerResource(
    'task-thread',
    new ResourceTemplate('mission://tasks/{taskId}/thread', { list: undefined, complete: { taskId: taskKeys } }),
    {
      title: 'Task thread',
      description: 'A task (by id or key, such as TASK-7) with its whole thread, as markdown. Subscribe to hear of new messages.',
      mimeType: 'text/markdown',
    },
    async (uri, variables) => {
      const task = await client.tasks.get(variableOf(variables, 'taskId'));
      const messages = await client.messages.list(task.id, { limit: 200 }).toArray(500);
      return markdown(uri, renderThread(task, messages));
    },
  );

  server.registerResource(
    'document',
    new ResourceTemplate('mission://documents/{id}', { list: undefined }),
    { title: 'Document', description: 'The latest version of a document, as markdown.', mimeType: 'text/markdown' },
    async (uri, variables) => {
      const document = await client.documents.get(variableOf(variables, 'id'));
      return markdown(uri, `# ${document.title}\n\n_version ${document.version}, ${document.type}_\n\n${document.content}`);
    },
  );

  server.registerResource(
    'agent',
    new ResourceTemplate('mission://agents/{id}', { list: undefined, complete: { id: (value) => completeAgentNames(client, value) } }),
    { title: 'Agent', description: 'An agent by id or name: role, kind, status, capabilities, last heartbeat.', mimeType: 'text/markdown' },
    async (uri, variables) => markdown(uri, renderAgent(await findAgent(client, variableOf(variables, 'id')))),
  );
}
