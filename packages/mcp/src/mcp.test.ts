import { MissionControl } from '@mission-control/sdk';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandLine, describeEachEngine, type RealServer, startRealServer } from '../../sdk/src/test/real-server.js';
import { overHttp, overStdio, type TransportFactory, textOf } from './test/mcp-client-transports.js';

const expectedTools = [
  'check_in',
  'claim_next_task',
  'claim_task',
  'create_subtasks',
  'find_skill',
  'forget',
  'list_attachments',
  'list_document_shares',
  'list_my_tasks',
  'list_notifications',
  'list_workflow_runs',
  'mark_notifications_read',
  'post_message',
  'propose_agent',
  'read_attachment',
  'read_document',
  'read_github_file',
  'read_skill',
  'read_task',
  'read_working_state',
  'recall',
  'remember',
  'request_budget_raise',
  'revoke_document_share',
  'search_github',
  'share_document',
  'start_workflow',
  'update_task_status',
  'update_working_state',
  'write_document',
];

function isError(result: unknown): boolean {
  return typeof result === 'object' && result !== null && Reflect.get(result, 'isError') === true;
}

/** Lists every tool, calls each one, and checks what it changed on the server. */
function describeToolSet(name: string, engine: 'sqlite' | 'postgres', createTransport: TransportFactory) {
  describe(name, () => {
    let server: RealServer;
    let owner: MissionControl;
    let agent: { id: string; name: string };
    let client: Client;

    beforeAll(async () => {
      server = await startRealServer(engine);
      owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
      const created = await server.createAgentWithKey({ capabilities: ['writing'] });
      agent = created.agent;
      client = new Client({ name: 'mission-control-test', version: '1.0.0' });
      await client.connect(createTransport(server, created.apiKey));
    }, 60_000);
    afterAll(async () => {
      await client?.close();
      await server?.close();
    });

    it('lists every tool with a description written for a model', async () => {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(expectedTools);
      for (const tool of tools) {
        expect(tool.description?.length ?? 0).toBeGreaterThan(80);
        expect(tool.inputSchema.type).toBe('object');
      }
    });

    it('remembers a lesson, recalls it by a question in other words and forgets it', async () => {
      const remembered = await client.callTool({
        name: 'remember',
        arguments: { content: 'The release checklist lives in the ops wiki under Runbooks.', kind: 'lesson', importance: 4 },
      });
      expect(isError(remembered)).toBe(false);
      const memoryId = /Remembered \(lesson, importance 4\): (\S+)/.exec(textOf(remembered))?.[1] as string;
      expect((await owner.memories.list(agent.id).toArray(10)).map((memory) => memory.id)).toEqual([memoryId]);
      const recalled = await client.callTool({ name: 'recall', arguments: { query: 'where is the release checklist?' } });
      expect(textOf(recalled)).toContain(`${memoryId} [lesson, importance 4] The release checklist`);
      const forgotten = await client.callTool({ name: 'forget', arguments: { memoryId } });
      expect(isError(forgotten)).toBe(false);
      expect(await owner.memories.list(agent.id).toArray(10)).toEqual([]);
    });

    it('finds a skill by a question, reads it for the task in progress and the outcome counts toward it', async () => {
      const skill = await owner.skills.create({
        name: 'Rotate database credentials',
        description: 'When the vault warns that a password expires',
        body: '1. Open the vault\n2. Run rotate-credentials\n3. Restart the workers',
      });
      const task = await owner.tasks.create({ title: 'Password expires Friday', assignees: [{ kind: 'agent', id: agent.id }] });
      await owner.tasks.updateStatus(task.id, { status: 'in_progress' });
      const found = await client.callTool({ name: 'find_skill', arguments: { query: 'how do I rotate the database password?' } });
      expect(isError(found)).toBe(false);
      expect(textOf(found)).toContain(`${skill.id} "Rotate database credentials"`);
      const read = await client.callTool({ name: 'read_skill', arguments: { skillId: skill.id } });
      expect(isError(read)).toBe(false);
      expect(textOf(read)).toContain('linked to 1 task(s)');
      expect(textOf(read)).toContain('Run rotate-credentials');
      await owner.tasks.updateStatus(task.id, { status: 'done' });
      expect((await owner.skills.get(skill.id)).usage).toEqual({ uses: 1, succeeded: 1, failed: 0 });
      expect(await owner.skills.usedBy(agent.id)).toEqual([
        expect.objectContaining({ skillId: skill.id, usage: { uses: 1, succeeded: 1, failed: 0 } }),
      ]);
    });

    it('works a task end to end: check in, claim, read, reply, subtasks, documents, WORKING.md, notifications, done', async () => {
      const task = await owner.tasks.create({
        title: 'Research competitors',
        description: 'Three competitors, one paragraph each.',
        assignees: [{ kind: 'agent', id: agent.id }],
      });
      const question = await owner.messages.post(task.key, { content: `@${agent.name} start with the biggest one`, type: 'question' });

      const checkIn = await client.callTool({ name: 'check_in', arguments: { status: 'active' } });
      expect(isError(checkIn)).toBe(false);
      expect(textOf(checkIn)).toContain('Work is waiting');
      expect((await owner.agents.get(agent.id)).lastHeartbeatAt).not.toBeNull();

      const mine = await client.callTool({ name: 'list_my_tasks', arguments: {} });
      expect(textOf(mine)).toContain(task.key);

      const claimed = await client.callTool({ name: 'claim_next_task', arguments: {} });
      expect(textOf(claimed)).toContain(`Claimed ${task.key}`);
      expect(textOf(claimed)).not.toContain('token');
      const stored = await owner.tasks.get(task.id);
      expect(stored.status).toBe('in_progress');
      expect(stored.lease?.holder.id).toBe(agent.id);

      const read = await client.callTool({ name: 'read_task', arguments: { taskId: task.key } });
      expect(textOf(read)).toContain('start with the biggest one');
      expect(textOf(read)).toContain('you hold its lease');

      const reply = await client.callTool({
        name: 'post_message',
        arguments: { taskId: task.key, content: 'On it', type: 'answer', replyToId: question.id },
      });
      expect(isError(reply)).toBe(false);
      const thread = await owner.messages.list(task.id).toArray();
      expect(thread.at(-1)).toMatchObject({ content: 'On it', type: 'answer', replyToId: question.id });

      const subtasks = await client.callTool({
        name: 'create_subtasks',
        arguments: { parentTaskId: task.key, subtasks: [{ title: 'Competitor A' }, { title: 'Competitor B', priority: 'high' }] },
      });
      expect(isError(subtasks)).toBe(false);
      const children = await owner.tasks.list({ parentId: task.id }).toArray();
      expect(children.map((child) => child.title).sort()).toEqual(['Competitor A', 'Competitor B']);

      const written = await client.callTool({
        name: 'write_document',
        arguments: { title: 'Competitors', content: '# v1', taskId: task.key, type: 'research' },
      });
      const documentId = /id ([0-9a-f-]{36})/.exec(textOf(written))?.[1] ?? '';
      expect(documentId).not.toBe('');
      await client.callTool({ name: 'write_document', arguments: { documentId, content: '# v2', baseVersion: 1 } });
      expect(await owner.documents.get(documentId)).toMatchObject({ version: 2, content: '# v2', taskId: task.id });
      const document = await client.callTool({ name: 'read_document', arguments: { documentId } });
      expect(textOf(document)).toContain('# v2');
      const oldVersion = await client.callTool({ name: 'read_document', arguments: { documentId, version: 1 } });
      expect(textOf(oldVersion)).toContain('# v1');

      const working = await client.callTool({ name: 'read_working_state', arguments: {} });
      const version = Number(/notes version (\d+)/.exec(textOf(working))?.[1]);
      expect(Number.isInteger(version)).toBe(true);
      const updated = await client.callTool({ name: 'update_working_state', arguments: { notes: 'Researching competitors', version } });
      expect(isError(updated)).toBe(false);
      expect((await owner.workingState.get()).notes).toBe('Researching competitors');
      const stale = await client.callTool({ name: 'update_working_state', arguments: { notes: 'stale', version } });
      expect(isError(stale)).toBe(true);
      expect(textOf(stale)).toContain('error PRECONDITION_FAILED');
      expect(textOf(stale)).toContain('read_working_state');

      const notifications = await client.callTool({ name: 'list_notifications', arguments: {} });
      expect(textOf(notifications)).toContain('mentioned');
      await client.callTool({ name: 'mark_notifications_read', arguments: { all: true } });
      const agentClientPage = await client.callTool({ name: 'list_notifications', arguments: {} });
      expect(textOf(agentClientPage)).toContain('0 unread');

      // No lease token in the arguments: the session kept the one from the claim.
      const done = await client.callTool({
        name: 'update_task_status',
        arguments: { taskId: task.key, status: 'done', reason: 'report written' },
      });
      expect(isError(done)).toBe(false);
      expect((await owner.tasks.get(task.id)).status).toBe('done');
    });

    it('answers mistakes with tool errors carrying the server code and what to do', async () => {
      const task = await owner.tasks.create({ title: 'Taken' });
      const other = await server.createAgentWithKey();
      await new MissionControl({ baseUrl: server.url, apiKey: other.apiKey }).tasks.claim(task.key);
      const taken = await client.callTool({ name: 'claim_task', arguments: { taskId: task.key } });
      expect(isError(taken)).toBe(true);
      expect(textOf(taken)).toMatch(/^error TASK_ALREADY_CLAIMED: /);
      expect(textOf(taken)).toContain('claim_next_task');

      const missing = await client.callTool({ name: 'update_task_status', arguments: { taskId: 'TASK-9999', status: 'done' } });
      expect(isError(missing)).toBe(true);
      expect(textOf(missing)).toContain('error TASK_NOT_FOUND');

      const badStatus = await client.callTool({ name: 'update_task_status', arguments: { taskId: task.key, status: 'finished' } });
      expect(isError(badStatus)).toBe(true);

      const noTitle = await client.callTool({ name: 'write_document', arguments: { content: 'x' } });
      expect(isError(noTitle)).toBe(true);
      expect(textOf(noTitle)).toContain('VALIDATION_FAILED');

      // The server is still there after the errors.
      expect(isError(await client.callTool({ name: 'read_working_state', arguments: {} }))).toBe(false);
    });

    it('serves WORKING.md and task threads as resources', async () => {
      const task = await owner.tasks.create({ title: 'Threaded' });
      await owner.messages.post(task.key, { content: 'first message' });
      const { resources } = await client.listResources();
      expect(resources.map((resource) => resource.uri)).toContain('mission://working-state/WORKING.md');
      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates.map((template) => template.uriTemplate)).toContain('mission://tasks/{taskId}/thread');

      const working = await client.readResource({ uri: 'mission://working-state/WORKING.md' });
      expect(JSON.stringify(working.contents)).toContain('WORKING');
      const thread = await client.readResource({ uri: `mission://tasks/${task.key}/thread` });
      const text = thread.contents[0] && 'text' in thread.contents[0] ? String(thread.contents[0].text) : '';
      expect(text).toContain('# ');
      expect(text).toContain('Threaded');
      expect(text).toContain('first message');
    });
  });
}

beforeAll(async () => {
  await buildCommandLine();
}, 120_000);

describeEachEngine('the MCP server', (engine) => {
  describeToolSet('over stdio (mission mcp)', engine, overStdio);
  describeToolSet('over Streamable HTTP (/mcp)', engine, overHttp);
});

describe('the /mcp endpoint', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startRealServer('sqlite');
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 401 with the error body when the caller sends no valid key', async () => {
    const anonymous = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('UNAUTHENTICATED');
    const wrong = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer mc_wrong' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
  });

  it('refuses a session opened by another credential', async () => {
    const first = await server.createAgentWithKey();
    const second = await server.createAgentWithKey();
    const transport = overHttp(server, first.apiKey);
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
    const sessionId = (transport as StreamableHTTPClientTransport).sessionId ?? '';
    const hijack = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${second.apiKey}`,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(hijack.status).toBe(403);
    await client.close();
  });
});
