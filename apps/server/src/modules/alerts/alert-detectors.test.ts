import { afterEach, beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import { createId } from '../../core/ids.js';
import { parseJsonColumn } from '../../db/json-column.js';
import { createEventStreamLagProbe } from '../../events/event-stream-lag.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';

const minuteMs = 60_000;

describeEachEngine('alert detectors: stuck workflow runs and event-stream lag', (engine) => {
  let server: TestServer;
  let ownerKey: string;

  beforeEach(async () => {
    server = await createTestServer(engine, { clock: createTestClock(new Date('2026-03-10T12:00:00.000Z')) });
    // An API key: the test clock runs past the owner's access token.
    ownerKey = (await server.request({ method: 'POST', url: '/api/v1/auth/api-keys', payload: { name: 'detector test' } })).json().secret;
  });
  afterEach(async () => {
    await server.close();
  });

  const request = (options: Parameters<TestServer['request']>[0]) => server.request({ token: ownerKey, ...options });
  const detect = () => server.services.alerts.runDetector();
  const listAlerts = async (query = '') => {
    const answer = await request({ method: 'GET', url: `/api/v1/alerts${query}` });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json() as {
      data: { kind: string; status: string; subject: { kind: string; id: string | null; name: string }; resolvedBy: unknown }[];
      openCount: number;
    };
  };
  const countEvents = async (type: 'alert-raised' | 'alert-resolved') =>
    (await server.database.db.selectFrom('events').select('id').where('type', '=', type).execute()).length;

  /** Starts a run of a one-task workflow: running until someone finishes its task. */
  const startOneTaskRun = async (name: string) => {
    const workflow = await request({
      method: 'POST',
      url: '/api/v1/workflows',
      payload: { name, steps: [{ id: 'only', kind: 'task', task: { title: `Step of ${name}` } }] },
    });
    expect(workflow.statusCode, workflow.body).toBe(201);
    const run = await request({ method: 'POST', url: `/api/v1/workflows/${workflow.json().id}/runs`, payload: { inputs: {} } });
    expect(run.statusCode, run.body).toBe(201);
    expect(run.json().status).toBe('running');
    return run.json().id as string;
  };

  it('raises exactly one alert for a workflow run without step progress, none before the limit, and resolves it when the run ends', async () => {
    const { apiKey } = await server.createAgentWithKey({ name: 'closer' });
    const runId = await startOneTaskRun('release');
    server.clock.advance(59 * minuteMs);
    expect(await detect()).toEqual({ raised: 0, resolved: 0 });

    server.clock.advance(2 * minuteMs);
    expect(await detect()).toEqual({ raised: 1, resolved: 0 });
    server.clock.advance(minuteMs);
    expect(await detect()).toEqual({ raised: 0, resolved: 0 });
    const listed = await listAlerts();
    expect(listed.openCount).toBe(1);
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]).toMatchObject({
      kind: 'stuck-workflow-run',
      status: 'open',
      subject: { kind: 'workflow-run', id: runId, name: 'release' },
    });
    expect(await countEvents('alert-raised')).toBe(1);

    // Someone finishes the step: the run completes and the alert clears by itself.
    const claimed = await request({ method: 'POST', url: '/api/v1/tasks/next', token: apiKey });
    expect(claimed.statusCode, claimed.body).toBe(200);
    const { task, lease } = claimed.json() as { task: { key: string }; lease: { token: string } };
    const done = await request({
      method: 'POST',
      url: `/api/v1/tasks/${task.key}/status`,
      token: apiKey,
      payload: { status: 'done', leaseToken: lease.token },
    });
    expect(done.statusCode, done.body).toBe(200);
    await server.services.workflowEngine.tick();
    expect((await request({ method: 'GET', url: `/api/v1/workflow-runs/${runId}` })).json().status).toBe('completed');
    server.clock.advance(minuteMs);
    expect(await detect()).toEqual({ raised: 0, resolved: 1 });
    expect((await listAlerts()).data[0]).toMatchObject({ kind: 'stuck-workflow-run', status: 'resolved', resolvedBy: null });
    expect(await countEvents('alert-resolved')).toBe(1);
  });

  it('raises no stuck-run alert for a run whose steps keep progressing', async () => {
    const workflow = await request({
      method: 'POST',
      url: '/api/v1/workflows',
      payload: {
        name: 'steady',
        steps: [
          { id: 'first', kind: 'task', task: { title: 'First' } },
          { id: 'second', kind: 'task', needs: ['first'], task: { title: 'Second' } },
        ],
      },
    });
    const run = await request({ method: 'POST', url: `/api/v1/workflows/${workflow.json().id}/runs`, payload: { inputs: {} } });
    expect(run.statusCode, run.body).toBe(201);
    const { apiKey } = await server.createAgentWithKey({ name: 'steady-worker' });
    server.clock.advance(45 * minuteMs);
    const claimed = (await request({ method: 'POST', url: '/api/v1/tasks/next', token: apiKey })).json();
    const done = await request({
      method: 'POST',
      url: `/api/v1/tasks/${claimed.task.key}/status`,
      token: apiKey,
      payload: { status: 'done', leaseToken: claimed.lease.token },
    });
    expect(done.statusCode, done.body).toBe(200);
    await server.services.workflowEngine.tick();
    // 90 minutes after the start, 45 after the last step progress: under the 60-minute limit.
    server.clock.advance(45 * minuteMs);
    expect((await request({ method: 'GET', url: `/api/v1/workflow-runs/${run.json().id}` })).json().status).toBe('running');
    expect(await detect()).toEqual({ raised: 0, resolved: 0 });
    expect((await listAlerts()).data).toEqual([]);
  });

  it('raises exactly one event-stream lag alert while the instance reads behind, none while it keeps up, and resolves it once it catches up', async () => {
    const tailer = server.stream.tailer;
    server.services.alerts.watchEventStreamLag(createEventStreamLagProbe(server.database.db, tailer, server.clock));
    // Keeping up: events are read as they come.
    const first = await request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Read at once' } });
    expect(first.statusCode, first.body).toBe(201);
    await tailer.waitUntilIdle();
    server.clock.advance(5 * minuteMs);
    expect(await detect()).toEqual({ raised: 0, resolved: 0 });

    // The instance stops reading; an event committed now is unread 61 seconds later (the limit is 60).
    await tailer.stop();
    const unread = await request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Not read yet' } });
    expect(unread.statusCode, unread.body).toBe(201);
    server.clock.advance(30_000);
    expect(await detect()).toEqual({ raised: 0, resolved: 0 });
    server.clock.advance(31_000);
    expect(await detect()).toEqual({ raised: 1, resolved: 0 });
    server.clock.advance(minuteMs);
    expect(await detect()).toEqual({ raised: 0, resolved: 0 });
    const listed = await listAlerts('?kind=event-stream-lag');
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]).toMatchObject({ status: 'open', subject: { kind: 'instance' } });

    // Reading again from the head: nothing is unread, the alert clears by itself.
    await tailer.start();
    server.clock.advance(minuteMs);
    expect(await detect()).toEqual({ raised: 0, resolved: 1 });
    expect((await listAlerts('?kind=event-stream-lag')).data[0]).toMatchObject({ status: 'resolved', resolvedBy: null });
  });
});

