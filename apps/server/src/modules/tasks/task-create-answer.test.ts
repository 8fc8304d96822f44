import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

// Creating a task no longer reads its relations back: the answer is built from what was written.
// It must equal what a later read answers, field for field and in the same order.
describeEachEngine('the answer to creating a task', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(engine);
  });
  afterAll(async () => {
    await server.close();
  });

  it('equals the task read back, with assignees, dependencies and capabilities in the stored order', async () => {
    const agents = [];
    for (let index = 0; index < 3; index += 1) agents.push((await server.createAgentWithKey()).agent);
    const member = await server.addMember({ email: 'member-create-answer@example.com' });
    const blockers = [];
    for (let index = 0; index < 3; index += 1) {
      const blocker = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: `Blocker ${index}` } });
      expect(blocker.statusCode).toBe(201);
      blockers.push(blocker.json());
    }
    const cases = [
      {},
      { requiredCapabilities: ['typescript'] },
      { requiredCapabilities: ['zeta', 'alpha', 'm2', 'alpha'] },
      { requiredCapabilities: ['web-research', 'webapp', 'a.b', 'a_c', 'ab'] },
      {
        assignees: [
          { kind: 'agent', id: agents[2]?.id },
          { kind: 'user', id: member.id },
          { kind: 'agent', id: agents[0]?.id },
          { kind: 'agent', id: agents[1]?.id },
        ],
        dependencyIds: [blockers[2].id, blockers[0].key, blockers[1].id, blockers[0].id],
        requiredCapabilities: ['rust', 'go'],
        priority: 'urgent',
        description: 'All relations at once.',
      },
    ];
    for (const [index, extra] of cases.entries()) {
      const created = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: `Answer ${index}`, ...extra } });
      expect(created.statusCode, created.body).toBe(201);
      const read = await server.request({ method: 'GET', url: `/api/v1/tasks/${created.json().id}` });
      expect(read.statusCode).toBe(200);
      expect(created.body).toBe(read.body);
    }
    const last = await server.request({ method: 'GET', url: '/api/v1/tasks?limit=1' });
    expect(last.statusCode).toBe(200);
    const all = cases.length;
    const stored = await server.database.db
      .selectFrom('task_dependencies')
      .select('depends_on_id')
      .where(
        'task_id',
        'in',
        server.database.db
          .selectFrom('tasks')
          .select('id')
          .where('title', '=', `Answer ${all - 1}`),
      )
      .execute();
    // A dependency named twice (by id and by key) is stored once.
    expect(stored.map((row) => row.depends_on_id).sort()).toEqual([blockers[0].id, blockers[1].id, blockers[2].id].sort());
  });
});
