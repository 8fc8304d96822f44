import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTemporaryRepository, type TemporaryRepository } from '../../../../../packages/runtime/src/test/temporary-repository.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('agent workspace settings', (engine) => {
  let server: TestServer;
  let repository: TemporaryRepository;
  let agentId: string;
  let agentKey: string;

  beforeEach(async () => {
    repository = createTemporaryRepository();
    server = await createTestServer(engine, {
      agentWorkspaces: {
        repositoryRoots: [path.dirname(repository.path)],
        commandPath: process.env.PATH ?? '/usr/bin:/bin',
        gitEnvironment: repository.environment,
      },
    });
    const { agent, apiKey } = await server.createAgentWithKey();
    agentId = agent.id;
    agentKey = apiKey;
  });
  afterEach(async () => {
    await server?.close();
    repository?.remove();
  });

  const putRuntime = (payload: Record<string, unknown>, token?: string) =>
    server.request({ method: 'PUT', url: `/api/v1/agents/${agentId}/runtime`, payload, ...(token ? { token } : {}) });

  async function signInAs(role: 'admin' | 'member') {
    const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    return (await server.addMember({ email, role })).token;
  }

  it('stores a repository with default limits, shows it, records it in the feed, and removes it with null', async () => {
    const answer = await putRuntime({
      runtime: 'builtin',
      workspace: { repositoryPath: `${repository.path}/`, allowedCommands: ['npm test', 'node'] },
    });
    expect(answer.statusCode).toBe(200);
    const expected = {
      repositoryPath: repository.path,
      allowedCommands: ['npm test', 'node'],
      commandTimeoutSeconds: 120,
      outputLimitBytes: 65_536,
    };
    expect(answer.json().workspace).toEqual(expected);
    const shown = await server.request({ method: 'GET', url: `/api/v1/agents/${agentId}/runtime` });
    expect(shown.json().workspace).toEqual(expected);
    const row = await server.database.db
      .selectFrom('agent_runtimes')
      .select('workspace')
      .where('agent_id', '=', agentId)
      .executeTakeFirstOrThrow();
    expect(typeof row.workspace === 'string' ? JSON.parse(row.workspace) : row.workspace).toEqual(expected);
    const events = await server.database.db
      .selectFrom('events')
      .select(['summary', 'data'])
      .where('type', '=', 'agent-runtime-updated')
      .where('agent_id', '=', agentId)
      .execute();
    expect(events.at(-1)?.summary).toContain(`working in ${repository.path}`);

    // Changing the model leaves the workspace as it is.
    expect((await putRuntime({ model: 'qwen3' })).json().workspace).toEqual(expected);
    const removed = await putRuntime({ workspace: null });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().workspace).toBeNull();
  });

  it('refuses paths that are not absolute, not a repository, not its top folder, or without a commit, in plain words', async () => {
    const relative = await putRuntime({ workspace: { repositoryPath: 'repos/app' } });
    expect(relative.statusCode).toBe(400);
    expect(relative.json().error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(relative.json().error)).toContain('absolute path');

    const missing = await putRuntime({ workspace: { repositoryPath: path.join(path.dirname(repository.path), 'missing') } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'REPOSITORY_NOT_USABLE', message: expect.stringContaining('does not exist') });

    const plain = path.join(path.dirname(repository.path), 'plain');
    fs.mkdirSync(plain);
    const notGit = await putRuntime({ workspace: { repositoryPath: plain } });
    expect(notGit.json().error).toMatchObject({ code: 'REPOSITORY_NOT_USABLE', message: expect.stringContaining('not a git repository') });

    fs.mkdirSync(path.join(repository.path, 'src'));
    const inner = await putRuntime({ workspace: { repositoryPath: path.join(repository.path, 'src') } });
    expect(inner.json().error).toMatchObject({ code: 'REPOSITORY_NOT_USABLE', message: expect.stringContaining('name its top folder') });

    const tooLong = await putRuntime({ workspace: { repositoryPath: repository.path, commandTimeoutSeconds: 100_000 } });
    expect(tooLong.statusCode).toBe(400);
    // Nothing was stored by the refused requests.
    expect((await server.request({ method: 'GET', url: `/api/v1/agents/${agentId}/runtime` })).json().workspace).toBeNull();
  });

  it('refuses repositories outside the folders the operator allows', async () => {
    const elsewhere = createTemporaryRepository();
    try {
      const answer = await putRuntime({ workspace: { repositoryPath: elsewhere.path } });
      expect(answer.statusCode).toBe(409);
      expect(answer.json().error).toMatchObject({
        code: 'REPOSITORY_NOT_ALLOWED',
        message: expect.stringContaining('MISSION_AGENT_REPOSITORY_ROOTS'),
      });
    } finally {
      elsewhere.remove();
    }
  });

  it('lets owners and admins set it, never members or agents', async () => {
    const workspace = { repositoryPath: repository.path };
    const asAgent = await putRuntime({ workspace }, agentKey);
    expect(asAgent.statusCode).toBe(403);
    const asMember = await putRuntime({ workspace }, await signInAs('member'));
    expect(asMember.statusCode).toBe(403);
    expect(asMember.json().error.code).toBe('FORBIDDEN');
    // A member still manages the rest of the runtime.
    expect((await putRuntime({ stepLimit: 5 }, await signInAs('member'))).statusCode).toBe(200);
    const asAdmin = await putRuntime({ workspace }, await signInAs('admin'));
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.json().workspace.repositoryPath).toBe(repository.path);
  });

  it('is off until the operator names folders', async () => {
    const off = await createTestServer(engine);
    try {
      const { agent } = await off.createAgentWithKey();
      const answer = await off.request({
        method: 'PUT',
        url: `/api/v1/agents/${agent.id}/runtime`,
        payload: { workspace: { repositoryPath: repository.path } },
      });
      expect(answer.statusCode).toBe(409);
      expect(answer.json().error).toMatchObject({
        code: 'REPOSITORY_NOT_ALLOWED',
        message: expect.stringContaining('does not let built-in agents'),
      });
    } finally {
      await off.close();
    }
  });
});
