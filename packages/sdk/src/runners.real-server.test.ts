import { afterAll, beforeAll, expect, it } from 'vitest';
import { isMissionControlError, MissionControl } from './index.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('runners and runs through the SDK', (engine) => {
  let server: RealServer;
  let owner: MissionControl;
  beforeAll(async () => {
    server = await startRealServer(engine);
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken, retry: { retries: 0 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('registers a runner, runs a task through create, recordSteps and finish, and lists, gets and cancels runs', async () => {
    const { agent, apiKey } = await server.createAgentWithKey();
    const client = new MissionControl({ baseUrl: server.url, apiKey, retry: { retries: 0 } });
    const runner = await client.runners.register({
      runnerKey: 'sdk_runner_key_0123456789',
      name: 'sdk test',
      host: 'localhost',
      version: '0.1.0',
      adapter: 'codex',
    });
    expect(runner.agents).toEqual([expect.objectContaining({ agentId: agent.id, adapter: 'codex' })]);
    const task = await owner.tasks.create({ title: 'Port the parser', assignees: [{ kind: 'agent', id: agent.id }] });
    const claim = await client.tasks.claim(task.key);
    const run = await client.runs.create({
      taskId: task.key,
      leaseToken: claim.lease.token,
      adapter: 'codex',
      runnerId: runner.id,
      prompt: 'Port it',
    });
    expect(await client.runs.recordSteps(run.id, [{ kind: 'model', text: 'on it' }])).toEqual({
      recorded: 1,
      nextIndex: 1,
      cancelRequested: false,
    });
    const finished = await client.runs.finish(run.id, { outcome: 'completed', tokensIn: 10, tokensOut: 2, costMicroDollars: 7 });
    expect(finished).toMatchObject({ status: 'completed', costMicroDollars: 7 });
    expect((await owner.runs.get(run.id)).steps).toHaveLength(1);
    expect((await owner.runs.list({ taskId: task.key }).toArray()).map((item) => item.id)).toEqual([run.id]);
    expect((await owner.runners.list({ agentId: agent.id }).toArray()).map((item) => item.id)).toEqual([runner.id]);
    expect((await client.runners.heartbeat(runner.id)).cancelRunIds).toEqual([]);

    const second = await client.runs.create({
      taskId: task.id,
      leaseToken: claim.lease.token,
      adapter: 'codex',
      runnerId: runner.id,
      prompt: 'Again',
    });
    expect((await owner.runs.cancel(second.id)).cancelRequestedAt).not.toBeNull();
    expect((await client.runners.heartbeat(runner.id)).cancelRunIds).toEqual([second.id]);
    const refused = await owner.runs.cancel(run.id).catch((error: unknown) => error);
    expect(isMissionControlError(refused) && refused.code).toBe('RUN_ALREADY_FINISHED');
    await owner.runners.delete(runner.id);
    const gone = await owner.runners.get(runner.id).catch((error: unknown) => error);
    expect(isMissionControlError(gone) && gone.code).toBe('RUNNER_NOT_FOUND');
  });
});
