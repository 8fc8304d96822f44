import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('tasks', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const createTask = (payload: Record<string, unknown>, token?: string) =>
    server.request({ method: 'POST', url: '/api/v1/tasks', payload, ...(token ? { token } : {}) });

  describe('creating', () => {
    it('creates a task in the inbox with a per-workspace key, an event, and stores it', async () => {
      const response = await createTask({ title: 'Research competitor pricing', priority: 'high', requiredCapabilities: ['research'] });
      expect(response.statusCode).toBe(201);
      const task = response.json();
      expect(task).toMatchObject({
        key: 'TASK-1',
        number: 1,
        status: 'inbox',
        priority: 'high',
        assignees: [],
        requiredCapabilities: ['research'],
        creator: { kind: 'user', id: server.ownerPrincipal.id },
      });
      const second = (await createTask({ title: 'Second' })).json();
      expect(second.key).toBe('TASK-2');

      const stored = await server.database.db.selectFrom('tasks').selectAll().where('id', '=', task.id).executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ title: 'Research competitor pricing', status: 'inbox', priority_rank: 2 });
      const events = await server.database.db.selectFrom('events').selectAll().where('task_id', '=', task.id).execute();
      expect(events.map((event) => event.type)).toEqual(['task-created']);
    });

    it('creates an assigned task when assignees are given and notifies them', async () => {
      const { agent } = await server.createAgentWithKey();
      const task = (await createTask({ title: 'Build it', assignees: [{ kind: 'agent', id: agent.id }] })).json();
      expect(task.status).toBe('assigned');
      expect(task.assignees).toEqual([{ kind: 'agent', id: agent.id }]);
      const notifications = await server.database.db.selectFrom('notifications').selectAll().where('recipient_id', '=', agent.id).execute();
      expect(notifications).toHaveLength(1);
      expect(notifications[0]).toMatchObject({ reason: 'assigned', task_id: task.id });
    });

    it('assigns concurrent creations distinct numbers', async () => {
      const responses = await Promise.all(Array.from({ length: 20 }, (_, index) => createTask({ title: `Task ${index}` })));
      const numbers = responses.map((response) => response.json().number).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    });

    it('rejects bad input with 400 and stores nothing', async () => {
      const cases = [
        { title: '' },
        { title: 'x'.repeat(301) },
        { title: 'ok', priority: 'critical' },
        { title: 'ok', unknownField: true },
        { title: 42 },
        { title: 'ok', assignees: [{ kind: 'robot', id: 'x' }] },
        { title: 'ok', dueAt: 'tomorrow' },
      ];
      for (const payload of cases) {
        const response = await createTask(payload);
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
      }
      const count = await server.database.db
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll().as('count'))
        .executeTakeFirstOrThrow();
      expect(Number(count.count)).toBe(0);
    });

    it('rejects an assignee or parent from another workspace with 404 and stores nothing', async () => {
      const otherToken = await server.createOtherWorkspaceToken();
      const foreignAgent = (
        await server.request({ method: 'POST', url: '/api/v1/agents', payload: { name: 'foreign', role: 'x' }, token: otherToken })
      ).json();
      const foreignTask = (await createTask({ title: 'Foreign' }, otherToken)).json();

      const withAgent = await createTask({ title: 'x', assignees: [{ kind: 'agent', id: foreignAgent.id }] });
      expect(withAgent.statusCode).toBe(404);
      expect(withAgent.json().error.code).toBe('AGENT_NOT_FOUND');
      const withParent = await createTask({ title: 'x', parentId: foreignTask.id });
      expect(withParent.statusCode).toBe(404);
      expect(withParent.json().error.code).toBe('TASK_NOT_FOUND');
      const count = await server.database.db
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('workspace_id', '=', server.workspaceId)
        .executeTakeFirstOrThrow();
      expect(Number(count.count)).toBe(0);
    });
  });

  describe('reading', () => {
    it('finds a task by id or by key, case-insensitively, and answers 404 for other workspaces', async () => {
      const task = (await createTask({ title: 'Findable' })).json();
      for (const reference of [task.id, 'TASK-1', 'task-1']) {
        const response = await server.request({ method: 'GET', url: `/api/v1/tasks/${reference}` });
        expect(response.statusCode, reference).toBe(200);
        expect(response.json().id).toBe(task.id);
      }
      const otherToken = await server.createOtherWorkspaceToken();
      const foreign = await server.request({ method: 'GET', url: `/api/v1/tasks/${task.id}`, token: otherToken });
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json().error.code).toBe('TASK_NOT_FOUND');
      const foreignByKey = await server.request({ method: 'GET', url: '/api/v1/tasks/TASK-1', token: otherToken });
      expect(foreignByKey.statusCode).toBe(404);
    });

    it('answers 404 for a key with another prefix, wherever a task reference is taken', async () => {
      const task = (await createTask({ title: 'Only TASK-1' })).json();
      expect(task.key).toBe('TASK-1');
      for (const reference of ['OTHER-1', 'TASKS-1', 'TAS-1', 'X-1']) {
        const response = await server.request({ method: 'GET', url: `/api/v1/tasks/${reference}` });
        expect(response.statusCode, reference).toBe(404);
        expect(response.json().error.code).toBe('TASK_NOT_FOUND');
      }
      const status = await server.request({ method: 'POST', url: '/api/v1/tasks/OTHER-1/status', payload: { status: 'in_progress' } });
      expect(status.statusCode).toBe(404);
      const dependent = await createTask({ title: 'Depends on another prefix', dependencyIds: ['OTHER-1'] });
      expect(dependent.statusCode).toBe(404);
      expect(dependent.json().error.code).toBe('TASK_NOT_FOUND');
      const messages = await server.request({ method: 'GET', url: '/api/v1/tasks/OTHER-1/messages' });
      expect(messages.statusCode).toBe(404);
      expect((await server.request({ method: 'GET', url: `/api/v1/tasks/${task.id}` })).json().status).toBe('inbox');

      // In a workspace whose prefix is OTHER, it is the other way round.
      const otherToken = await server.createOtherWorkspaceToken();
      const otherTask = (
        await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Theirs' }, token: otherToken })
      ).json();
      expect(otherTask.key).toBe('OTHER-1');
      expect((await server.request({ method: 'GET', url: '/api/v1/tasks/OTHER-1', token: otherToken })).json().id).toBe(otherTask.id);
      expect((await server.request({ method: 'GET', url: '/api/v1/tasks/TASK-1', token: otherToken })).statusCode).toBe(404);
    });

    it('lists with filters and cursor pagination, and caps the page size', async () => {
      const { agent } = await server.createAgentWithKey();
      for (let index = 1; index <= 7; index += 1) {
        await createTask({
          title: index % 2 === 0 ? `Deploy service ${index}` : `Write docs ${index}`,
          priority: index <= 2 ? 'urgent' : 'low',
          ...(index === 3 ? { assignees: [{ kind: 'agent', id: agent.id }] } : {}),
        });
      }
      const firstPage = (await server.request({ method: 'GET', url: '/api/v1/tasks?limit=3' })).json();
      expect(firstPage.data.map((task: { number: number }) => task.number)).toEqual([7, 6, 5]);
      const secondPage = (await server.request({ method: 'GET', url: `/api/v1/tasks?limit=3&cursor=${firstPage.nextCursor}` })).json();
      expect(secondPage.data.map((task: { number: number }) => task.number)).toEqual([4, 3, 2]);
      const lastPage = (await server.request({ method: 'GET', url: `/api/v1/tasks?limit=3&cursor=${secondPage.nextCursor}` })).json();
      expect(lastPage.data.map((task: { number: number }) => task.number)).toEqual([1]);
      expect(lastPage.nextCursor).toBeNull();

      const urgent = (await server.request({ method: 'GET', url: '/api/v1/tasks?priority=urgent' })).json();
      expect(urgent.data).toHaveLength(2);
      const text = (await server.request({ method: 'GET', url: '/api/v1/tasks?q=DEPLOY' })).json();
      expect(text.data).toHaveLength(3);
      const byStatus = (await server.request({ method: 'GET', url: '/api/v1/tasks?status=assigned,done' })).json();
      expect(byStatus.data.map((task: { number: number }) => task.number)).toEqual([3]);
      const byAssignee = (await server.request({ method: 'GET', url: `/api/v1/tasks?assigneeId=${agent.id}` })).json();
      expect(byAssignee.data.map((task: { number: number }) => task.number)).toEqual([3]);
      const wildcard = (await server.request({ method: 'GET', url: '/api/v1/tasks?q=%25' })).json();
      expect(wildcard.data).toHaveLength(0);

      const huge = await server.request({ method: 'GET', url: '/api/v1/tasks?limit=10000000' });
      expect(huge.statusCode).toBe(400);
      expect(huge.json().error.message).toContain('limit');
      const badCursor = await server.request({ method: 'GET', url: '/api/v1/tasks?cursor=not-a-cursor' });
      expect(badCursor.statusCode).toBe(400);
    });

    it('lists subtasks of a parent given by key', async () => {
      const parent = (await createTask({ title: 'Goal' })).json();
      await createTask({ title: 'Step 1', parentId: 'TASK-1' });
      await createTask({ title: 'Unrelated' });
      const children = (await server.request({ method: 'GET', url: `/api/v1/tasks?parentId=${parent.key}` })).json();
      expect(children.data.map((task: { title: string }) => task.title)).toEqual(['Step 1']);
    });
  });

  describe('assigning and moving', () => {
    it('moves an inbox task to assigned when assigned and back to the inbox when unassigned', async () => {
      const { agent } = await server.createAgentWithKey();
      await createTask({ title: 'Work' });
      const assigned = await server.request({
        method: 'POST',
        url: '/api/v1/tasks/TASK-1/assign',
        payload: {
          assignees: [
            { kind: 'agent', id: agent.id },
            { kind: 'user', id: server.ownerPrincipal.id },
          ],
        },
      });
      expect(assigned.statusCode).toBe(200);
      expect(assigned.json().status).toBe('assigned');
      expect(assigned.json().assignees).toHaveLength(2);

      const unassigned = await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-1/assign', payload: { assignees: [] } });
      expect(unassigned.json()).toMatchObject({ status: 'inbox', assignees: [] });
      const types = (
        await server.database.db.selectFrom('events').select('type').where('task_id', '=', assigned.json().id).orderBy('seq').execute()
      ).map((event) => event.type);
      expect(types).toEqual([
        'task-created',
        'task-assigned',
        'task-status-changed',
        'notification-created',
        'task-assigned',
        'task-status-changed',
      ]);
    });

    it('walks the board forward and records completion', async () => {
      const { agent, apiKey } = await server.createAgentWithKey();
      await createTask({ title: 'Work', assignees: [{ kind: 'agent', id: agent.id }] });
      for (const status of ['in_progress', 'review', 'done']) {
        const response = await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-1/status', payload: { status }, token: apiKey });
        expect(response.statusCode, status).toBe(200);
        expect(response.json().status).toBe(status);
      }
      const done = (await server.request({ method: 'GET', url: '/api/v1/tasks/TASK-1' })).json();
      expect(done.completedAt).not.toBeNull();
    });

    it('refuses to jump from the inbox to done, or to start work without an assignee, and changes nothing', async () => {
      const task = (await createTask({ title: 'Work' })).json();
      const jump = await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-1/status', payload: { status: 'done' } });
      expect(jump.statusCode).toBe(409);
      expect(jump.json().error.code).toBe('TASK_INVALID_TRANSITION');
      const start = await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-1/status', payload: { status: 'in_progress' } });
      expect(start.statusCode).toBe(409);
      expect(start.json().error.code).toBe('TASK_ASSIGNEE_REQUIRED');
      const stored = await server.database.db.selectFrom('tasks').select('status').where('id', '=', task.id).executeTakeFirstOrThrow();
      expect(stored.status).toBe('inbox');
    });

    it('keeps work in progress waiting until its dependencies are done', async () => {
      const { agent } = await server.createAgentWithKey();
      const first = (await createTask({ title: 'First', assignees: [{ kind: 'agent', id: agent.id }] })).json();
      await createTask({ title: 'Second', dependencyIds: [first.key], assignees: [{ kind: 'agent', id: agent.id }] });
      const blocked = await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-2/status', payload: { status: 'in_progress' } });
      expect(blocked.statusCode).toBe(409);
      expect(blocked.json().error.message).toContain('TASK-1');
      for (const status of ['in_progress', 'done']) {
        await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-1/status', payload: { status } });
      }
      const started = await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-2/status', payload: { status: 'in_progress' } });
      expect(started.statusCode).toBe(200);
    });

    it('rejects dependency and parent cycles', async () => {
      await createTask({ title: 'A' });
      await createTask({ title: 'B', dependencyIds: ['TASK-1'], parentId: 'TASK-1' });
      const dependencyCycle = await server.request({
        method: 'PATCH',
        url: '/api/v1/tasks/TASK-1',
        payload: { dependencyIds: ['TASK-2'] },
      });
      expect(dependencyCycle.statusCode).toBe(409);
      expect(dependencyCycle.json().error.code).toBe('TASK_DEPENDENCY_CYCLE');
      const parentCycle = await server.request({ method: 'PATCH', url: '/api/v1/tasks/TASK-1', payload: { parentId: 'TASK-2' } });
      expect(parentCycle.statusCode).toBe(409);
      expect(parentCycle.json().error.code).toBe('TASK_PARENT_CYCLE');
    });
  });

  describe('replacing (PUT)', () => {
    it('replaces every editable field, resets the ones left out to their defaults, and keeps status and assignees', async () => {
      const { agent } = await server.createAgentWithKey();
      await createTask({ title: 'Parent' });
      await createTask({
        title: 'Child',
        description: 'old',
        priority: 'urgent',
        parentId: 'TASK-1',
        dependencyIds: ['TASK-1'],
        requiredCapabilities: ['research'],
        dueAt: '2026-02-01T00:00:00.000Z',
        assignees: [{ kind: 'agent', id: agent.id }],
      });
      const response = await server.request({
        method: 'PUT',
        url: '/api/v1/tasks/TASK-2',
        payload: { title: 'Child, renamed', priority: 'low' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        title: 'Child, renamed',
        description: '',
        priority: 'low',
        parentId: null,
        dependencyIds: [],
        requiredCapabilities: [],
        dueAt: null,
        status: 'assigned',
        assignees: [{ kind: 'agent', id: agent.id }],
      });
      const stored = await server.database.db
        .selectFrom('tasks')
        .selectAll()
        .where('id', '=', response.json().id)
        .executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ title: 'Child, renamed', description: '', priority: 'low', parent_id: null, due_at: null });
      const dependencies = await server.database.db.selectFrom('task_dependencies').selectAll().where('task_id', '=', stored.id).execute();
      expect(dependencies).toEqual([]);
    });

    it('validates like PATCH: a missing title or an unknown field is a 400 that changes nothing', async () => {
      await createTask({ title: 'Keep me', priority: 'high' });
      for (const payload of [{}, { title: '' }, { title: 'ok', status: 'done' }, { title: 'ok', priority: 'critical' }]) {
        const response = await server.request({ method: 'PUT', url: '/api/v1/tasks/TASK-1', payload });
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
      }
      expect((await server.request({ method: 'GET', url: '/api/v1/tasks/TASK-1' })).json()).toMatchObject({
        title: 'Keep me',
        priority: 'high',
      });
      const missing = await server.request({ method: 'PUT', url: '/api/v1/tasks/TASK-99', payload: { title: 'x' } });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('TASK_NOT_FOUND');
    });
  });

  describe('permissions', () => {
    it('lets a viewer read but not write, and lets agents write but not delete', async () => {
      const viewerToken = (await server.addMember({ email: 'viewer@example.com', role: 'viewer' })).token;
      await createTask({ title: 'Visible' });
      expect((await server.request({ method: 'GET', url: '/api/v1/tasks', token: viewerToken })).statusCode).toBe(200);
      const write = await createTask({ title: 'Nope' }, viewerToken);
      expect(write.statusCode).toBe(403);
      expect(write.json().error.code).toBe('FORBIDDEN');

      const { apiKey } = await server.createAgentWithKey();
      expect((await createTask({ title: 'By agent' }, apiKey)).json().creator.kind).toBe('agent');
      const deleteByAgent = await server.request({ method: 'DELETE', url: '/api/v1/tasks/TASK-1', token: apiKey });
      expect(deleteByAgent.statusCode).toBe(403);
      const deleteByOwner = await server.request({ method: 'DELETE', url: '/api/v1/tasks/TASK-1' });
      expect(deleteByOwner.statusCode).toBe(204);
      expect((await server.request({ method: 'GET', url: '/api/v1/tasks/TASK-1' })).statusCode).toBe(404);
    });
  });
});
