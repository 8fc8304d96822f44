import { MissionControl } from '@mission-control/sdk';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandLine, describeEachEngine, type RealServer, startRealServer } from '../../sdk/src/test/real-server.js';
import { overHttp, overStdio, type TransportFactory, textOf } from './test/mcp-client-transports.js';

function promptText(result: { messages: { content: { type: string; text?: string } }[] }): string {
  return result.messages.map((message) => (message.content.type === 'text' ? (message.content.text ?? '') : '')).join('\n');
}

/** Resolves with the next resources/updated notification for the URI (the test's timeout bounds the wait). */
function nextUpdate(updates: string[], waiters: Map<string, () => void>, uri: string): Promise<void> {
  return new Promise((resolve) => {
    waiters.set(uri, () => {
      waiters.delete(uri);
      resolve();
    });
    if (updates.includes(uri)) waiters.get(uri)?.();
  });
}

/** The protocol surface beyond tools: annotations, output schemas, strict input, prompts, templates, completion, subscriptions, logging. */
function describeProtocol(name: string, engine: 'sqlite' | 'postgres', createTransport: TransportFactory) {
  describe(name, () => {
    let server: RealServer;
    let owner: MissionControl;
    let agent: { id: string; name: string };
    let client: Client;
    let protocolVersion: string | undefined;
    const updates: string[] = [];
    const waiters = new Map<string, () => void>();
    const logs: { level: string; data?: unknown }[] = [];
    const logWaiters: (() => void)[] = [];

    beforeAll(async () => {
      server = await startRealServer(engine);
      owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
      const created = await server.createAgentWithKey({ capabilities: ['writing'] });
      agent = created.agent;
      client = new Client({ name: 'mission-control-protocol-test', version: '1.0.0' });
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
        updates.push(notification.params.uri);
        waiters.get(notification.params.uri)?.();
      });
      client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
        logs.push(notification.params);
        for (const waiter of logWaiters) waiter();
      });
      const transport = createTransport(server, created.apiKey);
      // The client hands the negotiated version to transports that take it; this one records it.
      const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
      transport.setProtocolVersion = (version: string) => {
        protocolVersion = version;
        setProtocolVersion?.(version);
      };
      await client.connect(transport);
    }, 60_000);
    afterAll(async () => {
      await client?.close();
      await server?.close();
    });

    it('speaks protocol 2025-11-25 and declares logging, prompts, completions and resource subscriptions', async () => {
      expect(protocolVersion).toBe('2025-11-25');
      const capabilities = client.getServerCapabilities();
      expect(capabilities?.logging).toEqual({});
      expect(capabilities?.prompts).toBeDefined();
      expect(capabilities?.completions).toBeDefined();
      expect(capabilities?.resources?.subscribe).toBe(true);
      await expect(client.setLoggingLevel('info')).resolves.toEqual({});
    });

    it('lists annotations, a strict input schema and an output schema for every tool', async () => {
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThanOrEqual(30);
      for (const tool of tools) {
        expect(tool.annotations, tool.name).toMatchObject({
          readOnlyHint: expect.any(Boolean),
          destructiveHint: expect.any(Boolean),
          idempotentHint: expect.any(Boolean),
          openWorldHint: expect.any(Boolean),
        });
        expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
        expect(tool.outputSchema?.type, tool.name).toBe('object');
      }
      const byName = new Map(tools.map((tool) => [tool.name, tool]));
      expect(byName.get('list_my_tasks')?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(byName.get('forget')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
      expect(byName.get('post_message')?.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: false });
      expect(byName.get('search_github')?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
      expect(Object.keys(byName.get('list_my_tasks')?.outputSchema?.properties ?? {})).toEqual(['tasks']);
    });

    it('answers structuredContent that matches the stored task, with the text kept', async () => {
      const task = await owner.tasks.create({ title: 'Structured', assignees: [{ kind: 'agent', id: agent.id }] });
      const listed = await client.callTool({ name: 'list_my_tasks', arguments: {} });
      expect(listed.isError).toBeFalsy();
      const structured = listed.structuredContent as { tasks: { id: string; key: string; title: string; status: string }[] };
      expect(structured.tasks).toContainEqual(
        expect.objectContaining({ id: task.id, key: task.key, title: 'Structured', status: 'assigned' }),
      );
      expect(textOf(listed)).toContain(task.key);

      const claimed = await client.callTool({ name: 'claim_task', arguments: { taskId: task.key } });
      expect(claimed.structuredContent).toMatchObject({ task: { id: task.id, status: 'in_progress' }, leaseExpiresAt: expect.any(String) });
      expect(JSON.stringify(claimed.structuredContent)).not.toContain('token');
      expect((await owner.tasks.get(task.id)).lease?.holder.id).toBe(agent.id);
      // Finished, so the agent is free for the claim of the last test.
      const done = await client.callTool({ name: 'update_task_status', arguments: { taskId: task.key, status: 'done' } });
      expect(done.structuredContent).toMatchObject({ task: { id: task.id, status: 'done', lease: null } });
      expect((await owner.tasks.get(task.id)).status).toBe('done');

      const state = await client.callTool({ name: 'read_working_state', arguments: {} });
      expect(state.structuredContent).toMatchObject({ version: (await owner.workingState.get()).version, markdown: expect.any(String) });
    });

    it('refuses an unknown argument with a clear error instead of ignoring it', async () => {
      await owner.tasks.create({ title: 'Still open', assignees: [{ kind: 'agent', id: agent.id }] });
      const refused = await client.callTool({ name: 'list_my_tasks', arguments: { status: ['done'] } });
      expect(refused.isError).toBe(true);
      expect(refused.structuredContent).toBeUndefined();
      expect(textOf(refused)).toContain('Invalid arguments for tool list_my_tasks');
      expect(textOf(refused)).toContain('status');
      expect(textOf(refused)).not.toContain('Still open');
      // The argument it does take still works.
      const done = await client.callTool({ name: 'list_my_tasks', arguments: { statuses: ['done'] } });
      expect(done.isError).toBeFalsy();
      const doneTasks = (done.structuredContent as { tasks: { title: string; status: string }[] }).tasks;
      expect(doneTasks.map((task) => [task.title, task.status])).toEqual([['Structured', 'done']]);
    });

    it('builds each prompt from real data', async () => {
      const { prompts } = await client.listPrompts();
      expect(prompts.map((prompt) => prompt.name).sort()).toEqual(['plan_goal', 'review_task', 'start_my_shift', 'write_standup']);
      expect(prompts.find((prompt) => prompt.name === 'review_task')?.arguments).toEqual([
        expect.objectContaining({ name: 'task', required: true }),
      ]);

      const task = await owner.tasks.create({ title: 'Prompted work', assignees: [{ kind: 'agent', id: agent.id }] });
      await owner.messages.post(task.key, { content: 'Please check the numbers twice' });
      const working = await owner.workingState.get();
      await owner.workingState.update({ notes: 'Release on Friday', version: working.version });

      const shift = promptText(await client.getPrompt({ name: 'start_my_shift' }));
      expect(shift).toContain(task.key);
      expect(shift).toContain('Release on Friday');
      expect(shift).toContain(agent.name);

      const plan = promptText(await client.getPrompt({ name: 'plan_goal', arguments: { goal: 'Launch the beta' } }));
      expect(plan).toContain('Launch the beta');
      expect(plan).toContain(`@${agent.name}`);
      expect(plan).toContain(task.key);

      const review = promptText(await client.getPrompt({ name: 'review_task', arguments: { task: task.key } }));
      expect(review).toContain(`# ${task.key}: Prompted work`);
      expect(review).toContain('Please check the numbers twice');

      const standup = promptText(await client.getPrompt({ name: 'write_standup' }));
      expect(standup).toContain(task.key);
      expect(standup).toContain(agent.name);
    });

    it('reads task, document and agent templates and completes task keys and agent names', async () => {
      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates.map((template) => template.uriTemplate).sort()).toEqual([
        'mission://agents/{id}',
        'mission://documents/{id}',
        'mission://tasks/{key}',
        'mission://tasks/{taskId}/thread',
      ]);
      const task = await owner.tasks.create({ title: 'Templated' });
      const document = await owner.documents.create({ title: 'Spec', content: '# The spec body', taskId: task.id });

      const read = await client.readResource({ uri: `mission://tasks/${task.key}` });
      const first = read.contents[0];
      expect(first?.mimeType).toBe('application/json');
      expect(JSON.parse(first && 'text' in first ? String(first.text) : '{}')).toMatchObject({
        id: task.id,
        key: task.key,
        title: 'Templated',
      });
      const doc = await client.readResource({ uri: `mission://documents/${document.id}` });
      expect(JSON.stringify(doc.contents)).toContain('The spec body');
      const byName = await client.readResource({ uri: `mission://agents/${agent.name}` });
      expect(JSON.stringify(byName.contents)).toContain(agent.id);

      const keys = await client.complete({
        ref: { type: 'ref/resource', uri: 'mission://tasks/{key}' },
        argument: { name: 'key', value: task.key },
      });
      expect(keys.completion.values).toEqual([task.key]);
      const prefix = task.key.split('-')[0] ?? '';
      const all = await client.complete({
        ref: { type: 'ref/resource', uri: 'mission://tasks/{key}' },
        argument: { name: 'key', value: prefix },
      });
      expect(all.completion.values).toContain(task.key);
      const names = await client.complete({
        ref: { type: 'ref/resource', uri: 'mission://agents/{id}' },
        argument: { name: 'id', value: agent.name.slice(0, 8) },
      });
      expect(names.completion.values).toContain(agent.name);
      const promptKeys = await client.complete({
        ref: { type: 'ref/prompt', name: 'review_task' },
        argument: { name: 'task', value: task.key },
      });
      expect(promptKeys.completion.values).toEqual([task.key]);
    });

    it('sends resources/updated for WORKING.md and a task thread while subscribed, and stops after unsubscribe', async () => {
      updates.length = 0;
      const task = await owner.tasks.create({ title: 'Watched' });
      const threadUri = `mission://tasks/${task.key}/thread`;
      const workingUri = 'mission://working-state/WORKING.md';
      await client.subscribeResource({ uri: workingUri });
      await client.subscribeResource({ uri: threadUri });

      const working = nextUpdate(updates, waiters, workingUri);
      const before = await owner.workingState.get();
      await owner.workingState.update({ notes: 'Watching the thread', version: before.version });
      await working;

      updates.length = 0;
      const thread = nextUpdate(updates, waiters, threadUri);
      await owner.messages.post(task.key, { content: 'a new reply' });
      await thread;

      await client.unsubscribeResource({ uri: threadUri });
      updates.length = 0;
      await owner.messages.post(task.key, { content: 'after unsubscribe' });
      // Events arrive in order: had the thread still been followed, its update would come before this one.
      const after = nextUpdate(updates, waiters, workingUri);
      const current = await owner.workingState.get();
      await owner.workingState.update({ notes: 'Done watching', version: current.version });
      await after;
      expect(updates).not.toContain(threadUri);
      await client.unsubscribeResource({ uri: workingUri });
    });

    it('refuses a subscription to a resource that cannot change or does not exist', async () => {
      await expect(client.subscribeResource({ uri: 'mission://documents/whatever' })).rejects.toThrow(/can be subscribed to/);
      await expect(client.subscribeResource({ uri: 'mission://tasks/TASK-99999/thread' })).rejects.toThrow();
    });

    // Last: it moves the server's clock past the lease.
    it('logs a warning when a lease the session held is lost, and still posts the message', async () => {
      const task = await owner.tasks.create({ title: 'Leased', assignees: [{ kind: 'agent', id: agent.id }] });
      const claimed = await client.callTool({ name: 'claim_task', arguments: { taskId: task.key, leaseSeconds: 30 } });
      expect(claimed.isError ? textOf(claimed) : 'claimed').toBe('claimed');
      server.clock.advance(120_000);
      logs.length = 0;
      const isLeaseLost = (entry: { data?: unknown }) => JSON.stringify(entry.data ?? null).includes('was lost');
      const logged = new Promise<void>((resolve) => logWaiters.push(() => logs.some(isLeaseLost) && resolve()));
      const posted = await client.callTool({ name: 'post_message', arguments: { taskId: task.key, content: 'still here' } });
      expect(posted.isError).toBeFalsy();
      await logged;
      expect(logs.find(isLeaseLost)).toMatchObject({ level: 'warning', data: { taskId: task.id, code: expect.stringMatching(/^LEASE_/) } });
      expect((await owner.messages.list(task.id).toArray()).at(-1)?.content).toBe('still here');
    });
  });
}

beforeAll(async () => {
  await buildCommandLine();
}, 120_000);

describeEachEngine('the MCP protocol surface', (engine) => {
  describeProtocol('over stdio (mission mcp)', engine, overStdio);
  describeProtocol('over Streamable HTTP (/mcp)', engine, overHttp);
});
