import { MissionControl } from '@mission-control/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type RealServer, startRealServer } from '../../sdk/src/test/real-server.js';
import { runAgentTurn } from './agent-turn.js';
import { createLanguageModel } from './providers.js';
import { type ScriptedModelServer, startScriptedModelServer } from './test/scripted-model-server.js';

describeEachEngine('built-in agent memory', (engine) => {
  let server: RealServer;
  let model: ScriptedModelServer;
  let owner: MissionControl;

  beforeAll(async () => {
    server = await startRealServer(engine);
    model = await startScriptedModelServer();
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
  }, 60_000);
  afterAll(async () => {
    await model?.close();
    await server?.close();
  });

  it('remembers a lesson in one task and recalls it into the context of a later one', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const client = new MissionControl({ baseUrl: server.url, apiKey });
    const turn = (taskId: string) =>
      runAgentTurn({
        client,
        agentId: agent.id,
        model: createLanguageModel({ provider: 'openai-compatible', model: 'qwen3', baseUrl: model.baseUrl }),
        provider: 'openai-compatible',
        modelName: 'qwen3',
        stepLimit: 4,
        trigger: 'test',
        taskId,
        fetchUrl: false,
      });

    const first = await owner.tasks.create({ title: 'Run the staging migration', assignees: [{ kind: 'agent', id: agent.id }] });
    const lesson = 'Staging is reset every Monday at 06:00 UTC: never run staging migrations on Monday mornings.';
    model.setScript((request) =>
      request.toolResultCount === 0
        ? { toolCalls: [{ name: 'remember', arguments: { content: lesson, kind: 'lesson', importance: 5, taskId: first.key } }] }
        : { text: 'Noted the lesson.' },
    );
    const remembered = await turn(first.id);
    expect(remembered.outcome).toBe('completed');
    expect(remembered.steps.find((step) => step.kind === 'tool-call')).toMatchObject({ toolName: 'remember', isError: false });
    const stored = await owner.memories.list(agent.id).toArray(10);
    expect(stored).toEqual([expect.objectContaining({ content: lesson, kind: 'lesson', importance: 5, taskId: first.id })]);

    const later = await owner.tasks.create({
      title: 'Apply the new staging migration',
      description: 'Schedule it for the staging database.',
      assignees: [{ kind: 'agent', id: agent.id }],
    });
    model.setScript(() => ({ text: 'Will wait until Tuesday.' }));
    const before = model.requests.length;
    const recalled = await turn(later.id);
    expect(recalled.outcome).toBe('completed');
    expect(recalled.prompt.system).toContain(lesson);
    expect(model.requests[before]?.system).toContain(`[lesson] ${lesson}`);

    // The recall tool answers it too, and forget removes it.
    model.setScript((request) =>
      request.toolResultCount === 0 ? { toolCalls: [{ name: 'recall', arguments: { query: 'when is staging reset?' } }] } : { text: 'ok' },
    );
    const recall = await turn(later.id);
    const recallStep = recall.steps.find((step) => step.kind === 'tool-call');
    expect(recallStep).toMatchObject({ toolName: 'recall', isError: false, result: expect.stringContaining(lesson) });
    expect(recallStep).toMatchObject({ result: expect.stringContaining('full-text retrieval') });
    const memoryId = stored[0]?.id as string;
    model.setScript((request) =>
      request.toolResultCount === 0 ? { toolCalls: [{ name: 'forget', arguments: { memoryId } }] } : { text: 'ok' },
    );
    await turn(later.id);
    expect(await owner.memories.list(agent.id).toArray(10)).toEqual([]);
  });
});
