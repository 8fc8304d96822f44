import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('workspace archives: export and import', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine, { integrations: { allowPrivateTargets: true } });
  });
  afterEach(async () => {
    await server.close();
  });

  const db = () => server.database.db;
  const exportArchive = (token?: string) =>
    server.request({ method: 'POST', url: '/api/v1/workspace/export', ...(token === undefined ? {} : { token }) });

  /** A board with a built-in agent (and its key), a webhook, dependent tasks, a thread with a reply and a reaction, a versioned document. */
  async function seedWorkspace() {
    const { agent, apiKey } = await server.createAgentWithKey({ name: 'jarvis', capabilities: ['typescript'] });
    const runtime = await server.request({
      method: 'PUT',
      url: `/api/v1/agents/${agent.id}/runtime`,
      payload: { runtime: 'builtin', provider: 'anthropic', model: 'claude-test', instructions: 'Review every pull request twice.' },
    });
    expect(runtime.statusCode, runtime.body).toBe(200);
    const webhook = await server.request({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: 'http://127.0.0.1:9/hooks', events: ['task-created'] },
    });
    expect(webhook.statusCode, webhook.body).toBe(201);
    const first = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { title: 'Design the schema', priority: 'high', requiredCapabilities: ['typescript'] },
    });
    expect(first.statusCode, first.body).toBe(201);
    const second = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: {
        title: 'Write the migration',
        assignees: [{ kind: 'agent', id: agent.id }],
        dependencyIds: [first.json().id],
        parentId: first.json().id,
      },
    });
    expect(second.statusCode, second.body).toBe(201);
    const question = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${first.json().id}/messages`,
      payload: { content: 'Which engine first?', type: 'question' },
    });
    expect(question.statusCode, question.body).toBe(201);
    const reply = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${first.json().id}/messages`,
      payload: { content: 'Both, in one migration.', replyToId: question.json().id },
      token: apiKey,
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const reaction = await server.request({
      method: 'POST',
      url: `/api/v1/messages/${reply.json().id}/reactions`,
      payload: { emoji: '👍' },
    });
    expect(reaction.statusCode, reaction.body).toBeLessThan(300);
    const document = await server.request({
      method: 'POST',
      url: '/api/v1/documents',
      payload: { title: 'Schema notes', content: 'First draft', type: 'research', taskId: first.json().id },
      token: apiKey,
    });
    expect(document.statusCode, document.body).toBe(201);
    const edited = await server.request({
      method: 'PATCH',
      url: `/api/v1/documents/${document.json().id}`,
      payload: { content: 'Second draft', baseVersion: 1 },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    return { agent, apiKey, webhookSecret: webhook.json().secret as string };
  }

  it('exports without a secret and imports into a new workspace with the same tasks, messages, documents and agents', async () => {
    const seeded = await seedWorkspace();
    const exported = await exportArchive();
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.headers['content-disposition']).toBe('attachment; filename="mission-control-workspace-2026-01-01.json"');
    const text = exported.body;
    const archive = exported.json();
    expect(archive).toMatchObject({ formatVersion: 1, workspace: { name: 'Default workspace', slug: 'default', taskKeyPrefix: 'TASK' } });
    expect(archive.agents).toEqual([
      expect.objectContaining({
        name: 'jarvis',
        capabilities: ['typescript'],
        runtime: expect.objectContaining({ runtime: 'builtin', model: 'claude-test', instructions: 'Review every pull request twice.' }),
      }),
    ]);

    // No secret of any kind in the archive's text.
    const secrets = [
      seeded.apiKey,
      seeded.webhookSecret,
      ...(await db().selectFrom('api_keys').select('secret_hash').execute()).map((row) => row.secret_hash),
      ...(await db().selectFrom('webhook_endpoints').select('secret').execute()).map((row) => row.secret),
      ...(await db().selectFrom('refresh_tokens').select('token_hash').execute()).map((row) => row.token_hash),
      ...(await db().selectFrom('agent_runtimes').select('credential').execute()).flatMap((row) =>
        row.credential ? [row.credential] : [],
      ),
    ];
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/whsec_|mc_agent|"secret|credential|@example\.com/);

    const imported = await server.request({ method: 'POST', url: '/api/v1/workspaces/import', payload: archive });
    expect(imported.statusCode, imported.body).toBe(201);
    const workspace = imported.json();
    expect(workspace).toMatchObject({ name: 'Default workspace', slug: 'default-imported', taskKeyPrefix: 'TASK' });
    expect(workspace.id).not.toBe(server.workspaceId);

    const content = async (workspaceId: string) => ({
      tasks: await db()
        .selectFrom('tasks')
        .select(['number', 'title', 'status', 'priority', 'description'])
        .where('workspace_id', '=', workspaceId)
        .orderBy('number')
        .execute(),
      messages: await db()
        .selectFrom('messages')
        .select(['content', 'type', 'author_kind'])
        .where('workspace_id', '=', workspaceId)
        .orderBy('created_at')
        .orderBy('content')
        .execute(),
      documents: await db()
        .selectFrom('documents')
        .select(['title', 'content', 'version', 'type'])
        .where('workspace_id', '=', workspaceId)
        .execute(),
      versions: await db()
        .selectFrom('document_versions')
        .select(['version', 'content'])
        .where('workspace_id', '=', workspaceId)
        .orderBy('version')
        .execute(),
      agents: await db()
        .selectFrom('agents')
        .select(['name', 'role', 'kind', 'capabilities', 'session_key'])
        .where('workspace_id', '=', workspaceId)
        .where('deleted_at', 'is', null)
        .execute(),
      reactions: await db().selectFrom('message_reactions').select(['emoji']).where('workspace_id', '=', workspaceId).execute(),
    });
    const source = await content(server.workspaceId);
    const copy = await content(workspace.id);
    expect(copy).toEqual(source);
    expect(copy.tasks).toHaveLength(2);
    expect(copy.messages).toHaveLength(2);
    expect(copy.versions).toHaveLength(2);

    // References were remapped into the new workspace: parent, dependency, assignee, reply, document's task, agent authorship.
    const newTasks = await db().selectFrom('tasks').selectAll().where('workspace_id', '=', workspace.id).orderBy('number').execute();
    const newAgent = await db().selectFrom('agents').selectAll().where('workspace_id', '=', workspace.id).executeTakeFirstOrThrow();
    expect(newTasks[1]?.parent_id).toBe(newTasks[0]?.id);
    expect(await db().selectFrom('task_dependencies').selectAll().where('workspace_id', '=', workspace.id).execute()).toEqual([
      { task_id: newTasks[1]?.id, depends_on_id: newTasks[0]?.id, workspace_id: workspace.id },
    ]);
    expect(
      await db().selectFrom('task_assignees').select(['task_id', 'assignee_id']).where('workspace_id', '=', workspace.id).execute(),
    ).toEqual([{ task_id: newTasks[1]?.id, assignee_id: newAgent.id }]);
    const newMessages = await db()
      .selectFrom('messages')
      .selectAll()
      .where('workspace_id', '=', workspace.id)
      .orderBy('created_at')
      .execute();
    const newReply = newMessages.find((message) => message.reply_to_id !== null);
    expect(newReply).toMatchObject({ author_kind: 'agent', author_id: newAgent.id, task_id: newTasks[0]?.id });
    expect(newMessages.map((message) => message.id)).toContain(newReply?.reply_to_id);
    const runtime = await db().selectFrom('agent_runtimes').selectAll().where('agent_id', '=', newAgent.id).executeTakeFirstOrThrow();
    expect(runtime).toMatchObject({ runtime: 'builtin', model: 'claude-test', credential: null, workspace: null });

    // The importer owns it, and the board reads through the API with the kept task keys.
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@example.com', password: 'correct horse battery staple', workspaceId: workspace.id },
    });
    const token = login.json().accessToken as string;
    const task = await server.request({ method: 'GET', url: '/api/v1/tasks/TASK-2', token });
    expect(task.statusCode, task.body).toBe(200);
    expect(task.json()).toMatchObject({ title: 'Write the migration' });
    const created = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'After the import' }, token });
    expect(created.json().key).toBe('TASK-3');
    const events = await db().selectFrom('events').select('type').where('workspace_id', '=', workspace.id).orderBy('seq').execute();
    expect(events.map((event) => event.type).slice(0, 2)).toEqual(['workspace-created', 'workspace-imported']);
    const audit = await db()
      .selectFrom('audit_entries')
      .select('action')
      .where('action', 'in', ['workspace.exported', 'workspace.imported'])
      .execute();
    expect(audit.map((entry) => entry.action).sort()).toEqual(['workspace.exported', 'workspace.imported']);
  });

  it('answers 422 WORKSPACE_ARCHIVE_INVALID to a malformed archive and creates nothing', async () => {
    await seedWorkspace();
    const archive = (await exportArchive()).json();
    const countWorkspaces = async () => (await db().selectFrom('workspaces').select('id').execute()).length;
    const before = await countWorkspaces();
    const broken = [
      { formatVersion: 99 },
      { ...archive, tasks: [{ ...archive.tasks[0], status: 'somewhere' }] },
      // A message on a task that is not in the archive: the schema passes, the references do not.
      { ...archive, messages: [{ ...archive.messages[0], taskId: '01a238ba-cd51-741e-8e4a-746eb3182453' }] },
      { ...archive, tasks: [{ ...archive.tasks[0], dependsOn: [archive.tasks[1].id] }, { ...archive.tasks[1] }] },
    ];
    for (const payload of broken) {
      const answer = await server.request({ method: 'POST', url: '/api/v1/workspaces/import', payload });
      expect(answer.statusCode, `${broken.indexOf(payload)}: ${answer.body}`).toBe(422);
      expect(answer.json().error.code).toBe('WORKSPACE_ARCHIVE_INVALID');
      expect(answer.json().error.details.issues.length).toBeGreaterThan(0);
    }
    expect(await countWorkspaces()).toBe(before);
    expect(await db().selectFrom('tasks').select('id').execute()).toHaveLength(2);
  });

  describe('who may', () => {
    it('answers 403 to a member exporting the workspace', async () => {
      const member = await server.addMember({ email: 'member@example.com', role: 'member' });
      const answer = await exportArchive(member.token);
      expect(answer.statusCode).toBe(403);
    });

    it('answers 403 to an agent importing an archive', async () => {
      const { apiKey } = await server.createAgentWithKey();
      const archive = (await exportArchive()).json();
      const answer = await server.request({ method: 'POST', url: '/api/v1/workspaces/import', payload: archive, token: apiKey });
      expect(answer.statusCode).toBe(403);
    });
  });
});
