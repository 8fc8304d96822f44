import fs from 'node:fs';
import path from 'node:path';
import type { Activity, RunnerAdapterName } from '@mission-control/contracts';
import { MissionControl } from '@mission-control/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type RealServer, startRealServer } from '../../sdk/src/test/real-server.js';
import { readRunnerConfigFile } from './runner-options.js';
import {
  createRepository,
  createTestRunner,
  gitIn,
  isAlive,
  removeRepositories,
  runsOfTask,
  testEnvironment,
  waitFor,
  waitForTaskStatus,
} from './test/runner-harness.js';

describeEachEngine('mission runner against a real server', (engine) => {
  let server: RealServer;
  let owner: MissionControl;

  beforeAll(async () => {
    server = await startRealServer(engine);
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken, retry: { retries: 0 } });
  });
  afterAll(async () => {
    await server?.close();
    removeRepositories();
  });

  async function agentWithTask(description: string, options: { title?: string; agent?: Record<string, unknown> } = {}) {
    const { agent, apiKey } = await server.createAgentWithKey(options.agent);
    const task = await owner.tasks.create({
      title: options.title ?? 'Update work.txt',
      description,
      assignees: [{ kind: 'agent', id: agent.id }],
    });
    return { agent, apiKey, task, client: new MissionControl({ baseUrl: server.url, apiKey }) };
  }

  const expectedUsage: Record<Exclude<RunnerAdapterName, 'process'>, { tokensIn: number; tokensOut: number; costMicroDollars: number }> = {
    // claude: input + cache read tokens, total_cost_usd 0.0123
    'claude-code': { tokensIn: 2_000, tokensOut: 340, costMicroDollars: 12_300 },
    // codex reports tokens only (turn.completed usage), no cost
    codex: { tokensIn: 1_200, tokensOut: 340, costMicroDollars: 0 },
    // gemini's result stats carry tokens, no cost
    gemini: { tokensIn: 1_200, tokensOut: 340, costMicroDollars: 0 },
    // opencode's step_finish: tokens with cache reads, cost 0.0087
    opencode: { tokensIn: 2_000, tokensOut: 340, costMicroDollars: 8_700 },
  };

  for (const adapter of ['claude-code', 'codex', 'gemini', 'opencode'] as const) {
    it(`takes a task through ${adapter} to review, with the branch committed by the agent and the usage and cost recorded`, async () => {
      const repository = createRepository();
      const { agent, apiKey, task } = await agentWithTask('Add a line to work.txt.');
      const { runner, log } = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter }], { once: true });
      await runner.start();
      await runner.finished;

      const done = await owner.tasks.get(task.id);
      expect(done.status, log.join('\n')).toBe('review');
      expect(done.lease).toBeNull();
      const branch = `mission/${task.key.toLowerCase()}`;
      expect(gitIn(repository, 'log', '-1', '--format=%an %s', branch)).toBe(`${agent.name} ${task.key}: ${task.title}`);
      const work = gitIn(repository, 'show', `${branch}:work.txt`);
      expect(work).toMatch(new RegExp(`^${adapter === 'claude-code' ? 'claude' : adapter} new \\S+: # ${task.key}: Update work.txt`));
      // The main checkout is untouched.
      expect(gitIn(repository, 'status', '--porcelain')).toBe('');

      const [run] = await runsOfTask(owner, task.id);
      expect(run).toMatchObject({
        trigger: 'runner',
        status: 'completed',
        adapter,
        runnerId: runner.runner?.id,
        branch,
        commit: gitIn(repository, 'rev-parse', branch),
        ...expectedUsage[adapter],
      });
      expect(run?.sessionId).toBeTruthy();
      const detail = await owner.runs.get(run?.id ?? '');
      expect(detail.prompt.prompt).toContain(`# ${task.key}: Update work.txt`);
      expect(detail.steps.some((step) => step.kind === 'tool-call')).toBe(true);
      expect(detail.steps.some((step) => step.kind === 'model')).toBe(true);
      const usage = await owner.runtime.usage({ agentId: agent.id });
      expect(usage.total).toMatchObject({ runs: 1, costMicroDollars: expectedUsage[adapter].costMicroDollars });

      const thread = await owner.messages.list(task.id).toArray();
      const summary = thread.at(-1)?.content ?? '';
      expect(summary).toContain(`Branch: \`${branch}\``);
      expect(summary).toContain(`Commit: \`${run?.commit}\``);
      expect(summary).toMatch(/work\.txt \| 1 \+/);
      if (process.env.MISSION_PRINT_TRANSCRIPT === '1' && adapter === 'claude-code') {
        process.stdout.write(`${JSON.stringify({ run: detail, summary, log }, null, 2)}\n`);
      }
    });
  }

  it('drives any command with the process adapter: prompt on stdin and in MISSION_PROMPT_FILE, stdout lines as steps', async () => {
    const repository = createRepository();
    const { agent, apiKey, task } = await agentWithTask('Write hello.');
    const script =
      'head -n 1 > first-line.txt; test -s "$MISSION_PROMPT_FILE" && echo "prompt file present"; printf "key=%s secret=%s passed=%s\\n" "$MISSION_API_KEY" "$SECRET_TOKEN" "$SHARED_SETTING"; echo done';
    const { runner } = createTestRunner(
      server.url,
      repository,
      [{ apiKey, agent: agent.id, adapter: 'process', command: ['sh', '-c', script] }],
      {
        once: true,
        // The runner's own key and unrelated secrets never reach the CLI; what is passed on purpose does.
        environment: { ...testEnvironment(), MISSION_API_KEY: apiKey, SECRET_TOKEN: 'hunter2', SHARED_SETTING: 'on' },
        passEnvironment: ['SHARED_SETTING'],
      },
    );
    await runner.start();
    await runner.finished;
    expect((await owner.tasks.get(task.id)).status).toBe('review');
    expect(gitIn(repository, 'show', `mission/${task.key.toLowerCase()}:first-line.txt`)).toBe(`# ${task.key}: Update work.txt`);
    const [run] = await runsOfTask(owner, task.id);
    const detail = await owner.runs.get(run?.id ?? '');
    expect(detail.steps.map((step) => [step.kind, step.text])).toEqual([
      ['output', 'prompt file present'],
      ['output', 'key= secret= passed=on'],
      ['output', 'done'],
    ]);
  });

  it('records malformed lines as parse-error steps and still finishes the run', async () => {
    const repository = createRepository();
    const { agent, apiKey, task } = await agentWithTask('fake:malformed');
    const { runner } = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'claude-code' }], { once: true });
    await runner.start();
    await runner.finished;
    expect((await owner.tasks.get(task.id)).status).toBe('review');
    const [run] = await runsOfTask(owner, task.id);
    const detail = await owner.runs.get(run?.id ?? '');
    expect(detail.status).toBe('completed');
    expect(detail.steps.filter((step) => step.kind === 'parse-error').map((step) => step.text)).toEqual([
      '{"type": "assistant", "message": {oops',
      'this is not JSON at all',
    ]);
  });

  it('moves the task to failed with the error in the thread when the CLI fails, and releases the lease', async () => {
    const repository = createRepository();
    const { agent, apiKey, task } = await agentWithTask('fake:fail');
    const { runner } = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'codex' }], { once: true });
    await runner.start();
    await runner.finished;
    const failed = await owner.tasks.get(task.id);
    expect(failed).toMatchObject({ status: 'failed', lease: null });
    const [run] = await runsOfTask(owner, task.id);
    expect(run).toMatchObject({ status: 'failed', error: expect.stringContaining('It went wrong.') });
    const thread = await owner.messages.list(task.id).toArray();
    expect(thread.at(-1)?.content).toMatch(/^Run failed: codex failed: /);
  });

  it('resumes the CLI session in the same worktree after a send-back', async () => {
    const repository = createRepository();
    const { agent, apiKey, task } = await agentWithTask('Add a line to work.txt.');
    const { runner, log } = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'claude-code' }]);
    await runner.start();
    try {
      await waitForTaskStatus(owner, task.id, ['review']);
      await owner.runtime.sendBack(task.id, 'Please also mention the follow-up in work.txt.');
      await waitFor(async () => ((await runsOfTask(owner, task.id)).length === 2 ? true : undefined), 'a follow-up run');
      await waitForTaskStatus(owner, task.id, ['review']);
    } finally {
      await runner.stop();
    }
    const [first, second] = await runsOfTask(owner, task.id);
    expect(second?.sessionId, log.join('\n')).toBe(first?.sessionId);
    expect((await owner.runs.get(second?.id ?? '')).prompt.prompt).toContain('Please also mention the follow-up in work.txt.');
    const branch = `mission/${task.key.toLowerCase()}`;
    const lines = gitIn(repository, 'show', `${branch}:work.txt`).split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^claude new /),
      `claude resumed ${first?.sessionId}: # ${task.key}: Update work.txt — follow-up`,
    ]);
    expect(gitIn(repository, 'rev-list', '--count', `main..${branch}`)).toBe('2');
  });

  it('reopens a task in review when someone @mentions its agent, and resumes the session', async () => {
    const repository = createRepository();
    const { agent, apiKey, task } = await agentWithTask('Add a line to work.txt.');
    const { runner } = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'codex' }]);
    await runner.start();
    try {
      await waitForTaskStatus(owner, task.id, ['review']);
      await owner.messages.post(task.id, { content: `@${agent.name} one more line, please` });
      await waitFor(async () => ((await runsOfTask(owner, task.id)).length === 2 ? true : undefined), 'a follow-up run');
      await waitForTaskStatus(owner, task.id, ['review']);
    } finally {
      await runner.stop();
    }
    const [first, second] = await runsOfTask(owner, task.id);
    expect(second?.sessionId).toBe(first?.sessionId);
    expect((await owner.runs.get(second?.id ?? '')).prompt.prompt).toContain('one more line, please');
  });

  it('starts no run for an agent whose budget is used up, and gives the task back', async () => {
    const repository = createRepository();
    const { agent, apiKey, task } = await agentWithTask('Add a line to work.txt.');
    await owner.runtime.createBudget({ agentId: agent.id, monthlyCostLimitMicroDollars: 1 });
    const first = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'claude-code' }], { once: true });
    await first.runner.start();
    await first.runner.finished;
    // The first run costs $0.0123, past the limit: the next one is refused.
    const next = await owner.tasks.create({ title: 'More work', assignees: [{ kind: 'agent', id: agent.id }] });
    const second = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'claude-code' }], { once: true });
    await second.runner.start();
    await second.runner.finished;
    expect((await owner.tasks.get(task.id)).status).toBe('review');
    expect(await owner.tasks.get(next.id)).toMatchObject({ status: 'assigned', lease: null });
    expect(await runsOfTask(owner, next.id)).toEqual([]);
    expect(second.log.join('\n')).toContain('budget-exhausted');
  });

  it('kills the CLI’s whole process group on cancel and records the run cancelled', async () => {
    const repository = createRepository();
    const { agent, apiKey, task } = await agentWithTask('fake:hang');
    const { runner } = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'gemini' }]);
    const events: Activity[] = [];
    const unsubscribe = owner.events.subscribe({ onEvent: (activity) => events.push(activity) });
    await runner.start();
    try {
      const pidFile = path.join(repository, '.mission', 'fake-pids', `${task.key}.json`);
      const pids = await waitFor(
        async () => (fs.existsSync(pidFile) ? (JSON.parse(fs.readFileSync(pidFile, 'utf8')) as { cli: number; child: number }) : undefined),
        'the hanging CLI',
      );
      expect(isAlive(pids.cli) && isAlive(pids.child)).toBe(true);
      const [running] = await runsOfTask(owner, task.id);
      await owner.runs.cancel(running?.id ?? '');
      const cancelled = await waitFor(async () => {
        const run = (await runsOfTask(owner, task.id))[0];
        return run?.status === 'cancelled' ? run : undefined;
      }, 'the run to be cancelled');
      expect(cancelled.error).toBe('cancelled on request');
      expect(isAlive(pids.cli)).toBe(false);
      expect(isAlive(pids.child)).toBe(false);
      const blocked = await waitForTaskStatus(owner, task.id, ['blocked']);
      expect(blocked.lease).toBeNull();
      await waitFor(async () => (events.some((event) => event.type === 'run-cancel-requested') ? true : undefined), 'the cancel event');
    } finally {
      unsubscribe();
      await runner.stop();
    }
  });

  it('sends failing tests back to the agent, which fixes them in the same session, and notes the passing tests', async () => {
    const repository = createRepository();
    const { agent, apiKey, task } = await agentWithTask('Add a line to work.txt.');
    const { runner } = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'claude-code' }], {
      once: true,
      // Passes from the second run on: each run adds a line.
      testCommand: 'echo "checking work.txt"; test "$(wc -l < work.txt)" -ge 2',
    });
    await runner.start();
    await runner.finished;
    expect((await owner.tasks.get(task.id)).status).toBe('review');
    const [first, second] = await runsOfTask(owner, task.id);
    expect(first?.testResult).toMatchObject({ passed: false, exitCode: 1, outputTail: 'checking work.txt' });
    expect(second?.testResult).toMatchObject({ passed: true, exitCode: 0 });
    expect(second?.sessionId).toBe(first?.sessionId);
    const testStep = (await owner.runs.get(first?.id ?? '')).steps.find((step) => step.kind === 'test');
    expect(testStep).toMatchObject({ exitCode: 1, isError: true });
    const thread = (await owner.messages.list(task.id).toArray()).map((message) => message.content);
    expect(thread.some((content) => content.startsWith(`Tests failed (1 of 3 send-backs)`) && content.includes(`@${agent.name}`))).toBe(
      true,
    );
    expect(thread.at(-1)).toContain('passed.');
  });

  it('escalates a task whose tests still fail after three send-backs', async () => {
    const repository = createRepository();
    const { agent, apiKey, task } = await agentWithTask('Add a line to work.txt.');
    const { runner } = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'opencode' }], {
      once: true,
      testCommand: 'echo "2 failed, 0 passed"; exit 1',
    });
    await runner.start();
    await runner.finished;
    const escalated = await owner.tasks.get(task.id);
    expect(escalated).toMatchObject({ status: 'blocked', lease: null });
    const runs = await runsOfTask(owner, task.id);
    expect(runs.map((run) => run.testResult?.passed)).toEqual([false, false, false, false]);
    const events = await owner.activities.list({ type: 'task-escalated' }).toArray();
    expect(events.some((event) => event.taskId === task.id)).toBe(true);
  });

  it('works for several agents from a mission-runner.yaml as one runner', async () => {
    const repository = createRepository();
    const jarvis = await agentWithTask('Add a line to work.txt.', { title: 'Jarvis work' });
    const friday = await agentWithTask('Add a line to work.txt.', { title: 'Friday work' });
    const file = path.join(repository, '.mission-runner-test.yaml');
    fs.writeFileSync(
      file,
      [
        `url: ${server.url}`,
        'concurrency: 2',
        'agents:',
        `  - { agent: ${jarvis.agent.name}, apiKeyEnv: JARVIS_KEY, adapter: claude-code }`,
        `  - agent: ${friday.agent.name}`,
        '    apiKeyEnv: FRIDAY_KEY',
        '    adapter: codex',
        '    model: gpt-5-codex',
      ].join('\n'),
    );
    const { config, agents } = readRunnerConfigFile(file, { JARVIS_KEY: jarvis.apiKey, FRIDAY_KEY: friday.apiKey });
    expect(agents.map((agent) => [agent.agent, agent.adapter, agent.model])).toEqual([
      [jarvis.agent.name, 'claude-code', undefined],
      [friday.agent.name, 'codex', 'gpt-5-codex'],
    ]);
    const { runner } = createTestRunner(config.url ?? server.url, repository, agents, { concurrency: config.concurrency ?? 1, once: true });
    const registered = await runner.start();
    await runner.finished;
    expect(registered.agents.map((agent) => agent.agentId).sort()).toEqual([jarvis.agent.id, friday.agent.id].sort());
    for (const { task } of [jarvis, friday]) expect((await owner.tasks.get(task.id)).status).toBe('review');
    const [fridayRun] = await runsOfTask(owner, friday.task.id);
    expect(fridayRun).toMatchObject({ adapter: 'codex', runnerId: registered.id });
    expect(() => readRunnerConfigFile(file, {})).toThrow(/agents\[0\] has no API key/);
  });

  it('stops a CLI at its wall-clock timeout and fails the task', async () => {
    const repository = createRepository();
    const { agent, apiKey, task } = await agentWithTask('fake:hang');
    const { runner } = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'claude-code' }], {
      once: true,
      timeoutMs: 1_500,
    });
    await runner.start();
    await runner.finished;
    expect(await owner.tasks.get(task.id)).toMatchObject({ status: 'failed', lease: null });
    const [run] = await runsOfTask(owner, task.id);
    expect(run).toMatchObject({ status: 'failed', error: 'timed out: no end after 2 s' });
  });

  it('moves finished work straight to done when the workspace has no review by people and no reviewer agent', async () => {
    const repository = createRepository();
    const { agent, apiKey, task } = await agentWithTask('Add a line to work.txt.');
    await owner.runtime.updateWorkspaceSettings({ humanReview: false });
    try {
      const { runner } = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'codex' }], { once: true });
      await runner.start();
      await runner.finished;
    } finally {
      await owner.runtime.updateWorkspaceSettings({ humanReview: true });
    }
    expect((await owner.tasks.get(task.id)).status).toBe('done');
  });

  it("branches a subtask from its parent's branch, with the thread, documents, instructions and memory in the prompt", async () => {
    const repository = createRepository();
    const {
      agent,
      apiKey,
      task: parent,
    } = await agentWithTask('Add a line to work.txt.', {
      title: 'The goal',
      agent: { memoryContext: 'Prefer small commits.' },
    });
    const client = new MissionControl({ baseUrl: server.url, apiKey });
    await owner.runtime.updateAgentRuntime(agent.id, { instructions: 'Write tests first.' });
    const first = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'claude-code' }], { once: true });
    await first.runner.start();
    await first.runner.finished;
    const subtask = await owner.tasks.create({
      title: 'The part',
      description: 'Add another line.',
      parentId: parent.id,
      assignees: [{ kind: 'agent', id: agent.id }],
    });
    await owner.messages.post(subtask.id, { content: 'Keep it short.' });
    await client.documents.create({ title: 'Design notes', content: 'Lines end with a newline.', type: 'deliverable', taskId: subtask.id });
    const second = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'claude-code' }], { once: true });
    await second.runner.start();
    await second.runner.finished;
    const branch = `mission/${subtask.key.toLowerCase()}`;
    expect(gitIn(repository, 'merge-base', '--is-ancestor', `mission/${parent.key.toLowerCase()}`, branch)).toBe('');
    expect(gitIn(repository, 'show', `${branch}:work.txt`).split('\n')).toHaveLength(2);
    const [run] = await runsOfTask(owner, subtask.id);
    const prompt = (await owner.runs.get(run?.id ?? '')).prompt.prompt;
    for (const part of [
      `## Part of ${parent.key}: The goal`,
      'Keep it short.',
      '## Document: Design notes',
      'Lines end with a newline.',
      'Write tests first.',
      'Prefer small commits.',
      '## WORKING.md',
    ]) {
      expect(prompt).toContain(part);
    }
  });

  it('never runs one task in two runners', async () => {
    const first = await server.createAgentWithKey({ concurrencyLimit: 2 });
    const second = await server.createAgentWithKey({ concurrencyLimit: 2 });
    const tasks = [];
    for (let index = 0; index < 5; index += 1)
      tasks.push(await owner.tasks.create({ title: `Shared work ${index}`, description: 'Add a line.' }));
    const left = createTestRunner(server.url, createRepository(), [{ apiKey: first.apiKey, adapter: 'claude-code' }], { concurrency: 2 });
    const right = createTestRunner(server.url, createRepository(), [{ apiKey: second.apiKey, adapter: 'codex' }], { concurrency: 2 });
    await Promise.all([left.runner.start(), right.runner.start()]);
    try {
      for (const task of tasks) await waitForTaskStatus(owner, task.id, ['review']);
    } finally {
      await Promise.all([left.runner.stop(), right.runner.stop()]);
    }
    const runners = new Set<string>();
    for (const task of tasks) {
      const runs = await runsOfTask(owner, task.id);
      expect(runs, task.key).toHaveLength(1);
      runners.add(runs[0]?.runnerId ?? '');
    }
    expect(runners.size).toBeGreaterThanOrEqual(1);
  });

  // Last: it moves the server's clock past the lease.
  it('stops the run and gives the task up when its lease is lost', async () => {
    const repository = createRepository();
    const { agent, apiKey, task } = await agentWithTask('fake:hang');
    const { runner } = createTestRunner(server.url, repository, [{ apiKey, agent: agent.name, adapter: 'codex' }]);
    await runner.start();
    try {
      const pidFile = path.join(repository, '.mission', 'fake-pids', `${task.key}.json`);
      const pids = await waitFor(
        async () => (fs.existsSync(pidFile) ? (JSON.parse(fs.readFileSync(pidFile, 'utf8')) as { cli: number }) : undefined),
        'the CLI',
      );
      server.clock.advance(31_000);
      const lost = await waitFor(async () => {
        const run = (await runsOfTask(owner, task.id))[0];
        return run?.status === 'failed' ? run : undefined;
      }, 'the run to stop');
      expect(lost.error).toBe('the lease on the task was lost');
      expect(isAlive(pids.cli)).toBe(false);
    } finally {
      await runner.stop();
    }
  });
});
