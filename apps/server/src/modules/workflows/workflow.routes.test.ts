// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow strings hold ${…} CEL interpolation, not JS templates
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';
import { workflowTemplates } from '../workflow-templates/workflow-templates.js';

const researchWriteReview = workflowTemplates.find((template) => template.name === 'research-write-review')?.definition;
const fanOutFanIn = workflowTemplates.find((template) => template.name === 'fan-out-fan-in')?.definition;

describeEachEngine('workflows', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine, process.env.DEBUG_WF ? { logger: { level: 'error' } } : {});
  });
  afterEach(async () => {
    await server.close();
  });

  const createWorkflow = async (definition: unknown) => {
    const response = await server.request({ method: 'POST', url: '/api/v1/workflows', payload: definition as Record<string, unknown> });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; version: number };
  };
  const startRun = async (workflowId: string, inputs: Record<string, unknown>) => {
    const response = await server.request({ method: 'POST', url: `/api/v1/workflows/${workflowId}/runs`, payload: { inputs } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as RunBody;
  };
  const getRun = async (runId: string) =>
    (await server.request({ method: 'GET', url: `/api/v1/workflow-runs/${runId}` })).json() as RunBody;
  /** An agent takes its next task and finishes it; answers the task's title. */
  const completeNext = async (apiKey: string, status: 'done' | 'failed' = 'done') => {
    const claimed = await server.request({ method: 'POST', url: '/api/v1/tasks/next', token: apiKey });
    expect(claimed.statusCode, claimed.body).toBe(200);
    const { task, lease } = claimed.json() as { task: { key: string; title: string }; lease: { token: string } };
    const finished = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${task.key}/status`,
      token: apiKey,
      payload: { status, leaseToken: lease.token },
    });
    expect(finished.statusCode, finished.body).toBe(200);
    return task.title;
  };
  const tick = () => server.services.workflowEngine.tick();
  const countTasks = async () => {
    const rows = await server.database.db.selectFrom('tasks').select('title').execute();
    return rows.map((row) => row.title);
  };

  describe('definitions', () => {
    it('answers 400 WORKFLOW_DEFINITION_INVALID with every error at once and stores nothing', async () => {
      const response = await server.request({
        method: 'POST',
        url: '/api/v1/workflows',
        payload: {
          name: 'broken',
          steps: [
            { id: 'a', kind: 'teleport' },
            { id: 'b', kind: 'task', needs: ['nowhere'], task: { title: 'Hi ${inputs.missing}' } },
            { id: 'c', kind: 'condition', needs: ['d'], if: 'steps.b.status ==' },
            { id: 'd', kind: 'task', needs: ['c'], task: { title: 'Loop' } },
          ],
        },
      });
      expect(response.statusCode).toBe(400);
      const body = response.json() as { error: { code: string; details: { errors: { path: string; message: string }[] } } };
      expect(body.error.code).toBe('WORKFLOW_DEFINITION_INVALID');
      // The unknown kind is a schema error; the rest come once the shape is right.
      expect(body.error.details.errors.map((error) => error.path)).toEqual(['steps.0.kind']);
      const second = await server.request({
        method: 'POST',
        url: '/api/v1/workflows/validate',
        payload: {
          definition: {
            name: 'broken',
            steps: [
              { id: 'b', kind: 'task', needs: ['nowhere'], task: { title: 'Hi ${inputs.missing}' } },
              { id: 'c', kind: 'condition', needs: ['d'], if: 'steps.b.status ==' },
              { id: 'd', kind: 'task', needs: ['c'], task: { title: 'Loop' } },
            ],
          },
        },
      });
      expect(second.statusCode).toBe(200);
      const validation = second.json() as { valid: boolean; errors: { path: string; message: string }[] };
      expect(validation.valid).toBe(false);
      expect(validation.errors).toEqual(
        expect.arrayContaining([
          { path: 'steps.0.needs.0', message: 'unknown step "nowhere" in needs' },
          { path: 'steps.0.task.title', message: 'unknown input "missing": declare it under inputs' },
          expect.objectContaining({ path: 'steps.1.if', message: expect.stringContaining('CEL does not parse') }),
          expect.objectContaining({ path: 'steps', message: expect.stringContaining('cycle') }),
        ]),
      );
      expect(await server.database.db.selectFrom('workflows').selectAll().execute()).toEqual([]);
    });

    it('takes YAML, keeps every version on PUT and answers 409 WORKFLOW_NAME_TAKEN for a second one', async () => {
      const yaml = 'name: hello\nsteps:\n  - id: greet\n    kind: task\n    task:\n      title: Say hello\n';
      const created = await server.request({
        method: 'POST',
        url: '/api/v1/workflows',
        payload: yaml,
        headers: { 'content-type': 'application/yaml' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const workflow = created.json() as { id: string; version: number; definition: { steps: unknown[] } };
      expect(workflow.version).toBe(1);
      const again = await server.request({
        method: 'POST',
        url: '/api/v1/workflows',
        payload: yaml,
        headers: { 'content-type': 'application/yaml' },
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('WORKFLOW_NAME_TAKEN');
      const updated = await server.request({
        method: 'PUT',
        url: `/api/v1/workflows/${workflow.id}`,
        payload: { name: 'hello', steps: [{ id: 'greet', kind: 'task', task: { title: 'Say hello twice' } }] },
      });
      expect(updated.statusCode, updated.body).toBe(200);
      expect(updated.json().version).toBe(2);
      const versions = await server.request({ method: 'GET', url: `/api/v1/workflows/${workflow.id}/versions` });
      expect((versions.json() as { data: { version: number }[] }).data.map((version) => version.version)).toEqual([2, 1]);
      const other = await server.createOtherWorkspaceToken();
      expect((await server.request({ method: 'GET', url: `/api/v1/workflows/${workflow.id}`, token: other })).statusCode).toBe(404);
    });

    it('lists every template and instantiates one', async () => {
      const list = await server.request({ method: 'GET', url: '/api/v1/workflow-templates' });
      const names = (list.json() as { data: { name: string }[] }).data.map((template) => template.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'pipeline',
          'fan-out-fan-in',
          'review-loop',
          'escalation',
          'handoff-chain',
          'daily-standup',
          'research-write-review',
        ]),
      );
      const created = await server.request({ method: 'POST', url: '/api/v1/workflow-templates/pipeline/instantiate', payload: {} });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().name).toBe('pipeline');
      const missing = await server.request({ method: 'POST', url: '/api/v1/workflow-templates/nope/instantiate', payload: {} });
      expect(missing.json().error.code).toBe('WORKFLOW_TEMPLATE_NOT_FOUND');
    });
  });

  describe('runs', () => {
    it('takes research-write-review with two specialists through the condition and the approval to completed', async () => {
      const researcher = await server.createAgentWithKey({ name: 'researcher', capabilities: ['research'] });
      const writer = await server.createAgentWithKey({ name: 'writer', capabilities: ['writing'] });
      const workflow = await createWorkflow(researchWriteReview);
      const run = await startRun(workflow.id, { topic: 'tides' });
      expect(run.status).toBe('running');
      expect(await countTasks()).toEqual(['Research tides']);

      expect(await completeNext(researcher.apiKey)).toBe('Research tides');
      await tick();
      expect((await server.request({ method: 'POST', url: '/api/v1/tasks/next', token: researcher.apiKey })).statusCode).toBe(204);
      expect(await completeNext(writer.apiKey)).toBe('Write about tides');
      const draftTask = await server.database.db
        .selectFrom('tasks')
        .select('description')
        .where('title', '=', 'Write about tides')
        .executeTakeFirstOrThrow();
      expect(draftTask.description).toContain('## Handoff');
      await tick();

      const waiting = await getRun(run.id);
      expect(waiting.status).toBe('waiting');
      expect(stepStatus(waiting, 'gate')).toBe('done');
      expect(stepStatus(waiting, 'escalate')).toBe('skipped');
      const approvals = await server.request({ method: 'GET', url: '/api/v1/approvals?status=pending' });
      const [approval] = (approvals.json() as { data: { id: string; source: unknown }[] }).data;
      expect(approval?.source).toEqual({ kind: 'workflow-step', workflowRunId: run.id, stepId: 'approve' });

      const decided = await server.request({
        method: 'POST',
        url: `/api/v1/approvals/${approval?.id}/approve`,
        payload: { comment: 'Ship it' },
      });
      expect(decided.statusCode, decided.body).toBe(200);
      expect(decided.json().status).toBe('approved');
      const twice = await server.request({ method: 'POST', url: `/api/v1/approvals/${approval?.id}/reject`, payload: {} });
      expect(twice.json().error.code).toBe('APPROVAL_ALREADY_DECIDED');
      await tick();

      const finished = await getRun(run.id);
      expect(finished.status).toBe('completed');
      expect(stepStatus(finished, 'approve')).toBe('done');
      const events = await server.database.db
        .selectFrom('events')
        .select('type')
        .where(sql<string>`type`, 'like', '%workflow-run%')
        .orderBy('seq')
        .execute();
      expect(events.map((event) => event.type)).toEqual(['workflow-run-started', 'workflow-run-finished']);
      const timeline = await server.request({ method: 'GET', url: `/api/v1/workflow-runs/${run.id}/timeline` });
      expect((timeline.json() as { data: { kind: string }[] }).data.at(-1)?.kind).toBe('run-finished');
      const stats = await server.request({ method: 'GET', url: `/api/v1/workflows/${workflow.id}/stats` });
      expect(stats.json().versions).toEqual([expect.objectContaining({ version: 1, runs: 1, completed: 1, successRate: 1 })]);
    });

    it('fans out a forEach over 5 items into 5 tasks at once, then fans in', async () => {
      const worker = await server.createAgentWithKey({ name: 'worker' });
      const workflow = await createWorkflow(fanOutFanIn);
      const run = await startRun(workflow.id, { items: ['a', 'b', 'c', 'd', 'e'], topic: 'Translate' });
      expect((await countTasks()).sort()).toEqual(['Translate: a', 'Translate: b', 'Translate: c', 'Translate: d', 'Translate: e']);
      for (let index = 0; index < 5; index += 1) await completeNext(worker.apiKey);
      await tick();
      expect((await countTasks()).filter((title) => title === 'Merge Translate')).toHaveLength(1);
      await completeNext(worker.apiKey);
      await tick();
      const finished = await getRun(run.id);
      expect(finished.status).toBe('completed');
      expect(finished.steps.filter((step) => step.stepId === 'work' && step.itemIndex !== null)).toHaveLength(5);
    });

    it('fails a run when its task fails, and answers 409 WORKFLOW_RUN_FINISHED to a cancel then', async () => {
      const worker = await server.createAgentWithKey({ name: 'worker' });
      const workflow = await createWorkflow({
        name: 'one',
        steps: [
          { id: 'only', kind: 'task', task: { title: 'Try' } },
          { id: 'after', kind: 'task', needs: ['only'], task: { title: 'After' } },
        ],
      });
      const run = await startRun(workflow.id, {});
      await completeNext(worker.apiKey, 'failed');
      await tick();
      const failed = await getRun(run.id);
      expect(failed.status).toBe('failed');
      expect(stepStatus(failed, 'after')).toBe('skipped');
      const cancel = await server.request({ method: 'POST', url: `/api/v1/workflow-runs/${run.id}/cancel` });
      expect(cancel.json().error.code).toBe('WORKFLOW_RUN_FINISHED');
    });

    it('waits out a delay under the test clock and answers 400 WORKFLOW_INPUTS_INVALID for missing inputs', async () => {
      const workflow = await createWorkflow({
        name: 'pause',
        inputs: { who: { type: 'string', required: true } },
        steps: [{ id: 'wait', kind: 'delay', seconds: 60 }],
      });
      const bad = await server.request({ method: 'POST', url: `/api/v1/workflows/${workflow.id}/runs`, payload: { inputs: {} } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('WORKFLOW_INPUTS_INVALID');
      const run = await startRun('pause', { who: 'me' });
      expect(run.status).toBe('waiting');
      await tick();
      expect((await getRun(run.id)).status).toBe('waiting');
      server.clock.advance(61_000);
      await tick();
      expect((await getRun(run.id)).status).toBe('completed');
    });
  });
});

interface RunBody {
  id: string;
  status: string;
  steps: { stepId: string; itemIndex: number | null; status: string }[];
}

function stepStatus(run: RunBody, stepId: string): string | undefined {
  return run.steps.find((step) => step.stepId === stepId && step.itemIndex === null)?.status;
}
