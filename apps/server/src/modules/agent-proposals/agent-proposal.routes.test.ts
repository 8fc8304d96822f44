import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

interface ApprovalBody {
  id: string;
  status: string;
  title: string;
  comment: string | null;
  source: { kind: string };
}

describeEachEngine('agent proposals and budget requests', (engine) => {
  let server: TestServer;
  let lead: { agent: { id: string; name: string }; apiKey: string };
  beforeEach(async () => {
    server = await createTestServer(engine);
    lead = await server.createAgentWithKey({ name: 'lena', role: 'lead', kind: 'lead' });
  });
  afterEach(async () => {
    await server.close();
  });

  const propose = (token: string, body: Record<string, unknown>) =>
    server.request({ method: 'POST', url: '/api/v1/agent-proposals', token, payload: body });
  const decide = (approvalId: string, verb: 'approve' | 'reject', comment: string) =>
    server.request({ method: 'POST', url: `/api/v1/approvals/${approvalId}/${verb}`, payload: { comment } });
  const agentNames = async () =>
    (await server.database.db.selectFrom('agents').select('name').orderBy('name').execute()).map((row) => row.name);
  const notificationsOf = async (apiKey: string) =>
    (
      (await server.request({ method: 'GET', url: '/api/v1/notifications', token: apiKey })).json() as { data: { content: string }[] }
    ).data.map((notification) => notification.content);

  it('a lead proposes an agent; approving creates it with its capabilities, budget and runtime, and tells the lead', async () => {
    const proposed = await propose(lead.apiKey, {
      name: 'tess',
      role: 'tester',
      capabilities: ['testing', 'qa'],
      runtime: 'builtin',
      budget: { monthlyTokenLimit: 200_000 },
      reason: 'nobody can test the releases',
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const approval = proposed.json() as ApprovalBody & { source: { kind: string; proposal: Record<string, unknown> } };
    expect(approval).toMatchObject({ status: 'pending', title: 'lena proposes a new agent: tess (tester)' });
    expect(approval.source).toMatchObject({ kind: 'agent-proposal', proposal: { name: 'tess', proposedBy: lead.agent.id } });
    const inbox = (await server.request({ method: 'GET', url: '/api/v1/approvals?status=pending' })).json() as { data: ApprovalBody[] };
    expect(inbox.data.map((entry) => entry.id)).toEqual([approval.id]);
    expect(await agentNames()).toEqual(['lena']);

    const approved = await decide(approval.id, 'approve', 'welcome');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('approved');
    const created = await server.database.db.selectFrom('agents').selectAll().where('name', '=', 'tess').executeTakeFirstOrThrow();
    const shown = await server.request({ method: 'GET', url: `/api/v1/agents/${created.id}` });
    expect(shown.json()).toMatchObject({ name: 'tess', role: 'tester', kind: 'specialist', capabilities: ['testing', 'qa'] });
    const runtime = await server.request({ method: 'GET', url: `/api/v1/agents/${created.id}/runtime` });
    expect(runtime.json().runtime).toBe('builtin');
    const budgets = (await server.request({ method: 'GET', url: '/api/v1/budgets' })).json() as {
      data: { agentId: string | null; monthlyTokenLimit: number | null }[];
    };
    expect(budgets.data).toEqual([expect.objectContaining({ agentId: created.id, monthlyTokenLimit: 200_000 })]);
    const joined = await server.database.db
      .selectFrom('events')
      .select(['type', 'summary'])
      .where('type', '=', 'agent-created')
      .where('agent_id', '=', created.id)
      .execute();
    expect(joined).toEqual([{ type: 'agent-created', summary: 'tess joined as tester' }]);
    expect(await notificationsOf(lead.apiKey)).toContain('Your proposal was approved: welcome: @tess joined the squad.');
  });

  it('rejecting records the comment, creates nothing and tells the lead why', async () => {
    const approval = (await propose(lead.apiKey, { name: 'spare', role: 'helper' })).json() as ApprovalBody;
    const rejected = await decide(approval.id, 'reject', 'we have enough helpers');
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', comment: 'we have enough helpers' });
    expect(await agentNames()).toEqual(['lena']);
    expect(await notificationsOf(lead.apiKey)).toContain('Your proposal of spare (helper) was rejected: we have enough helpers.');
  });

  it('refuses specialists (403), people (403) and a taken name (409), storing no approval', async () => {
    const specialist = await server.createAgentWithKey({ name: 'sam', role: 'writer' });
    const bySpecialist = await propose(specialist.apiKey, { name: 'extra', role: 'helper' });
    expect(bySpecialist.statusCode).toBe(403);
    expect(bySpecialist.json().error.message).toContain('Only lead agents');
    const byPerson = await server.request({ method: 'POST', url: '/api/v1/agent-proposals', payload: { name: 'extra', role: 'helper' } });
    expect(byPerson.statusCode).toBe(403);
    const taken = await propose(lead.apiKey, { name: 'SAM', role: 'writer' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('AGENT_NAME_TAKEN');
    const bad = await propose(lead.apiKey, { name: 'no spaces allowed', role: 'writer' });
    expect(bad.statusCode).toBe(400);
    expect(await server.database.db.selectFrom('approvals').selectAll().execute()).toEqual([]);
  });

  it('a budget raise, approved, creates the budget and then raises it', async () => {
    const specialist = await server.createAgentWithKey({ name: 'sam', role: 'writer' });
    const ask = (body: Record<string, unknown>, token = specialist.apiKey) =>
      server.request({ method: 'POST', url: '/api/v1/budget-requests', token, payload: body });
    expect((await ask({ reason: 'no limits given' })).statusCode).toBe(400);
    expect((await ask({ agentId: lead.agent.id, monthlyTokenLimit: 10 })).statusCode).toBe(403);

    const first = await ask({ monthlyCostLimitMicroDollars: 5_000_000, reason: 'long drafts' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ title: 'sam asks to raise the monthly budget of sam to $5.00', source: { kind: 'budget-raise' } });
    expect((await decide(first.json().id, 'approve', 'ok')).statusCode).toBe(200);
    const byLead = await ask({ agentId: specialist.agent.id, monthlyCostLimitMicroDollars: 9_000_000 }, lead.apiKey);
    expect(byLead.statusCode, byLead.body).toBe(201);
    expect((await decide(byLead.json().id, 'approve', 'fine')).statusCode).toBe(200);

    const budgets = (await server.request({ method: 'GET', url: '/api/v1/budgets' })).json() as {
      data: { agentId: string | null; monthlyCostLimitMicroDollars: number | null }[];
    };
    expect(budgets.data).toEqual([expect.objectContaining({ agentId: specialist.agent.id, monthlyCostLimitMicroDollars: 9_000_000 })]);
    expect(await notificationsOf(specialist.apiKey)).toContain('Your budget request was approved: ok.');
  });
});
