import type { AssignmentCandidate, Page, TaskOutcome } from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createId } from '../../core/ids.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

const hour = 3_600_000;

describeEachEngine('task outcomes', (engine) => {
  let server: TestServer;
  let agentId: string;
  let token: string;
  let elsewhere: string;

  beforeAll(async () => {
    server = await createTestServer(engine);
    // An API key outlives the access token while the test clock moves on.
    token = (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'outcomes test' } })).json().secret;
    agentId = (await server.createAgentWithKey({ capabilities: ['sql'] })).agent.id;
    // Made before the test clock moves past the owner's access token.
    const otherSession = await server.createOtherWorkspaceToken();
    elsewhere = (
      await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', token: otherSession, payload: { name: 'elsewhere' } })
    ).json().secret;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  async function createTask(title: string, requiredCapabilities: string[] = ['sql']) {
    const answer = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      token,
      payload: { title, requiredCapabilities, assignees: [{ kind: 'agent', id: agentId }] },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json() as { id: string; key: string };
  }
  async function move(taskId: string, status: string, reason?: string) {
    const answer = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/status`,
      token,
      payload: { status, ...(reason ? { reason } : {}) },
    });
    expect(answer.statusCode, answer.body).toBe(200);
  }
  async function outcomes(query: string) {
    const answer = await server.request({ method: 'GET', url: `/api/v1/outcomes?${query}`, token });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json() as Page<TaskOutcome>;
  }
  function insertRun(taskId: string, cost: number) {
    const at = server.clock.now().toISOString();
    return server.database.db
      .insertInto('agent_runs')
      .values({
        id: createId(),
        workspace_id: server.workspaceId,
        agent_id: agentId,
        task_id: taskId,
        trigger: 'schedule',
        status: 'completed',
        provider: 'test',
        model: 'test-model',
        prompt: '[]',
        output: '',
        tokens_in: 10,
        tokens_out: 0,
        cost_micro_dollars: cost,
        model_calls: 2,
        duration_ms: 1000,
        error: null,
        started_at: at,
        finished_at: at,
        test_result: 'null',
      })
      .execute();
  }

  it('records done (approved by review), sent back, failed and escalated outcomes with duration, cost and capabilities', async () => {
    const reviewed = await createTask('Tune the slow query');
    await insertRun(reviewed.id, 1_500);
    await insertRun(reviewed.id, 500);
    await move(reviewed.id, 'in_progress');
    await move(reviewed.id, 'review');
    server.clock.advance(2 * hour);
    const sendBack = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${reviewed.id}/send-back`,
      token,
      payload: { comment: 'Add an index instead' },
    });
    expect(sendBack.statusCode, sendBack.body).toBe(200);
    await move(reviewed.id, 'review');
    server.clock.advance(hour);
    await move(reviewed.id, 'done');

    const failed = await createTask('Migrate the warehouse', ['sql', 'etl']);
    await move(failed.id, 'in_progress');
    await move(failed.id, 'failed', 'the source is gone');

    const escalated = await createTask('Restore the backup', ['ops']);
    const escalation = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${escalated.id}/escalate`,
      token,
      payload: { reason: 'needs the root password' },
    });
    expect(escalation.statusCode, escalation.body).toBe(200);

    // A move that ends nothing records nothing.
    const untouched = await createTask('Only started');
    await move(untouched.id, 'in_progress');

    const ofReviewed = (await outcomes(`taskId=${reviewed.id}`)).data;
    expect(ofReviewed.map((outcome) => [outcome.kind, outcome.review])).toEqual([
      ['done', 'approved'],
      ['sent-back', 'changes-requested'],
    ]);
    expect(ofReviewed[0]).toMatchObject({
      agentId,
      capabilities: ['sql'],
      durationMs: 3 * hour,
      costMicroDollars: 2_000,
      modelCalls: 4,
    });
    expect(ofReviewed[1]).toMatchObject({ durationMs: 2 * hour, reason: expect.stringContaining('Add an index instead') });
    expect((await outcomes(`taskId=${failed.id}`)).data).toEqual([
      expect.objectContaining({
        kind: 'failed',
        review: 'none',
        reason: 'the source is gone',
        capabilities: ['etl', 'sql'],
        costMicroDollars: 0,
      }),
    ]);
    expect((await outcomes(`taskId=${escalated.id}`)).data).toEqual([
      expect.objectContaining({ kind: 'escalated', reason: 'needs the root password', capabilities: ['ops'] }),
    ]);
    expect((await outcomes(`taskId=${untouched.id}`)).data).toEqual([]);

    // Filters and pages.
    expect((await outcomes('capability=etl')).data.map((outcome) => outcome.taskId)).toEqual([failed.id]);
    expect((await outcomes(`agentId=${agentId}`)).data).toHaveLength(4);
    const first = await outcomes(`agentId=${agentId}&limit=3`);
    expect(first.data).toHaveLength(3);
    const second = await outcomes(`agentId=${agentId}&limit=3&cursor=${first.nextCursor}`);
    expect(second.data.map((outcome) => outcome.kind)).toEqual(['sent-back']);
    expect(second.nextCursor).toBeNull();

    // Another workspace sees none of them.
    const other = await server.request({ method: 'GET', url: '/api/v1/outcomes', token: elsewhere });
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json().data).toEqual([]);
  });

  it('feeds the assignment score: the record on similar tasks comes from the outcomes', async () => {
    const next = await createTask('Another query', ['sql']);
    const answer = await server.request({ method: 'GET', url: `/api/v1/tasks/${next.id}/assignment-candidates`, token });
    expect(answer.statusCode, answer.body).toBe(200);
    const candidate = (answer.json() as { data: AssignmentCandidate[] }).data.find((entry) => entry.agentId === agentId);
    // done 1 of 3 sql attempts: the send-back and the failure count against it.
    expect(candidate?.reasons).toContain('finished 1/3 similar tasks');
  });

  it('answers 400 for an unknown filter', async () => {
    const answer = await server.request({ method: 'GET', url: '/api/v1/outcomes?status=done', token });
    expect(answer.statusCode).toBe(400);
  });
});