describeEachEngine('alert detectors: failed tasks in the error-rate spike', (engine) => {
  let server: TestServer;

  beforeEach(async () => {
    server = await createTestServer(engine, { clock: createTestClock(new Date('2026-03-10T12:00:00.000Z')) });
  });
  afterEach(async () => {
    await server.close();
  });

  let agentId: string;
  const createTask = async (title: string) => {
    const answer = await server.request({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { title, assignees: [{ kind: 'agent', id: agentId }] },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json().id as string;
  };
  const failTask = async (taskId: string) => {
    for (const status of ['in_progress', 'failed']) {
      const answer = await server.request({ method: 'POST', url: `/api/v1/tasks/${taskId}/status`, payload: { status } });
      expect(answer.statusCode, answer.body).toBe(200);
    }
  };
  const insertFailedRun = async (agentId: string, taskId: string) => {
    const at = new Date(server.clock.now().getTime() - 10 * minuteMs).toISOString();
    await server.database.db
      .insertInto('agent_runs')
      .values({
        id: createId(),
        workspace_id: server.workspaceId,
        agent_id: agentId,
        task_id: taskId,
        trigger: 'schedule',
        status: 'failed',
        provider: 'openai',
        model: 'gpt-a',
        prompt: '[]',
        output: '',
        tokens_in: 100,
        tokens_out: 10,
        cost_micro_dollars: 0,
        model_calls: 1,
        duration_ms: 1000,
        error: 'broke',
        started_at: at,
        finished_at: at,
        test_result: 'null',
      })
      .execute();
  };

  it('counts tasks moved to failed beside failed runs, a task whose run failed once', async () => {
    const put = await server.request({ method: 'PUT', url: '/api/v1/settings/alerts', payload: { errorRateMinimumFailures: 4 } });
    expect(put.statusCode, put.body).toBe(200);
    const { agent } = await server.createAgentWithKey({ name: 'Flaky' });
    agentId = agent.id;
    // The run about this task failed, and the task was moved to failed after it: one failure.
    const withRun = await createTask('Run failed, then the task');
    await insertFailedRun(agent.id, withRun);
    await failTask(withRun);
    for (const title of ['Failed by hand', 'Also failed']) await failTask(await createTask(title));
    // Three failures, not four: under the minimum.
    expect(await server.services.alerts.runDetector()).toEqual({ raised: 0, resolved: 0 });

    await failTask(await createTask('The fourth failure'));
    server.clock.advance(minuteMs);
    expect(await server.services.alerts.runDetector()).toEqual({ raised: 1, resolved: 0 });
    const raised = await server.database.db.selectFrom('events').select('data').where('type', '=', 'alert-raised').execute();
    expect(raised).toHaveLength(1);
    const data = z.object({ kind: z.string(), measurements: z.record(z.string(), z.number()) }).parse(parseJsonColumn(raised[0]?.data));
    expect(data.kind).toBe('error-rate-spike');
    expect(data.measurements).toMatchObject({ failedLastHour: 4, failedRunsLastHour: 1, failedTasksLastHour: 3, medianFailedPerHour: 0 });
  });
});
