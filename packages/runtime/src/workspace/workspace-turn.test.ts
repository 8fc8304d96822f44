import fs from 'node:fs';
import path from 'node:path';
import { MissionControl } from '@mission-control/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type RealServer, startRealServer } from '../../../sdk/src/test/real-server.js';
import { runAgentTurn } from '../agent-turn.js';
import { createLanguageModel } from '../providers.js';
import { type ScriptedAnswer, type ScriptedModelServer, startScriptedModelServer } from '../test/scripted-model-server.js';
import { createTemporaryRepository, type TemporaryRepository } from '../test/temporary-repository.js';

describeEachEngine('a built-in turn with a workspace', (engine) => {
  let server: RealServer;
  let model: ScriptedModelServer;
  let owner: MissionControl;
  let repository: TemporaryRepository;

  beforeAll(async () => {
    server = await startRealServer(engine);
    model = await startScriptedModelServer();
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
    repository = createTemporaryRepository();
  }, 60_000);
  afterAll(async () => {
    await model?.close();
    await server?.close();
    repository?.remove();
  });

  it('claims its task, writes and patches files, runs an allowed command, is refused outside, and commits on the task branch', async () => {
    const { agent, apiKey } = await server.createAgentWithKey({ capabilities: ['code'] });
    const task = await owner.tasks.create({ title: 'Add a greeting module', requiredCapabilities: ['code'] });
    const calls: ScriptedAnswer[] = [
      { toolCalls: [{ name: 'claim_task', arguments: { taskId: task.key } }] },
      {
        toolCalls: [
          { name: 'write_file', arguments: { path: 'src/greet.mjs', content: "export const greet = (name) => 'hello ' + name;\n" } },
        ],
      },
      {
        toolCalls: [
          {
            name: 'apply_patch',
            arguments: {
              patch: '--- a/README.md\n+++ b/README.md\n@@ -1,3 +1,3 @@\n # Test repository\n \n-line two\n+line two, patched\n',
            },
          },
        ],
      },
      {
        toolCalls: [
          {
            name: 'run_command',
            arguments: { command: `node --input-type=module -e "import { greet } from './src/greet.mjs'; console.log(greet('squad'))"` },
          },
        ],
      },
      { toolCalls: [{ name: 'write_file', arguments: { path: '../escaped.txt', content: 'out' } }] },
      { toolCalls: [{ name: 'read_file', arguments: { path: '/etc/passwd' } }] },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'curl https://example.com' } }] },
      { toolCalls: [{ name: 'list_files', arguments: { recursive: true } }] },
      { toolCalls: [{ name: 'run_javascript', arguments: { code: '[3, 4].map((n) => n * n)' } }] },
      { toolCalls: [{ name: 'update_task_status', arguments: { taskId: task.key, status: 'review' } }] },
      { text: 'Greeting module written and tested; sent to review.' },
    ];
    model.setScript((request) => calls[request.toolResultCount] ?? { text: 'done' });
    const record = await runAgentTurn({
      client: new MissionControl({ baseUrl: server.url, apiKey }),
      agentId: agent.id,
      model: createLanguageModel({ provider: 'openai-compatible', model: 'gpt-4o-mini', baseUrl: model.baseUrl }),
      provider: 'openai-compatible',
      modelName: 'gpt-4o-mini',
      stepLimit: 20,
      trigger: 'test',
      fetchUrl: false,
      workspace: {
        settings: {
          repositoryPath: repository.path,
          allowedCommands: ['node', 'npm test'],
          commandTimeoutSeconds: 30,
          outputLimitBytes: 8_192,
        },
        commandPath: process.env.PATH ?? '/usr/bin:/bin',
        gitEnvironment: repository.environment,
      },
    });

    expect(record.outcome).toBe('completed');
    const toolSteps = record.steps.filter((step) => step.kind === 'tool-call');
    const byName = (name: string) => toolSteps.filter((step) => step.toolName === name);
    expect(toolSteps.map((step) => [step.toolName, step.isError])).toEqual([
      ['claim_task', false],
      ['write_file', false],
      ['apply_patch', false],
      ['run_command', false],
      ['write_file', true],
      ['read_file', true],
      ['run_command', true],
      ['list_files', false],
      ['run_javascript', false],
      ['update_task_status', false],
    ]);
    expect(byName('run_command')[0]?.result).toContain('hello squad');
    expect(byName('write_file')[1]?.result).toContain('".."');
    expect(byName('read_file')[0]?.result).toContain('outside the worktree');
    expect(byName('run_command')[1]?.result).toContain('not an allowed command');
    expect(byName('list_files')[0]?.result).toContain('src/greet.mjs');
    expect(byName('run_javascript')[0]?.result).toContain('result: [9,16]');
    expect(model.requests.at(-1)?.toolNames).toEqual(
      expect.arrayContaining(['list_files', 'read_file', 'write_file', 'apply_patch', 'run_command', 'run_javascript']),
    );
    expect(record.prompt.system).toContain('## Workspace');

    // The work is committed on the task's branch, by the agent, and the run's output says where.
    const branch = `mission/${task.key.toLowerCase()}`;
    const worktree = path.join(repository.path, '.mission', 'worktrees', task.key);
    expect(record.workspace).toMatchObject({ branch, worktreePath: worktree, error: null });
    const commit = record.workspace?.commit as string;
    expect(repository.git('rev-parse', branch).trim()).toBe(commit);
    expect(repository.git('log', '-1', '--format=%an|%s', branch).trim()).toBe(`${agent.name}|${task.key}: ${task.title}`);
    expect(repository.git('show', '--name-only', '--format=', branch).trim().split('\n').sort()).toEqual(['README.md', 'src/greet.mjs']);
    expect(record.output).toContain(`Committed ${commit.slice(0, 12)} on branch ${branch}`);
    expect(record.output).toContain('2 files changed');
    // Nothing escaped, and the main checkout did not move.
    expect(fs.existsSync(path.join(repository.path, '.mission', 'worktrees', 'escaped.txt'))).toBe(false);
    expect(repository.git('status', '--porcelain')).toBe('');
    expect((await owner.tasks.get(task.id)).status).toBe('review');
  });

  it('refuses the file tools until the turn has a task, and commits nothing', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    model.setScript((request) =>
      request.toolResultCount === 0
        ? { toolCalls: [{ name: 'write_file', arguments: { path: 'x.txt', content: 'x' } }] }
        : { text: 'Nothing to do.' },
    );
    const record = await runAgentTurn({
      client: new MissionControl({ baseUrl: server.url, apiKey }),
      agentId: agent.id,
      model: createLanguageModel({ provider: 'openai-compatible', model: 'gpt-4o-mini', baseUrl: model.baseUrl }),
      provider: 'openai-compatible',
      modelName: 'gpt-4o-mini',
      stepLimit: 4,
      trigger: 'test',
      fetchUrl: false,
      workspace: {
        settings: { repositoryPath: repository.path, allowedCommands: [], commandTimeoutSeconds: 30, outputLimitBytes: 8_192 },
        commandPath: process.env.PATH ?? '/usr/bin:/bin',
        gitEnvironment: repository.environment,
      },
    });
    const step = record.steps.find((entry) => entry.kind === 'tool-call');
    expect(step).toMatchObject({ toolName: 'write_file', isError: true, result: expect.stringContaining('claim your task first') });
    expect(record.workspace).toBeNull();
  });
});
