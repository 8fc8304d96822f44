import path from 'node:path';
import type { AgentRunDetail } from '@mission-control/contracts';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import {
  type ScriptedAnswer,
  type ScriptedModelServer,
  startScriptedModelServer,
} from '../../../../packages/runtime/src/test/scripted-model-server.js';
import { createTemporaryRepository, type TemporaryRepository } from '../../../../packages/runtime/src/test/temporary-repository.js';
import { createInjectFetch } from '../http/inject-fetch.js';
import { describeEachEngine } from '../test/engines.js';
import { createTestServer, ownerEmail, ownerPassword, type TestServer } from '../test/test-server.js';
import { AgentScheduler } from './agent-scheduler.js';

describeEachEngine('built-in agents working in a repository', (engine) => {
  let server: TestServer;
  let model: ScriptedModelServer;
  let repository: TemporaryRepository;
  let scheduler: AgentScheduler;

  beforeAll(async () => {
    model = await startScriptedModelServer();
  });
  afterAll(async () => {
    await model?.close();
  });
  beforeEach(async () => {
    repository = createTemporaryRepository();
    server = await createTestServer(engine, {
      agentWorkspaces: {
        repositoryRoots: [path.dirname(repository.path)],
        commandPath: process.env.PATH ?? '/usr/bin:/bin',
        gitEnvironment: repository.environment,
      },
    });
    scheduler = new AgentScheduler({
      context: server.services.context,
      heartbeats: server.services.heartbeats,
      agents: server.services.agents,
      agentRuntimeSettings: server.services.agentRuntimeSettings,
      agentRuns: server.services.agentRuns,
      agentUsage: server.services.agentUsage,
      apiFetch: createInjectFetch(server.app),
      models: {
        defaultEndpoint: { baseUrl: model.baseUrl, apiKey: 'test', model: 'gpt-4o-mini' },
        anthropic: undefined,
        openai: undefined,
        defaultModel: 'gpt-4o-mini',
      },
      random: () => 0.5,
    });
  }, 60_000);
  afterEach(async () => {
    await scheduler?.stop();
    await server?.close();
    repository?.remove();
  });

  /** The owner's requests with a token signed at the test clock's time. */
  async function api(method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) {
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: ownerEmail, password: ownerPassword },
    });
    const token = (login.json() as { accessToken: string }).accessToken;
    return server.request({ method, url, token, ...(payload ? { payload } : {}) });
  }

  async function tick() {
    await scheduler.tick();
    await scheduler.drain();
    server.clock.advance(60_000);
  }

  function script(calls: ScriptedAnswer[]) {
    model.setScript((request) => calls[request.toolResultCount] ?? { text: 'done' });
  }

  async function latestRun(agentId: string): Promise<AgentRunDetail> {
    const runs = (await api('GET', `/api/v1/agents/${agentId}/runs`)).json() as { data: { id: string }[] };
    return (await api('GET', `/api/v1/runs/${runs.data[0]?.id}`)).json() as AgentRunDetail;
  }

  it('takes a task, writes a file, runs an allowed command, and its change is committed on the task branch', async () => {
    const { agent } = await server.createAgentWithKey({ capabilities: ['code'], heartbeatIntervalSeconds: 60 });
    const configured = await api('PUT', `/api/v1/agents/${agent.id}/runtime`, {
      runtime: 'builtin',
      stepLimit: 12,
      workspace: { repositoryPath: repository.path, allowedCommands: ['node'], commandTimeoutSeconds: 30, outputLimitBytes: 8_192 },
    });
    expect(configured.statusCode).toBe(200);
    const task = (await api('POST', '/api/v1/tasks', { title: 'Add a sum module', requiredCapabilities: ['code'] })).json() as {
      id: string;
      key: string;
    };
    script([
      { toolCalls: [{ name: 'claim_next_task', arguments: {} }] },
      { toolCalls: [{ name: 'write_file', arguments: { path: 'lib/sum.cjs', content: 'module.exports = (a, b) => a + b;\n' } }] },
      { toolCalls: [{ name: 'run_command', arguments: { command: `node -e "console.log('sum=' + require('./lib/sum.cjs')(2, 3))"` } }] },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'git push origin HEAD' } }] },
      { toolCalls: [{ name: 'update_task_status', arguments: { taskId: task.key, status: 'review', reason: 'sum module written' } }] },
      { text: 'Wrote lib/sum.cjs and checked it; in review.' },
    ]);
    await tick();
    expect(scheduler.stats.turns).toBe(1);

    const run = await latestRun(agent.id);
    expect(run.status).toBe('completed');
    const tools = run.steps.filter((step) => step.kind === 'tool-call');
    expect(tools.map((step) => [step.toolName, step.isError])).toEqual([
      ['claim_next_task', false],
      ['write_file', false],
      ['run_command', false],
      ['run_command', true],
      ['update_task_status', false],
    ]);
    expect(tools[2]?.result).toContain('sum=5');
    expect(tools[3]?.result).toContain('not an allowed command');

    const branch = `mission/${task.key.toLowerCase()}`;
    const commit = repository.git('rev-parse', branch).trim();
    expect(run.output).toContain(`Committed ${commit.slice(0, 12)} on branch ${branch}`);
    expect(run.output).toContain('lib/sum.cjs');
    expect(repository.git('log', '-1', '--format=%an|%s', branch).trim()).toBe(`${agent.name}|${task.key}: Add a sum module`);
    expect(repository.git('show', `${branch}:lib/sum.cjs`)).toBe('module.exports = (a, b) => a + b;\n');
    expect(repository.git('status', '--porcelain')).toBe('');
    expect(((await api('GET', `/api/v1/tasks/${task.id}`)).json() as { status: string }).status).toBe('review');

    // Sent back: the next turn works in the same worktree and adds a commit on the same branch.
    const sentBack = await api('POST', `/api/v1/tasks/${task.id}/send-back`, { comment: 'Also export a product function.' });
    expect(sentBack.statusCode).toBe(200);
    script([
      {
        toolCalls: [
          {
            name: 'apply_patch',
            arguments: {
              patch:
                '--- a/lib/sum.cjs\n+++ b/lib/sum.cjs\n@@ -1 +1,2 @@\n module.exports = (a, b) => a + b;\n+module.exports.product = (a, b) => a * b;\n',
            },
          },
        ],
      },
      { text: 'Added product.' },
    ]);
    await tick();
    expect(scheduler.stats.turns).toBe(2);
    const second = await latestRun(agent.id);
    expect(second.steps.find((step) => step.kind === 'tool-call')).toMatchObject({ toolName: 'apply_patch', isError: false });
    const next = repository.git('rev-parse', branch).trim();
    expect(next).not.toBe(commit);
    expect(repository.git('rev-parse', `${branch}~1`).trim()).toBe(commit);
    expect(second.output).toContain(`Committed ${next.slice(0, 12)} on branch ${branch}`);
    expect(repository.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(2);
  });

  it('gives an agent without a workspace no file or command tools', async () => {
    const { agent } = await server.createAgentWithKey({ heartbeatIntervalSeconds: 60 });
    await api('PUT', `/api/v1/agents/${agent.id}/runtime`, { runtime: 'builtin' });
    script([{ text: 'Nothing to do.' }]);
    const before = model.requests.length;
    await api('POST', `/api/v1/agents/${agent.id}/wake`);
    await tick();
    const offered = model.requests.slice(before).at(-1)?.toolNames ?? [];
    expect(offered).toContain('check_in');
    expect(offered).not.toContain('write_file');
    expect(offered).not.toContain('run_command');
    expect(offered).not.toContain('run_javascript');
  });
});
