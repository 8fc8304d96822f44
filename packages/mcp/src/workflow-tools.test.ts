import { MissionControl } from '@mission-control/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type RealServer, startRealServer } from '../../sdk/src/test/real-server.js';
import { type AgentTool, createAgentTools } from './agent-tools.js';
import { runCheckedTool } from './test/run-checked-tool.js';

describeEachEngine('agent tools: workflows, approvals and the empty answers', (engine) => {
  let server: RealServer;
  let owner: MissionControl;
  let lead: { id: string; name: string };
  let tools: Map<string, AgentTool>;

  beforeAll(async () => {
    server = await startRealServer(engine);
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
    const created = await server.createAgentWithKey({ kind: 'lead' });
    lead = created.agent;
    const client = new MissionControl({ baseUrl: server.url, apiKey: created.apiKey });
    tools = new Map(createAgentTools({ client }).map((tool) => [tool.name, tool]));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const run = (name: string, input: Record<string, unknown>) => runCheckedTool(tools, name, input);

  it('starts a workflow run and lists it, with the runs as structuredContent', async () => {
    await owner.workflows.create({ name: 'gate', steps: [{ id: 'ok', kind: 'approval', approvers: { roles: ['owner'] } }] });
    const started = await run('start_workflow', { workflow: 'gate', inputs: {} });
    expect(started.isError).toBeFalsy();
    const runId = (started.structuredContent as { run: { id: string; status: string } }).run.id;
    expect((await owner.workflows.getRun(runId)).status).toBe('waiting');
    const listed = await run('list_workflow_runs', {});
    expect((listed.structuredContent as { runs: { id: string }[] }).runs.map((item) => item.id)).toEqual([runId]);
  });

  it('proposes an agent and asks for a budget, each answering the stored approval', async () => {
    const proposed = await run('propose_agent', { name: 'translator', role: 'Translates docs', reason: 'We ship in German' });
    expect(proposed.isError).toBeFalsy();
    const approval = (proposed.structuredContent as { approval: { id: string; status: string } }).approval;
    expect(approval.status).toBe('pending');
    const raise = await run('request_budget_raise', { monthlyTokenLimit: 1_000_000, reason: 'More research' });
    expect(raise.isError).toBeFalsy();
    const raised = (raise.structuredContent as { approval: { id: string } }).approval;
    const pending = await owner.approvals.list({ status: 'pending' });
    expect(pending.map((item) => item.id)).toEqual(expect.arrayContaining([approval.id, raised.id]));
  });

  it('answers task null when nothing is waiting and counts notifications marked read by id', async () => {
    const nothing = await run('claim_next_task', {});
    expect(nothing.structuredContent).toEqual({ task: null, leaseExpiresAt: null });
    const task = await owner.tasks.create({ title: 'Ping the lead' });
    await owner.messages.post(task.key, { content: `@${lead.name} have a look` });
    const listed = await run('list_notifications', {});
    const ids = (listed.structuredContent as { notifications: { id: string }[] }).notifications.map((notification) => notification.id);
    expect(ids.length).toBeGreaterThan(0);
    const marked = await run('mark_notifications_read', { notificationIds: ids });
    expect(marked.structuredContent).toEqual({ updated: ids.length });
    expect((await run('list_notifications', {})).structuredContent).toEqual({ unreadCount: 0, notifications: [] });
    const all = (await run('list_notifications', { unreadOnly: false })).structuredContent as {
      notifications: { id: string; readAt: string | null }[];
    };
    for (const id of ids) expect(all.notifications.find((notification) => notification.id === id)?.readAt).toEqual(expect.any(String));
  });
});
