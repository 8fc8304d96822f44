import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { countStatements } from '../../test/statement-count.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('task claims and leases', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const createTask = async (payload: Record<string, unknown>) => {
    const response = await server.request({ method: 'POST', url: '/api/v1/tasks', payload });
    expect(response.statusCode).toBe(201);
    return response.json();
  };
  const claim = (reference: string, token: string, payload: Record<string, unknown> = {}) =>
    server.request({ method: 'POST', url: `/api/v1/tasks/${reference}/claim`, payload, token });
  const next = (token: string) => server.request({ method: 'POST', url: '/api/v1/tasks/next', token });
  const changeStatus = (reference: string, token: string, payload: Record<string, unknown>) =>
    server.request({ method: 'POST', url: `/api/v1/tasks/${reference}/status`, payload, token });

  describe('claim', () => {
    it('gives exactly one of 200 concurrent claimers the lease; the rest get 409 TASK_ALREADY_CLAIMED', async () => {
      const task = await createTask({ title: 'Contended' });
      const agents = await Promise.all(Array.from({ length: 200 }, (_, index) => server.createAgentWithKey({ name: `racer-${index}` })));
      const responses = await Promise.all(agents.map(({ apiKey }) => claim(task.id, apiKey)));
      const winners = responses.filter((response) => response.statusCode === 200);
      const losers = responses.filter((response) => response.statusCode === 409);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(199);
      expect(new Set(losers.map((response) => response.json().error.code))).toEqual(new Set(['TASK_ALREADY_CLAIMED']));

      const winner = winners[0]?.json();
      const stored = await server.database.db.selectFrom('tasks').selectAll().where('id', '=', task.id).executeTakeFirstOrThrow();
      expect(stored.lease_token).toBe(winner.lease.token);
      expect(stored.lease_holder_id).toBe(winner.lease.holder.id);
      expect(stored.status).toBe('in_progress');
      const assignees = await server.database.db.selectFrom('task_assignees').selectAll().where('task_id', '=', task.id).execute();
      expect(assignees.map((assignee) => assignee.assignee_id)).toEqual([winner.lease.holder.id]);
      const claimed = await server.database.db
        .selectFrom('events')
        .select('type')
        .where('task_id', '=', task.id)
        .where('type', '=', 'task-claimed')
        .execute();
      expect(claimed).toHaveLength(1);
      // The token goes to the holder only: the public task shows who and until when.
      const publicView = (await server.request({ method: 'GET', url: `/api/v1/tasks/${task.id}` })).json();
      expect(publicView.lease).toEqual({ holder: winner.lease.holder, expiresAt: winner.lease.expiresAt });
      expect(JSON.stringify(publicView)).not.toContain(winner.lease.token);
    });

    it('rejects a late status change from a holder whose lease expired and was claimed by another agent', async () => {
      const task = await createTask({ title: 'Handover' });
      const first = await server.createAgentWithKey();
      const second = await server.createAgentWithKey();
      const firstLease = (await claim(task.key, first.apiKey, { leaseSeconds: 60 })).json().lease;
      server.clock.advance(61_000);
      const secondClaim = await claim(task.key, second.apiKey);
      expect(secondClaim.statusCode).toBe(200);

      const late = await changeStatus(task.key, first.apiKey, { status: 'review', leaseToken: firstLease.token });
      expect(late.statusCode).toBe(409);
      expect(late.json().error.code).toBe('LEASE_CONFLICT');
      const stored = await server.database.db.selectFrom('tasks').selectAll().where('id', '=', task.id).executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ status: 'in_progress', lease_holder_id: second.agent.id });

      const withoutToken = await changeStatus(task.key, second.apiKey, { status: 'review' });
      expect(withoutToken.json().error.code).toBe('LEASE_REQUIRED');
      const done = await changeStatus(task.key, second.apiKey, { status: 'review', leaseToken: secondClaim.json().lease.token });
      expect(done.statusCode).toBe(200);
      expect(done.json().lease).toBeNull();
    });

    it('refuses an expired token even when nobody else claimed the task', async () => {
      const task = await createTask({ title: 'Slow' });
      const agent = await server.createAgentWithKey();
      const lease = (await claim(task.key, agent.apiKey, { leaseSeconds: 30 })).json().lease;
      server.clock.advance(31_000);
      const response = await changeStatus(task.key, agent.apiKey, { status: 'review', leaseToken: lease.token });
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('LEASE_EXPIRED');
    });

    it('returns expired leases to the board with an event and tells the owners when there is no lead', async () => {
      const task = await createTask({ title: 'Abandoned' });
      const agent = await server.createAgentWithKey();
      await claim(task.key, agent.apiKey, { leaseSeconds: 30 });
      server.clock.advance(31_000);
      expect(await server.services.claims.expireLeases()).toBe(1);
      const stored = (await server.request({ method: 'GET', url: `/api/v1/tasks/${task.key}` })).json();
      expect(stored).toMatchObject({ status: 'inbox', assignees: [], lease: null });
      const types = await server.database.db.selectFrom('events').select('type').where('task_id', '=', task.id).orderBy('seq').execute();
      expect(types.map((event) => event.type)).toContain('task-lease-expired');
      const ownerNotifications = (await server.request({ method: 'GET', url: '/api/v1/notifications' })).json();
      expect(ownerNotifications.data[0].content).toContain('went back to inbox');
      expect(await server.services.claims.expireLeases()).toBe(0);
    });

    it('refuses work assigned to someone else, missing capabilities, open dependencies and capacity', async () => {
      const agent = await server.createAgentWithKey({ capabilities: ['writing'] });
      const other = await server.createAgentWithKey();
      await createTask({ title: 'Theirs', assignees: [{ kind: 'agent', id: other.agent.id }] });
      await createTask({ title: 'Needs SQL', requiredCapabilities: ['sql'] });
      await createTask({ title: 'Waits', dependencyIds: ['TASK-2'] });
      for (const reference of ['TASK-1', 'TASK-2', 'TASK-3']) {
        const response = await claim(reference, agent.apiKey);
        expect(response.statusCode, reference).toBe(409);
        expect(response.json().error.code).toBe('TASK_NOT_CLAIMABLE');
      }
      await createTask({ title: 'Free 1' });
      await createTask({ title: 'Free 2' });
      expect((await claim('TASK-4', agent.apiKey)).statusCode).toBe(200);
      const second = await claim('TASK-5', agent.apiKey);
      expect(second.statusCode).toBe(409);
      expect(second.json().error.code).toBe('AGENT_AT_CAPACITY');
    });

    it('accepts progress messages under the live lease, renewing it, and refuses a stale token without storing the message', async () => {
      const task = await createTask({ title: 'Progress' });
      const agent = await server.createAgentWithKey();
      const lease = (await claim(task.key, agent.apiKey, { leaseSeconds: 60 })).json().lease;
      server.clock.advance(50_000);
      const progress = await server.request({
        method: 'POST',
        url: `/api/v1/tasks/${task.key}/messages`,
        payload: { content: 'Halfway there', type: 'status_update', leaseToken: lease.token },
        token: agent.apiKey,
      });
      expect(progress.statusCode).toBe(201);
      const stored = await server.database.db
        .selectFrom('tasks')
        .select('lease_expires_at')
        .where('id', '=', task.id)
        .executeTakeFirstOrThrow();
      expect(stored.lease_expires_at).toBe(new Date(server.clock.now().getTime() + 60_000).toISOString());

      const stale = await server.request({
        method: 'POST',
        url: `/api/v1/tasks/${task.key}/messages`,
        payload: { content: 'From a ghost', type: 'status_update', leaseToken: 'stale-token' },
        token: agent.apiKey,
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error.code).toBe('LEASE_CONFLICT');
      const messages = await server.database.db.selectFrom('messages').select('content').where('task_id', '=', task.id).execute();
      expect(messages.map((message) => message.content)).toEqual(['Halfway there']);
    });

    it('releases with the token, back to the inbox when nobody else is assigned', async () => {
      const task = await createTask({ title: 'Give back' });
      const agent = await server.createAgentWithKey();
      const lease = (await claim(task.key, agent.apiKey)).json().lease;
      const wrong = await server.request({
        method: 'POST',
        url: `/api/v1/tasks/${task.key}/release`,
        payload: { leaseToken: 'nope' },
        token: agent.apiKey,
      });
      expect(wrong.json().error.code).toBe('LEASE_CONFLICT');
      const released = await server.request({
        method: 'POST',
        url: `/api/v1/tasks/${task.key}/release`,
        payload: { leaseToken: lease.token, reason: 'out of my depth' },
        token: agent.apiKey,
      });
      expect(released.statusCode).toBe(200);
      expect(released.json()).toMatchObject({ status: 'inbox', assignees: [], lease: null });
    });
  });

  describe('claim next', () => {
    it('prefers assigned work, then the most urgent inbox task the agent can do, and answers 204 when there is nothing', async () => {
      const agent = await server.createAgentWithKey({ capabilities: ['writing'], concurrencyLimit: 10 });
      await createTask({ title: 'Low inbox', priority: 'low' });
      await createTask({ title: 'Urgent but needs SQL', priority: 'urgent', requiredCapabilities: ['sql'] });
      await createTask({ title: 'High inbox writing', priority: 'high', requiredCapabilities: ['writing'] });
      await createTask({ title: 'Assigned low', priority: 'low', assignees: [{ kind: 'agent', id: agent.agent.id }] });
      await createTask({ title: 'High with due date', priority: 'high', dueAt: '2026-03-01T00:00:00.000Z' });

      const titles: string[] = [];
      for (;;) {
        const response = await next(agent.apiKey);
        if (response.statusCode === 204) break;
        expect(response.statusCode).toBe(200);
        titles.push(response.json().task.title);
      }
      expect(titles).toEqual(['Assigned low', 'High with due date', 'High inbox writing', 'Low inbox']);
    });

    it('lets ten agents hammering claim-next finish a 1,000-task board with every task done exactly once', async () => {
      const total = 1_000;
      const agents = await Promise.all(Array.from({ length: 10 }, (_, index) => server.createAgentWithKey({ name: `worker-${index}` })));
      for (let index = 0; index < total; index += 1) {
        await server.services.tasks.createTask(server.ownerPrincipal, {
          title: `Backlog item ${index}`,
          description: '',
          priority: (['low', 'medium', 'high', 'urgent'] as const)[index % 4] ?? 'low',
          assignees: [],
          dependencyIds: [],
          requiredCapabilities: [],
        });
      }
      const completedBy = new Map<string, string>();
      let doubleCompletions = 0;
      await Promise.all(
        agents.map(async ({ agent, apiKey }) => {
          for (;;) {
            const response = await next(apiKey);
            if (response.statusCode === 204) return;
            expect(response.statusCode).toBe(200);
            const { task, lease } = response.json();
            const done = await changeStatus(task.id, apiKey, { status: 'done', leaseToken: lease.token });
            expect(done.statusCode).toBe(200);
            if (completedBy.has(task.id)) doubleCompletions += 1;
            completedBy.set(task.id, agent.id);
          }
        }),
      );
      expect(doubleCompletions).toBe(0);
      expect(completedBy.size).toBe(total);
      const notDone = await server.database.db
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('status', '!=', 'done')
        .executeTakeFirstOrThrow();
      expect(Number(notDone.count)).toBe(0);
      const claimEvents = await server.database.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('type', '=', 'task-claimed')
        .executeTakeFirstOrThrow();
      expect(Number(claimEvents.count)).toBe(total);
      expect(new Set(completedBy.values()).size).toBeGreaterThan(1);
    }, 180_000);

    it('takes the lease in one statement and answers what a read of the task shows', async () => {
      const { agent, apiKey } = await server.createAgentWithKey({ capabilities: ['sql'] });
      await createTask({ title: 'Needs SQL', priority: 'high', requiredCapabilities: ['sql'] });
      const principal = { kind: 'agent' as const, id: agent.id, workspaceId: server.workspaceId, role: 'agent' as const, sessionId: null };
      const { result, statements } = await countStatements(() => server.services.claims.claimNextTask(principal, { leaseSeconds: 300 }));
      expect(result?.task.title).toBe('Needs SQL');
      const takes = statements.filter((text) => /^\s*(with own|update "?tasks"?)/i.test(text));
      expect(takes).toHaveLength(1);
      // The pick is part of the update on PostgreSQL; SQLite's single writer reads it first.
      const picks = statements.filter((text) => /^\s*select \* from \(select/i.test(text));
      expect(picks).toHaveLength(engine === 'postgres' ? 0 : 1);
      // The task's relations are read once, and the answer is built from them.
      expect(statements.filter((text) => text.startsWith('select 0 as "rel"'))).toHaveLength(1);
      const read = (await server.request({ method: 'GET', url: `/api/v1/tasks/${result?.task.id}`, token: apiKey })).json();
      expect(result?.task).toEqual(read);
      expect(read).toMatchObject({ status: 'in_progress', assignees: [{ kind: 'agent', id: agent.id }] });
    });

    it('takes over own work whose holder let the lease run out, and the old holder leaves the assignees', async () => {
      const first = await server.createAgentWithKey({ name: 'first' });
      const second = await server.createAgentWithKey({ name: 'second' });
      const shared = await createTask({
        title: 'Shared',
        assignees: [
          { kind: 'agent', id: first.agent.id },
          { kind: 'agent', id: second.agent.id },
        ],
      });
      expect((await claim(shared.id, first.apiKey, { leaseSeconds: 30 })).statusCode).toBe(200);
      expect((await next(second.apiKey)).statusCode).toBe(204);
      server.clock.advance(31_000);
      const taken = await next(second.apiKey);
      expect(taken.statusCode).toBe(200);
      expect(taken.json().task).toMatchObject({ id: shared.id, assignees: [{ kind: 'agent', id: second.agent.id }] });
      expect(taken.json().task.lease.holder).toEqual({ kind: 'agent', id: second.agent.id });
      const read = (await server.request({ method: 'GET', url: `/api/v1/tasks/${shared.id}` })).json();
      expect(read).toEqual(taken.json().task);
    });

    it('gives 40 agents asking at once 20 different tasks, and the rest nothing', async () => {
      for (let index = 0; index < 20; index += 1) await createTask({ title: `Item ${index}` });
      const agents = await Promise.all(Array.from({ length: 40 }, (_, index) => server.createAgentWithKey({ name: `asker-${index}` })));
      const answers = await Promise.all(agents.map(({ apiKey }) => next(apiKey)));
      const claimed = answers.filter((answer) => answer.statusCode === 200).map((answer) => answer.json().task.id as string);
      expect(claimed).toHaveLength(20);
      expect(new Set(claimed).size).toBe(20);
      expect(answers.filter((answer) => answer.statusCode === 204)).toHaveLength(20);
    });

    it('refuses people: claim-next is for agents', async () => {
      const response = await next(server.ownerToken);
      expect(response.statusCode).toBe(403);
    });
  });
});
