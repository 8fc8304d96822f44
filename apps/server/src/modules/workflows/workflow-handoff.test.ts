import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';
import { workflowTemplates } from '../workflow-templates/workflow-templates.js';

const handoffChain = workflowTemplates.find((template) => template.name === 'handoff-chain')?.definition;

describeEachEngine('workflow handoffs', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  it('gives the next task the output, documents and last messages of the step it needs, at the top of its description', async () => {
    const researcher = await server.createAgentWithKey({ name: 'rita', capabilities: ['research'] });
    const created = await server.request({ method: 'POST', url: '/api/v1/workflows', payload: handoffChain as Record<string, unknown> });
    expect(created.statusCode, created.body).toBe(201);
    const run = await server.request({
      method: 'POST',
      url: `/api/v1/workflows/${created.json().id}/runs`,
      payload: { inputs: { topic: 'tides' } },
    });
    expect(run.statusCode, run.body).toBe(201);

    const claimed = await server.request({ method: 'POST', url: '/api/v1/tasks/next', token: researcher.apiKey });
    const { task, lease } = claimed.json() as { task: { id: string; key: string }; lease: { token: string } };
    const say = (content: string) =>
      server.request({
        method: 'POST',
        url: `/api/v1/tasks/${task.key}/messages`,
        token: researcher.apiKey,
        payload: { content, leaseToken: lease.token },
      });
    for (const content of ['Starting on tides', 'Found the lunar cycle data', 'Spring tides peak twice a month', 'Done: see the notes'])
      expect((await say(content)).statusCode).toBe(201);
    const document = await server.request({
      method: 'POST',
      url: '/api/v1/documents',
      token: researcher.apiKey,
      payload: { title: 'Tide notes', content: '# Tides\n\nTwice a day.', taskId: task.id },
    });
    expect(document.statusCode, document.body).toBe(201);
    const done = await server.request({
      method: 'POST',
      url: `/api/v1/tasks/${task.key}/status`,
      token: researcher.apiKey,
      payload: { status: 'done', leaseToken: lease.token },
    });
    expect(done.statusCode, done.body).toBe(200);
    await server.services.workflowEngine.tick();

    const written = await server.database.db
      .selectFrom('tasks')
      .select(['id'])
      .where('title', '=', 'Write tides')
      .executeTakeFirstOrThrow();
    const shown = await server.request({ method: 'GET', url: `/api/v1/tasks/${written.id}` });
    const description = String(shown.json().description);
    expect(description.startsWith('## Handoff\n')).toBe(true);
    expect(description).toContain(`- **research** (done): ${task.key} “Research tides”`);
    expect(description).toContain('"taskStatus":"done"');
    expect(description).toContain(`document of ${task.key}: “Tide notes” (v1, id ${document.json().id})`);
    // The last three messages, oldest first; the first one is left out.
    expect(description).toContain(`last message on ${task.key}: Found the lunar cycle data`);
    expect(description.indexOf('Spring tides peak')).toBeLessThan(description.indexOf('Done: see the notes'));
    expect(description).not.toContain('Starting on tides');

    // The step's own output carries the task's final status, its last message and its documents.
    const runView = await server.request({ method: 'GET', url: `/api/v1/workflow-runs/${run.json().id}` });
    expect(runView.statusCode, runView.body).toBe(200);
    const research = (runView.json().steps as { stepId: string; output: unknown }[]).find((step) => step.stepId === 'research');
    expect(research?.output).toMatchObject({
      taskStatus: 'done',
      taskKey: task.key,
      lastMessage: { content: 'Done: see the notes' },
      documents: [{ id: document.json().id, title: 'Tide notes', version: 1 }],
    });
  });
});
