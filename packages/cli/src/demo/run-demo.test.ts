import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity, Agent, Task } from '@mission-control/contracts';
import { MissionControl } from '@mission-control/sdk';
import { afterAll, describe, expect, it } from 'vitest';
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
});
