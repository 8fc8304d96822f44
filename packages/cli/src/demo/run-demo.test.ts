import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity, Agent, Task } from '@mission-control/contracts';
import { MissionControl } from '@mission-control/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { type ScriptedAnswer, type ScriptedRequest, startScriptedModelServer } from '../../../runtime/src/test/scripted-model-server.js';
import { hasModelConfigured, runDemo } from './run-demo.js';

describe('mission demo', () => {
  const directories: string[] = [];
  afterAll(() => {
    for (const directory of directories) fs.rmSync(directory, { recursive: true, force: true });
  });

  it('without a model, scripted agents (labelled so) take the goal from inbox to done through the real API', async () => {
    const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-demo-test-'));
    directories.push(dataDirectory);
    const lines: string[] = [];
    const result = await runDemo({ port: 0, dataDirectory, stepDelayMs: 0, environment: {}, log: (line) => lines.push(line) });
    try {
      expect(result.mode).toBe('scripted');
      const owner = new MissionControl({ baseUrl: result.server.url });
      if (!result.owner) throw new Error('a demo on its own server has its own owner');
      await owner.auth.login(result.owner);
      const agents: Agent[] = await owner.agents.list().toArray(20);
      expect(agents.map((agent) => agent.name).sort()).toEqual([
        'scripted-atlas',
        'scripted-forge',
        'scripted-iris',
        'scripted-quill',
        'scripted-vera',
      ]);
      expect(agents.every((agent) => agent.role.includes('(scripted)'))).toBe(true);
      const goal: Task = await owner.tasks.get(result.goalId);
      expect(goal.status).toBe('done');
      const subtasks = await owner.tasks.list({ parentId: goal.id }).toArray(20);
      expect(subtasks).toHaveLength(3);
      expect(subtasks.every((task) => task.status === 'done')).toBe(true);
      const documents = await owner.documents.list({}).toArray(20);
      expect(documents.map((document) => document.title).sort()).toEqual([
        'Changes since the beta',
        'Launch announcement',
        'Upgrade test report',
      ]);
      const feed: Activity[] = await owner.activities.list({ limit: 200 }).toArray(400);
      expect(feed.some((event) => event.type === 'message-posted')).toBe(true);
      expect(lines.some((line) => line.includes('SCRIPTED agents'))).toBe(true);
      expect(lines.some((line) => line.includes('vera (reviewer) approves'))).toBe(true);
      // Scripted agents call no model.
      expect((await owner.runtime.usage()).total.modelCalls).toBe(0);
    } finally {
      await result.server.close();
    }
  }, 60_000);

  it('uses LLM agents only when a model is configured', () => {
    expect(hasModelConfigured({})).toBe(false);
    expect(hasModelConfigured({ MISSION_LLM_BASE_URL: 'http://127.0.0.1:11434/v1' })).toBe(false);
    expect(hasModelConfigured({ MISSION_LLM_BASE_URL: 'http://127.0.0.1:11434/v1', MISSION_LLM_MODEL: 'qwen3' })).toBe(true);
    expect(hasModelConfigured({ MISSION_ANTHROPIC_API_KEY: 'sk-ant', MISSION_LLM_MODEL: 'claude-haiku-4-5' })).toBe(true);
  });

  it('with a model configured, the same squad are built-in LLM agents woken by the scheduler, and they close the goal', async () => {
    const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-demo-test-'));
    directories.push(dataDirectory);
    const model = await startScriptedModelServer(squadModel());
    try {
      const result = await runDemo({
        port: 0,
        dataDirectory,
        heartbeatIntervalSeconds: 5,
        exitWhenDone: true,
        environment: { MISSION_LLM_BASE_URL: model.baseUrl, MISSION_LLM_MODEL: 'gpt-4o-mini' },
        log: () => {},
      });
      expect(result.mode).toBe('model');
      // The scheduler, the coordination on the event stream and the tools all ran in the real server.
      const agentsCalled = new Set(model.requests.map((request) => /You are ([^,]+),/.exec(request.system)?.[1]));
      expect([...agentsCalled].sort()).toEqual(['atlas', 'forge', 'iris', 'quill', 'vera']);
    } finally {
      await model.close();
    }
  }, 90_000);
});

/** A model that plays each demo agent from what it is shown: plan, work, review, close. */
function squadModel() {
  const plans = new Map<string, ScriptedAnswer[]>();
  const call = (name: string, args: Record<string, unknown>): ScriptedAnswer => ({ toolCalls: [{ name, arguments: args }] });
  const plan = (request: ScriptedRequest): ScriptedAnswer[] => {
    const name = /You are ([^,]+),/.exec(request.system)?.[1] ?? '';
    const prompt = request.transcript[0] ?? '';
    const done: ScriptedAnswer = { text: 'Nothing for me now.' };
    if (request.system.includes('You are the lead')) {
      const goal = /## Inbox to triage \(\d+\)\n- (\S+) \[inbox/.exec(prompt)?.[1];
      const finished = /Every subtask of (\S+) is done/.exec(prompt)?.[1];
      if (finished) {
        return [
          call('update_task_status', { taskId: finished, status: 'in_progress' }),
          call('update_task_status', { taskId: finished, status: 'done' }),
          call('mark_notifications_read', { all: true }),
          { text: 'Closed.' },
        ];
      }
      if (!goal) return [done];
      return [
        call('plan_subtasks', {
          goalTaskId: goal,
          subtasks: [
            { title: 'Research the changes', requiredCapabilities: ['research'] },
            { title: 'Test the upgrade', requiredCapabilities: ['code'] },
            { title: 'Write the announcement', requiredCapabilities: ['writing'], dependsOn: [0, 1] },
          ],
        }),
        call('assign_task', { taskId: goal, agentName: name }),
        { text: 'Planned.' },
      ];
    }
    if (request.system.includes('You are a reviewer')) {
      const key = /## Waiting for review \(\d+\)\n- (\S+) \[review/.exec(prompt)?.[1];
      return key ? [call('approve_task', { taskId: key, comment: 'Good.' }), { text: 'Approved.' }] : [done];
    }
    const key = /## Focus: (\S+) \[assigned/.exec(prompt)?.[1];
    if (!key) return [done];
    return [
      call('claim_task', { taskId: key }),
      call('write_document', { title: `${name} notes`, content: '# Notes', taskId: key }),
      call('update_task_status', { taskId: key, status: name === 'quill' ? 'review' : 'done' }),
      { text: 'Done.' },
    ];
  };
  return (request: ScriptedRequest): ScriptedAnswer => {
    const name = /You are ([^,]+),/.exec(request.system)?.[1] ?? '';
    if (request.toolResultCount === 0) plans.set(name, plan(request));
    return plans.get(name)?.[request.toolResultCount] ?? { text: 'Done.' };
  };
}
