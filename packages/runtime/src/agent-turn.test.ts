import { MissionControl } from '@mission-control/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type RealServer, startRealServer } from '../../sdk/src/test/real-server.js';
import { runAgentTurn } from './agent-turn.js';
import { createLanguageModel, type ModelProvider } from './providers.js';
import { type ModelScript, type ScriptedModelServer, startScriptedModelServer } from './test/scripted-model-server.js';

describeEachEngine('runAgentTurn', (engine) => {
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

  it.each<[ModelProvider, string]>([
    ['openai-compatible', 'gpt-4o-mini'],
    ['anthropic', 'claude-sonnet-4-5'],
    ['openai', 'gpt-4.1-mini'],
  ])('works a task through the API over %s and records every step, the tokens and the cost', async (provider, modelName) => {
    const { agent, apiKey } = await server.createAgentWithKey({ capabilities: ['research'] });
    const task = await owner.tasks.create({ title: `Research (${provider})`, requiredCapabilities: ['research'] });
    model.setScript(
      (
        (script: ModelScript): ModelScript =>
        (request) => {
          const answer = script(request);
          // Every call names the real task key (each test creates its own).
          return JSON.parse(JSON.stringify(answer).replaceAll('TASK-1', task.key));
        }
      )((request) => {
        if (request.toolResultCount === 0)
          return { toolCalls: [{ name: 'claim_task', arguments: { taskId: 'TASK-1' } }], usage: { input: 1_000, output: 50 } };
        if (request.toolResultCount === 1) {
          return {
            toolCalls: [
              {
                name: 'write_document',
                arguments: { title: `Findings ${provider}`, content: '# Findings\n\nAll good.', taskId: 'TASK-1' },
              },
            ],
            usage: { input: 1_200, output: 80 },
          };
        }
        if (request.toolResultCount === 2) {
          return {
            toolCalls: [{ name: 'update_task_status', arguments: { taskId: 'TASK-1', status: 'review' } }],
            usage: { input: 1_400, output: 30 },
          };
        }
        return { text: 'Sent the task to review.', usage: { input: 1_500, output: 20 } };
      }),
    );
    const before = model.requests.length;
    const client = new MissionControl({ baseUrl: server.url, apiKey });
    const streamed: string[] = [];
    const record = await runAgentTurn({
      client,
      agentId: agent.id,
      model: createLanguageModel({ provider, model: modelName, baseUrl: model.baseUrl, apiKey: 'test-key' }),
      provider,
      modelName,
      stepLimit: 8,
      trigger: 'test',
      taskId: task.id,
      fetchUrl: false,
      onStep: (step) => {
        streamed.push(step.kind === 'tool-call' ? step.toolName : 'model');
      },
    });

    expect(record.outcome).toBe('completed');
    expect(record.error).toBeNull();
    expect(record.output).toBe('Sent the task to review.');
    expect(record.modelCalls).toBe(4);
    expect(model.requests.length - before).toBe(4);
    expect(record.tokensIn).toBe(5_100);
    expect(record.tokensOut).toBe(180);
    // gpt-4o-mini: 0.15 $/M in, 0.6 $/M out; claude-sonnet-4: 3 and 15.
    const prices = { 'openai-compatible': [0.15, 0.6], anthropic: [3, 15], openai: [0.4, 1.6] } as const;
    expect(record.costMicroDollars).toBe(Math.round(5_100 * prices[provider][0] + 180 * prices[provider][1]));
    expect(streamed).toEqual(['model', 'claim_task', 'model', 'write_document', 'model', 'update_task_status', 'model']);
    const toolSteps = record.steps.filter((step) => step.kind === 'tool-call');
    expect(toolSteps.every((step) => !step.isError)).toBe(true);
    expect(toolSteps[0]).toMatchObject({ arguments: { taskId: task.key }, result: expect.stringContaining(`Claimed ${task.key}`) });
    expect(record.prompt.prompt).toContain(task.title);
    expect(record.prompt.system).toContain(agent.name);
    // The tools the model was offered: the shared MCP set.
    expect(model.requests.at(-1)?.toolNames).toEqual(
      expect.arrayContaining(['check_in', 'claim_next_task', 'write_document', 'update_task_status']),
    );

    const stored = await owner.tasks.get(task.id);
    expect(stored.status).toBe('review');
    const documents = await owner.documents.list({ taskId: task.id }).toArray(10);
    expect(documents.map((document) => document.title)).toEqual([`Findings ${provider}`]);
  });

  it('records a provider error as a failed turn instead of throwing', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    model.setScript(() => ({ status: 500, error: 'the model is overloaded' }));
    const record = await runAgentTurn({
      client: new MissionControl({ baseUrl: server.url, apiKey }),
      agentId: agent.id,
      model: createLanguageModel({ provider: 'openai-compatible', model: 'qwen3', baseUrl: model.baseUrl }),
      provider: 'openai-compatible',
      modelName: 'qwen3',
      stepLimit: 4,
      trigger: 'test',
    });
    expect(record.outcome).toBe('failed');
    expect(record.error).toContain('overloaded');
    expect(record.modelCalls).toBe(1);
    expect(record.costMicroDollars).toBe(0);
  });

  it('stops at the step limit', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    model.setScript(() => ({ toolCalls: [{ name: 'read_working_state', arguments: {} }] }));
    const record = await runAgentTurn({
      client: new MissionControl({ baseUrl: server.url, apiKey }),
      agentId: agent.id,
      model: createLanguageModel({ provider: 'openai-compatible', model: 'qwen3', baseUrl: model.baseUrl }),
      provider: 'openai-compatible',
      modelName: 'qwen3',
      stepLimit: 3,
      trigger: 'test',
    });
    expect(record.outcome).toBe('step-limit');
    expect(record.modelCalls).toBe(3);
  });
});
