import type {
  AgentSkillUsage,
  EventType,
  Page,
  SearchResult,
  Skill,
  SkillSummary,
  SkillUse,
  SkillVersion,
} from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('skills', (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await createTestServer(engine);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  async function send(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET', url: string, payload?: Record<string, unknown>, token?: string) {
    return server.request({ method, url, ...(payload ? { payload } : {}), token });
  }
  async function createSkill(payload: Record<string, unknown>, token?: string) {
    const answer = await send('POST', '/api/v1/skills', payload, token);
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json() as Skill;
  }
  async function eventsOfType(type: EventType) {
    return server.database.db.selectFrom('events').select(['type', 'data']).where('type', '=', type).execute();
  }

  it('creates, reads, versions on PUT and PATCH, lists versions and deletes a skill, with its events', async () => {
    const created = await createSkill({
      name: 'Rotate database credentials',
      description: 'When the vault says a password expires',
      body: '1. Open the vault\n2. Rotate the key',
      capabilities: ['ops', 'sql'],
    });
    expect(created).toMatchObject({
      version: 1,
      capabilities: ['ops', 'sql'],
      sourceTaskId: null,
      author: { kind: 'user' },
      usage: { uses: 0, succeeded: 0, failed: 0 },
    });
    expect((await send('GET', `/api/v1/skills/${created.id}`)).json()).toEqual(created);

    const patched = await send('PATCH', `/api/v1/skills/${created.id}`, {
      body: '1. Open the vault\n2. Rotate\n3. Tell the team',
      baseVersion: 1,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      version: 2,
      name: 'Rotate database credentials',
      body: expect.stringContaining('Tell the team'),
    });
    const unchanged = await send('PATCH', `/api/v1/skills/${created.id}`, { name: 'Rotate database credentials' });
    expect(unchanged.json().version).toBe(2);
    const stale = await send('PATCH', `/api/v1/skills/${created.id}`, { name: 'Old edit', baseVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'SKILL_VERSION_CONFLICT', details: { currentVersion: 2 } } });

    const replaced = await send('PUT', `/api/v1/skills/${created.id}`, { name: 'Rotate credentials', body: 'Use the rotate script.' });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({ version: 3, name: 'Rotate credentials', description: '', capabilities: [] });

    const versions = (await send('GET', `/api/v1/skills/${created.id}/versions?limit=2`)).json() as Page<SkillVersion>;
    expect(versions.data.map((version) => version.version)).toEqual([3, 2]);
    const older = (await send('GET', `/api/v1/skills/${created.id}/versions?cursor=${versions.nextCursor}`)).json() as Page<SkillVersion>;
    expect(older.data).toEqual([
      expect.objectContaining({ version: 1, name: 'Rotate database credentials', capabilities: ['ops', 'sql'] }),
    ]);

    const onlyOps = (await send('GET', '/api/v1/skills?capability=ops')).json() as Page<SkillSummary>;
    expect(onlyOps.data.map((skill) => skill.id)).not.toContain(created.id);

    const deleted = await send('DELETE', `/api/v1/skills/${created.id}`);
    expect(deleted.statusCode).toBe(204);
    expect((await send('GET', `/api/v1/skills/${created.id}`)).json()).toMatchObject({ error: { code: 'SKILL_NOT_FOUND' } });
    expect(await server.database.db.selectFrom('skill_versions').select('version').where('skill_id', '=', created.id).execute()).toEqual(
      [],
    );

    const [createdEvent] = (await eventsOfType('skill-created')).filter((event) => JSON.stringify(event.data).includes(created.id));
    expect(createdEvent).toBeDefined();
    expect((await eventsOfType('skill-versioned')).filter((event) => JSON.stringify(event.data).includes(created.id))).toHaveLength(2);
    expect((await eventsOfType('skill-deleted')).filter((event) => JSON.stringify(event.data).includes(created.id))).toHaveLength(1);
  });

  it('answers 404 for another workspace’s skill, 403 to viewers and specialists, and lets lead and reviewer agents write', async () => {
    const skill = await createSkill({ name: 'Mine', body: 'Steps' });
    const otherSession = await server.createOtherWorkspaceToken();
    for (const [method, payload] of [
      ['GET', undefined],
      ['PATCH', { name: 'Theirs' }],
      ['DELETE', undefined],
    ] as const) {
      const answer = await send(method, `/api/v1/skills/${skill.id}`, payload, otherSession);
      expect(answer.statusCode).toBe(404);
      expect(answer.json()).toMatchObject({ error: { code: 'SKILL_NOT_FOUND' } });
    }
    expect((await send('GET', '/api/v1/skills', undefined, otherSession)).json().data).toEqual([]);

    const viewer = await server.addMember({ email: 'viewer-skills@example.com', role: 'viewer' });
    const refused = await send('POST', '/api/v1/skills', { name: 'Nope', body: 'x' }, viewer.token);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await send('PATCH', `/api/v1/skills/${skill.id}`, { name: 'x' }, viewer.token)).statusCode).toBe(403);
    expect((await send('GET', `/api/v1/skills/${skill.id}`, undefined, viewer.token)).statusCode).toBe(200);

    const specialist = await server.createAgentWithKey();
    expect((await send('POST', '/api/v1/skills', { name: 'Nope', body: 'x' }, specialist.apiKey)).statusCode).toBe(403);
    const lead = await server.createAgentWithKey({ kind: 'lead' });
    expect((await createSkill({ name: 'By the lead', body: 'x' }, lead.apiKey)).author).toEqual({ kind: 'agent', id: lead.agent.id });
    const reviewer = await server.createAgentWithKey({ kind: 'reviewer' });
    expect((await send('POST', '/api/v1/skills', { name: 'By the reviewer', body: 'x' }, reviewer.apiKey)).statusCode).toBe(201);
    // A refused write stored nothing.
    expect(await server.database.db.selectFrom('skills').select('id').where('name', '=', 'Nope').execute()).toEqual([]);
  });

  it('is found by a word of its procedure in GET /api/v1/search?types=skill and GET /api/v1/skills?q=', async () => {
    const skill = await createSkill({ name: 'Restart the ingest workers', body: 'Drain the flibbertigibbet queue, then restart.' });
    const found = (await send('GET', '/api/v1/search?q=flibbertigibbet&types=skill')).json() as SearchResult;
    expect(found.hits).toEqual([
      expect.objectContaining({
        type: 'skill',
        id: skill.id,
        title: 'Restart the ingest workers',
        snippet: expect.stringContaining('**flibbertigibbet**'),
      }),
    ]);
    expect(found.facets.skill).toBe(1);
    const everything = (await send('GET', '/api/v1/search?q=flibbertigibbet')).json() as SearchResult;
    expect(everything.facets).toEqual({ task: 0, message: 0, document: 0, skill: 1, memory: 0 });
    const listed = (await send('GET', '/api/v1/skills?q=how+do+I+drain+a+flibbertigibbet')).json() as Page<SkillSummary>;
    expect(listed.data.map((entry) => entry.id)).toEqual([skill.id]);
    expect(listed.data[0]).not.toHaveProperty('body');

    await send('PATCH', `/api/v1/skills/${skill.id}`, { body: 'Drain the quokka queue.' });
    expect(((await send('GET', '/api/v1/search?q=flibbertigibbet')).json() as SearchResult).hits).toEqual([]);
    await send('DELETE', `/api/v1/skills/${skill.id}`);
    expect(((await send('GET', '/api/v1/search?q=quokka')).json() as SearchResult).hits).toEqual([]);
  });

  it('turns a done task into a skill prefilled from its last message and documents, and refuses an open one', async () => {
    const task = (await send('POST', '/api/v1/tasks', { title: 'Fix the flaky deploy', requiredCapabilities: ['ops'] })).json() as {
      id: string;
      key: string;
    };
    await send('POST', `/api/v1/tasks/${task.id}/messages`, { content: 'First guess: the cache.' });
    await send('POST', `/api/v1/tasks/${task.id}/messages`, { content: 'Pinning the runner image fixed it.' });
    await send('POST', '/api/v1/documents', { title: 'Deploy notes', content: 'Image tag must be pinned.', taskId: task.id });

    const open = await send('POST', `/api/v1/tasks/${task.id}/skill`, {});
    expect(open.statusCode).toBe(409);
    expect(open.json()).toMatchObject({ error: { code: 'TASK_INVALID_TRANSITION' } });

    const human = await server.request({ method: 'GET', url: '/api/v1/auth/me' });
    const userId = (human.json() as { user: { id: string } }).user.id;
    await send('POST', `/api/v1/tasks/${task.id}/assign`, { assignees: [{ kind: 'user', id: userId }] });
    await send('POST', `/api/v1/tasks/${task.id}/status`, { status: 'in_progress' });
    expect((await send('POST', `/api/v1/tasks/${task.id}/status`, { status: 'done' })).statusCode).toBe(200);

    const reviewer = await server.createAgentWithKey({ kind: 'reviewer' });
    const answer = await send('POST', `/api/v1/tasks/${task.key}/skill`, {}, reviewer.apiKey);
    expect(answer.statusCode, answer.body).toBe(201);
    const skill = answer.json() as Skill;
    expect(skill).toMatchObject({ name: 'Fix the flaky deploy', sourceTaskId: task.id, capabilities: ['ops'] });
    expect(skill.body).toContain('Pinning the runner image fixed it.');
    expect(skill.body).not.toContain('First guess');
    expect(skill.body).toContain('Image tag must be pinned.');
    const [event] = (await eventsOfType('skill-created')).filter((entry) => JSON.stringify(entry.data).includes(skill.id));
    expect(JSON.stringify(event?.data)).toContain(task.id);
  });

  it('links a skill to the tasks an agent holds and counts how they ended, per skill and on the agent', async () => {
    const skill = await createSkill({ name: 'Bisect a regression', body: 'git bisect run the test' });
    const { agent, apiKey } = await server.createAgentWithKey();
    const makeTask = async (title: string) => {
      const created = (await send('POST', '/api/v1/tasks', { title, assignees: [{ kind: 'agent', id: agent.id }] })).json() as {
        id: string;
      };
      expect((await send('POST', `/api/v1/tasks/${created.id}/status`, { status: 'in_progress' })).statusCode).toBe(200);
      return created.id;
    };
    const first = await makeTask('Find the slow commit');
    const uses = await send('POST', `/api/v1/skills/${skill.id}/uses`, {}, apiKey);
    expect(uses.statusCode, uses.body).toBe(200);
    expect((uses.json() as SkillUse[]).map((use) => use.taskId)).toEqual([first]);
    // Reading it again for the same task keeps one use.
    expect(((await send('POST', `/api/v1/skills/${skill.id}/uses`, { taskId: first }, apiKey)).json() as SkillUse[]).length).toBe(1);
    await send('POST', `/api/v1/tasks/${first}/status`, { status: 'done' });

    const second = await makeTask('Find the crashing commit');
    await send('POST', `/api/v1/skills/${skill.id}/uses`, { taskId: second }, apiKey);
    await send('POST', `/api/v1/tasks/${second}/status`, { status: 'failed' });
    const third = await makeTask('Still going');
    await send('POST', `/api/v1/skills/${skill.id}/uses`, { taskId: third }, apiKey);

    // Not its task: 403; and people do not record uses.
    const foreign = (await send('POST', '/api/v1/tasks', { title: 'Someone else’s' })).json() as { id: string };
    expect((await send('POST', `/api/v1/skills/${skill.id}/uses`, { taskId: foreign.id }, apiKey)).statusCode).toBe(403);
    expect((await send('POST', `/api/v1/skills/${skill.id}/uses`, {})).statusCode).toBe(403);

    expect(((await send('GET', `/api/v1/skills/${skill.id}`)).json() as Skill).usage).toEqual({ uses: 3, succeeded: 1, failed: 1 });
    const used = (await send('GET', `/api/v1/agents/${agent.id}/skills`)).json() as AgentSkillUsage[];
    expect(used).toEqual([
      { skillId: skill.id, name: 'Bisect a regression', lastUsedAt: expect.any(String), usage: { uses: 3, succeeded: 1, failed: 1 } },
    ]);
    expect((await send('GET', `/api/v1/agents/${agent.id}/skills`, undefined, await server.createOtherWorkspaceToken())).statusCode).toBe(
      404,
    );
  });
});
