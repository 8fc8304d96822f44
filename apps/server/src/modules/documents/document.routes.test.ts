import type { EventType } from '@mission-control/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJsonColumn } from '../../db/database.js';
import { encodeCursor } from '../../http/pagination.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

interface DocumentBody {
  id: string;
  version: number;
  title: string;
  content?: string;
  taskId: string | null;
}

describeEachEngine('documents', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const createTask = async (title = 'Launch plan') => {
    const response = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title } });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; key: string };
  };

  const createDocument = async (payload: Record<string, unknown>, token?: string): Promise<DocumentBody> => {
    const response = await server.request({ method: 'POST', url: '/api/v1/documents', payload, ...(token ? { token } : {}) });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };

  const patch = (id: string, payload: Record<string, unknown>, token?: string) =>
    server.request({ method: 'PATCH', url: `/api/v1/documents/${id}`, payload, ...(token ? { token } : {}) });
  const put = (id: string, payload: Record<string, unknown> | undefined, token?: string) =>
    server.request({ method: 'PUT', url: `/api/v1/documents/${id}`, ...(payload ? { payload } : {}), ...(token ? { token } : {}) });

  /** Brings a person into the workspace (invited and accepted) and signs them in. */
  const addMember = (email: string, role: 'member' | 'viewer' = 'member') => server.addMember({ email, role });

  const storedDocuments = () => server.database.db.selectFrom('documents').selectAll().orderBy('id').execute();
  const storedVersions = (documentId: string) =>
    server.database.db.selectFrom('document_versions').selectAll().where('document_id', '=', documentId).orderBy('version').execute();
  const storedEvents = (type: EventType) =>
    server.database.db.selectFrom('events').selectAll().where('type', '=', type).orderBy('seq').execute();
  const storedNotifications = () => server.database.db.selectFrom('notifications').selectAll().orderBy('id').execute();

  describe('creating', () => {
    it('creates version 1 linked to a task by key, with a version row and a document-created event', async () => {
      const task = await createTask();
      const response = await server.request({
        method: 'POST',
        url: '/api/v1/documents',
        payload: { title: ' Launch brief ', content: '# Launch\n\nGoals.', type: 'research', taskId: task.key },
      });
      expect(response.statusCode).toBe(201);
      const document = response.json();
      expect(document).toMatchObject({
        workspaceId: server.workspaceId,
        taskId: task.id,
        title: 'Launch brief',
        content: '# Launch\n\nGoals.',
        type: 'research',
        author: { kind: 'user', id: server.ownerPrincipal.id },
        version: 1,
      });

      const [stored] = await storedDocuments();
      expect(stored).toMatchObject({ id: document.id, task_id: task.id, title: 'Launch brief', version: 1, author_kind: 'user' });
      const versions = await storedVersions(document.id);
      expect(versions).toHaveLength(1);
      expect(versions[0]).toMatchObject({
        version: 1,
        title: 'Launch brief',
        content: '# Launch\n\nGoals.',
        type: 'research',
        workspace_id: server.workspaceId,
      });

      const [event] = await storedEvents('document-created');
      expect(event).toMatchObject({ task_id: task.id, summary: 'user Owner created the research "Launch brief"' });
      expect(parseJsonColumn(event?.data)).toEqual({ documentId: document.id, title: 'Launch brief', type: 'research', version: 1 });
    });

    it('defaults to an empty deliverable with no task, and lets an agent write with its API key', async () => {
      const { agent, apiKey } = await server.createAgentWithKey({ name: 'jarvis' });
      const document = await createDocument({ title: 'Notes' }, apiKey);
      expect(document).toMatchObject({ content: '', type: 'deliverable', taskId: null, author: { kind: 'agent', id: agent.id } });
      const [event] = await storedEvents('document-created');
      expect(event).toMatchObject({ task_id: null, actor_kind: 'agent', summary: 'agent jarvis created the deliverable "Notes"' });
    });

    it('rejects bad input with 400 VALIDATION_FAILED and stores nothing', async () => {
      const cases = [
        { title: 'ok', locked: true },
        { title: '' },
        { title: 'x'.repeat(301) },
        { title: 'ok', content: 'x'.repeat(200_001) },
        { title: 'ok', type: 'poem' },
        { title: 'ok', taskId: '' },
        { content: 'no title' },
      ];
      for (const payload of cases) {
        const response = await server.request({ method: 'POST', url: '/api/v1/documents', payload });
        expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
      }
      expect(await storedDocuments()).toEqual([]);
    });

    it('answers 404 TASK_NOT_FOUND when linking to an unknown task', async () => {
      const response = await server.request({ method: 'POST', url: '/api/v1/documents', payload: { title: 'ok', taskId: 'TASK-42' } });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('TASK_NOT_FOUND');
      expect(await storedDocuments()).toEqual([]);
    });
  });

  describe('listing and reading', () => {
    it('lists summaries newest first without content, page by page', async () => {
      for (const title of ['one', 'two', 'three']) await createDocument({ title, content: 'body' });
      const first = await server.request({ method: 'GET', url: '/api/v1/documents?limit=2' });
      expect(first.statusCode).toBe(200);
      const body = first.json();
      expect(body.data.map((document: DocumentBody) => document.title)).toEqual(['three', 'two']);
      expect(body.data[0]).not.toHaveProperty('content');
      const second = await server.request({ method: 'GET', url: `/api/v1/documents?limit=2&cursor=${body.nextCursor}` });
      expect(second.json()).toMatchObject({ data: [{ title: 'one' }], nextCursor: null });
    });

    it('filters by type, by task id or key, and by text in the title or content, case-insensitively', async () => {
      const task = await createTask();
      await createDocument({ title: 'Pricing research', type: 'research', content: 'Competitors charge 10% more' });
      await createDocument({ title: 'Deploy protocol', type: 'protocol', content: 'Run the MIGRATIONS first', taskId: task.key });
      await createDocument({ title: 'Release notes', content: 'Nothing special' });
      const titles = async (query: string) => {
        const response = await server.request({ method: 'GET', url: `/api/v1/documents?${query}` });
        expect(response.statusCode, query).toBe(200);
        return response.json().data.map((document: DocumentBody) => document.title);
      };
      expect(await titles('type=protocol')).toEqual(['Deploy protocol']);
      expect(await titles(`taskId=${task.key}`)).toEqual(['Deploy protocol']);
      expect(await titles(`taskId=${task.id}`)).toEqual(['Deploy protocol']);
      expect(await titles('q=migrations')).toEqual(['Deploy protocol']);
      expect(await titles('q=PRICING')).toEqual(['Pricing research']);
      expect(await titles('q=10%25')).toEqual(['Pricing research']);
      expect(await titles('q=%25')).toEqual(['Pricing research']);
      expect(await titles('q=_')).toEqual([]);
      expect(await titles('type=research&q=deploy')).toEqual([]);
    });

    it('answers 404 TASK_NOT_FOUND when filtering by an unknown task', async () => {
      const response = await server.request({ method: 'GET', url: '/api/v1/documents?taskId=TASK-9' });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('TASK_NOT_FOUND');
    });

    it('gets a document with its content, and 404 DOCUMENT_NOT_FOUND for an unknown id', async () => {
      const created = await createDocument({ title: 'Spec', content: 'Body' });
      const response = await server.request({ method: 'GET', url: `/api/v1/documents/${created.id}` });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(created);
      const unknown = await server.request({ method: 'GET', url: '/api/v1/documents/01890000-0000-7000-8000-000000000000' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('DOCUMENT_NOT_FOUND');
    });

    it('rejects a huge limit, a bad cursor, an unknown type and a malformed id with 400', async () => {
      const document = await createDocument({ title: 'Spec' });
      const urls = [
        '/api/v1/documents?limit=10000000',
        '/api/v1/documents?cursor=garbage',
        `/api/v1/documents?cursor=${encodeCursor(3)}`,
        '/api/v1/documents?type=poem',
        '/api/v1/documents/not-a-uuid',
        `/api/v1/documents/${document.id}/versions?limit=10000000`,
        `/api/v1/documents/${document.id}/versions?cursor=${encodeCursor('text')}`,
        `/api/v1/documents/${document.id}/versions/abc`,
        `/api/v1/documents/${document.id}/versions/0`,
        `/api/v1/documents/${document.id}/versions/99999999999`,
      ];
      for (const url of urls) {
        const response = await server.request({ method: 'GET', url });
        expect(response.statusCode, url).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('editing', () => {
    it('makes a new version for every change, stores it and appends a document-versioned event', async () => {
      const task = await createTask();
      const created = await createDocument({ title: 'Spec', content: 'v1 text' });
      const response = await patch(created.id, { content: 'v2 text', taskId: task.key, baseVersion: 1 });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ version: 2, content: 'v2 text', title: 'Spec', taskId: task.id });

      const [stored] = await storedDocuments();
      expect(stored).toMatchObject({ version: 2, content: 'v2 text', task_id: task.id });
      const versions = await storedVersions(created.id);
      expect(versions.map((version) => [version.version, version.content])).toEqual([
        [1, 'v1 text'],
        [2, 'v2 text'],
      ]);
      const [event] = await storedEvents('document-versioned');
      expect(event).toMatchObject({ task_id: task.id, summary: 'user Owner updated "Spec" to version 2 (content, taskId)' });
      expect(parseJsonColumn(event?.data)).toEqual({ documentId: created.id, title: 'Spec', version: 2, fields: ['content', 'taskId'] });

      const retitled = await patch(created.id, { title: 'Spec v2', type: 'protocol', taskId: null });
      expect(retitled.json()).toMatchObject({ version: 3, title: 'Spec v2', type: 'protocol', taskId: null, content: 'v2 text' });
      const events = await storedEvents('document-versioned');
      // Unlinking still lands in the history of the task the document left.
      expect(events[1]).toMatchObject({ task_id: task.id });
    });

    it('records the editor as the author of the new version', async () => {
      const { agent, apiKey } = await server.createAgentWithKey({ name: 'friday' });
      const created = await createDocument({ title: 'Spec', content: 'v1' });
      const response = await patch(created.id, { content: 'v2 by friday' }, apiKey);
      expect(response.json()).toMatchObject({ version: 2, author: { kind: 'agent', id: agent.id } });
      const versions = await storedVersions(created.id);
      expect(versions.map((version) => version.author_kind)).toEqual(['user', 'agent']);
    });

    it('makes no version and no event for a PATCH that changes nothing', async () => {
      const created = await createDocument({ title: 'Spec', content: 'same', type: 'research' });
      for (const payload of [{}, { title: 'Spec', content: 'same', type: 'research', taskId: null }, { baseVersion: 1 }]) {
        const response = await patch(created.id, payload);
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual(created);
      }
      expect(await storedVersions(created.id)).toHaveLength(1);
      expect(await storedEvents('document-versioned')).toEqual([]);
    });

    it('answers 409 DOCUMENT_VERSION_CONFLICT with the current version when baseVersion is stale, and stores nothing', async () => {
      const created = await createDocument({ title: 'Spec', content: 'v1' });
      expect((await patch(created.id, { content: 'v2', baseVersion: 1 })).statusCode).toBe(200);
      const stale = await patch(created.id, { content: 'my edit of v1', baseVersion: 1 });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({ code: 'DOCUMENT_VERSION_CONFLICT', details: { currentVersion: 2 } });
      expect(stale.json().error.message).toContain('baseVersion 2');
      const [stored] = await storedDocuments();
      expect(stored).toMatchObject({ version: 2, content: 'v2' });
      expect(await storedVersions(created.id)).toHaveLength(2);
    });

    it('lets exactly one of several concurrent edits of the same version win', async () => {
      const created = await createDocument({ title: 'Spec', content: 'v1' });
      const responses = await Promise.all(
        ['A', 'B', 'C', 'D', 'E'].map((name) => patch(created.id, { content: `edit ${name}`, baseVersion: 1 })),
      );
      expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
      for (const loser of responses.filter((response) => response.statusCode === 409)) {
        expect(loser.json().error.details).toEqual({ currentVersion: 2 });
      }
      const versions = await storedVersions(created.id);
      expect(versions.map((version) => version.version)).toEqual([1, 2]);
      const [stored] = await storedDocuments();
      expect(stored?.content).toBe(versions[1]?.content);
    });

    it('rejects unknown fields and over-long content with 400, and an unknown task with 404', async () => {
      const created = await createDocument({ title: 'Spec' });
      for (const payload of [{ version: 5 }, { content: 'x'.repeat(200_001) }, { baseVersion: 0 }, { title: '' }]) {
        const response = await patch(created.id, payload);
        expect(response.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
      }
      const unknownTask = await patch(created.id, { taskId: 'TASK-77' });
      expect(unknownTask.statusCode).toBe(404);
      expect(unknownTask.json().error.code).toBe('TASK_NOT_FOUND');
      expect(await storedVersions(created.id)).toHaveLength(1);
    });
  });

  describe('replacing (PUT)', () => {
    it('stores a new version with every field sent and resets the ones left out to their defaults', async () => {
      const task = await createTask();
      const created = await createDocument({ title: 'Spec', content: 'v1 text', type: 'research', taskId: task.key });
      const response = await put(created.id, { title: 'Spec (full)', content: '# All of it\n\nv2', baseVersion: 1 });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        version: 2,
        title: 'Spec (full)',
        content: '# All of it\n\nv2',
        type: 'deliverable',
        taskId: null,
      });

      const [stored] = await storedDocuments();
      expect(stored).toMatchObject({ version: 2, title: 'Spec (full)', content: '# All of it\n\nv2', type: 'deliverable', task_id: null });
      const versions = await storedVersions(created.id);
      expect(versions.map((version) => [version.version, version.title, version.content, version.type])).toEqual([
        [1, 'Spec', 'v1 text', 'research'],
        [2, 'Spec (full)', '# All of it\n\nv2', 'deliverable'],
      ]);
      const [event] = await storedEvents('document-versioned');
      // Unlinking by leaving the task out still lands in the history of the task the document left.
      expect(event).toMatchObject({ task_id: task.id });
      expect(parseJsonColumn(event?.data)).toEqual({
        documentId: created.id,
        title: 'Spec (full)',
        version: 2,
        fields: ['title', 'content', 'type', 'taskId'],
      });

      const linked = await put(created.id, { title: 'Spec (full)', type: 'protocol', taskId: task.key });
      expect(linked.json()).toMatchObject({ version: 3, content: '', type: 'protocol', taskId: task.id });
      expect((await storedVersions(created.id)).at(-1)).toMatchObject({ version: 3, content: '', type: 'protocol' });
    });

    it('makes no version when the full update equals the current document', async () => {
      const created = await createDocument({ title: 'Spec', content: 'same' });
      const response = await put(created.id, { title: 'Spec', content: 'same', type: 'deliverable', taskId: null, baseVersion: 1 });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(created);
      expect(await storedVersions(created.id)).toHaveLength(1);
      expect(await storedEvents('document-versioned')).toEqual([]);
    });

    it('rejects a missing body, a missing title and bad fields with 400, storing no new version', async () => {
      const created = await createDocument({ title: 'Spec', content: 'v1', type: 'research' });
      const cases: (Record<string, unknown> | undefined)[] = [
        undefined,
        {},
        { content: 'no title' },
        { title: '' },
        { title: 'ok', version: 5 },
        { title: 'ok', type: 'poem' },
        { title: 'ok', content: 'x'.repeat(200_001) },
        { title: 'ok', baseVersion: 0 },
        { title: 'ok', taskId: '' },
      ];
      for (const payload of cases) {
        const response = await put(created.id, payload);
        expect(response.statusCode, JSON.stringify(payload)?.slice(0, 60)).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
      }
      expect(await storedVersions(created.id)).toHaveLength(1);
      const [stored] = await storedDocuments();
      expect(stored).toMatchObject({ version: 1, title: 'Spec', content: 'v1', type: 'research' });
    });

    it('answers 404 for an unknown document, an unknown task and a document of another workspace', async () => {
      const created = await createDocument({ title: 'Spec', content: 'v1' });
      const unknown = await put('01890000-0000-7000-8000-000000000000', { title: 'ok' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('DOCUMENT_NOT_FOUND');
      const unknownTask = await put(created.id, { title: 'ok', taskId: 'TASK-77' });
      expect(unknownTask.statusCode).toBe(404);
      expect(unknownTask.json().error.code).toBe('TASK_NOT_FOUND');
      const otherWorkspace = await put(created.id, { title: 'overwritten' }, await server.createOtherWorkspaceToken());
      expect(otherWorkspace.statusCode).toBe(404);
      expect(otherWorkspace.json().error.code).toBe('DOCUMENT_NOT_FOUND');
      expect(await storedVersions(created.id)).toHaveLength(1);
    });

    it('answers 403 FORBIDDEN to a viewer, storing nothing', async () => {
      const created = await createDocument({ title: 'Spec', content: 'v1' });
      const viewer = await addMember('watcher@example.com', 'viewer');
      const response = await put(created.id, { title: 'Mine', content: 'changed' }, viewer.token);
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
      expect(await storedVersions(created.id)).toHaveLength(1);
      const [stored] = await storedDocuments();
      expect(stored).toMatchObject({ version: 1, title: 'Spec', content: 'v1' });
    });

    it('answers 409 DOCUMENT_VERSION_CONFLICT when baseVersion is stale, and stores nothing', async () => {
      const created = await createDocument({ title: 'Spec', content: 'v1' });
      expect((await patch(created.id, { content: 'v2' })).statusCode).toBe(200);
      const stale = await put(created.id, { title: 'Spec', content: 'my full edit of v1', baseVersion: 1 });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({ code: 'DOCUMENT_VERSION_CONFLICT', details: { currentVersion: 2 } });
      const [stored] = await storedDocuments();
      expect(stored).toMatchObject({ version: 2, content: 'v2' });
      expect(await storedVersions(created.id)).toHaveLength(2);
    });
  });

  describe('versions and restore', () => {
    it('lists version summaries newest first, page by page, and gets one version with its content', async () => {
      const created = await createDocument({ title: 'Spec', content: 'v1' });
      await patch(created.id, { content: 'v2' });
      await patch(created.id, { content: 'v3' });

      const first = await server.request({ method: 'GET', url: `/api/v1/documents/${created.id}/versions?limit=2` });
      expect(first.statusCode).toBe(200);
      expect(first.json().data.map((version: { version: number }) => version.version)).toEqual([3, 2]);
      expect(first.json().data[0]).not.toHaveProperty('content');
      expect(first.json().data[0]).toMatchObject({ documentId: created.id, title: 'Spec', type: 'deliverable', author: { kind: 'user' } });
      const second = await server.request({
        method: 'GET',
        url: `/api/v1/documents/${created.id}/versions?limit=2&cursor=${first.json().nextCursor}`,
      });
      expect(second.json()).toMatchObject({ data: [{ version: 1 }], nextCursor: null });

      const one = await server.request({ method: 'GET', url: `/api/v1/documents/${created.id}/versions/1` });
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({ documentId: created.id, version: 1, content: 'v1', title: 'Spec' });

      const missing = await server.request({ method: 'GET', url: `/api/v1/documents/${created.id}/versions/9` });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('DOCUMENT_VERSION_NOT_FOUND');
    });

    it('restores an old version as a new version, keeping the history', async () => {
      const created = await createDocument({ title: 'Spec', content: 'original', type: 'research' });
      await patch(created.id, { title: 'Spec (rewritten)', content: 'rewritten', type: 'protocol' });

      const response = await server.request({ method: 'POST', url: `/api/v1/documents/${created.id}/versions/1/restore` });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ version: 3, title: 'Spec', content: 'original', type: 'research' });

      const versions = await storedVersions(created.id);
      expect(versions.map((version) => [version.version, version.content])).toEqual([
        [1, 'original'],
        [2, 'rewritten'],
        [3, 'original'],
      ]);
      const events = await storedEvents('document-versioned');
      expect(events[1]?.summary).toBe('user Owner restored "Spec" to version 1 as version 3');
      expect(parseJsonColumn(events[1]?.data)).toMatchObject({ version: 3, restoredFrom: 1, fields: ['title', 'content', 'type'] });

      // Restoring what is already current changes nothing and makes no version.
      const again = await server.request({ method: 'POST', url: `/api/v1/documents/${created.id}/versions/3/restore`, payload: {} });
      expect(again.statusCode).toBe(200);
      expect(again.json().version).toBe(3);
      expect(await storedVersions(created.id)).toHaveLength(3);
    });

    it('answers 409 on a restore with a stale baseVersion and 404 for an unknown version', async () => {
      const created = await createDocument({ title: 'Spec', content: 'v1' });
      await patch(created.id, { content: 'v2' });
      const stale = await server.request({
        method: 'POST',
        url: `/api/v1/documents/${created.id}/versions/1/restore`,
        payload: { baseVersion: 1 },
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({ code: 'DOCUMENT_VERSION_CONFLICT', details: { currentVersion: 2 } });
      const missing = await server.request({ method: 'POST', url: `/api/v1/documents/${created.id}/versions/7/restore` });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('DOCUMENT_VERSION_NOT_FOUND');
      const unknownField = await server.request({
        method: 'POST',
        url: `/api/v1/documents/${created.id}/versions/1/restore`,
        payload: { force: true },
      });
      expect(unknownField.statusCode).toBe(400);
      expect(await storedVersions(created.id)).toHaveLength(2);
    });
  });

  describe('deleting', () => {
    it('deletes a document and its versions with 204 and appends a document-deleted event with its task', async () => {
      const task = await createTask();
      const created = await createDocument({ title: 'Spec', content: 'v1', taskId: task.key });
      await patch(created.id, { content: 'v2' });
      const response = await server.request({ method: 'DELETE', url: `/api/v1/documents/${created.id}` });
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
      expect(await storedDocuments()).toEqual([]);
      expect(await storedVersions(created.id)).toEqual([]);
      const [event] = await storedEvents('document-deleted');
      expect(event).toMatchObject({ task_id: task.id, summary: 'user Owner deleted "Spec"' });
      expect(parseJsonColumn(event?.data)).toEqual({ documentId: created.id, title: 'Spec', version: 2 });

      const again = await server.request({ method: 'DELETE', url: `/api/v1/documents/${created.id}` });
      expect(again.statusCode).toBe(404);
      expect(again.json().error.code).toBe('DOCUMENT_NOT_FOUND');
    });
  });

  describe('mentions', () => {
    it('notifies the people a new document mentions, with its task, but not its author or code', async () => {
      const task = await createTask();
      const jarvis = await server.createAgentWithKey({ name: 'jarvis' });
      const friday = await server.createAgentWithKey({ name: 'friday' });
      await createDocument({ title: 'Plan', content: 'Review: @Jarvis, @owner\n\n```\n@friday\n```', taskId: task.key }, friday.apiKey);
      const notifications = await storedNotifications();
      expect(notifications.map((notification) => notification.recipient_id).sort()).toEqual(
        [jarvis.agent.id, server.ownerPrincipal.id].sort(),
      );
      expect(notifications[0]).toMatchObject({
        reason: 'mentioned',
        task_id: task.id,
        content: 'agent friday mentioned you in the document "Plan"',
      });
    });

    it('notifies on an edit only the people newly mentioned compared to the previous version', async () => {
      const jarvis = await server.createAgentWithKey({ name: 'jarvis' });
      const friday = await server.createAgentWithKey({ name: 'friday' });
      const created = await createDocument({ title: 'Plan', content: 'Owner: @jarvis' });
      expect(await storedNotifications()).toHaveLength(1);

      await patch(created.id, { content: 'Owner: @jarvis\n\nAlso @friday' });
      const afterEdit = await storedNotifications();
      expect(afterEdit.map((notification) => notification.recipient_id)).toEqual([jarvis.agent.id, friday.agent.id]);

      // A title change or an edit that mentions only known people notifies nobody.
      await patch(created.id, { title: 'Plan v2' });
      await patch(created.id, { content: '@friday and @jarvis, thanks' });
      expect(await storedNotifications()).toHaveLength(2);
    });

    it('notifies people mentioned again by a restored version when the current one does not mention them', async () => {
      const jarvis = await server.createAgentWithKey({ name: 'jarvis' });
      const created = await createDocument({ title: 'Plan', content: 'ask @jarvis' });
      await patch(created.id, { content: 'nobody' });
      await server.request({ method: 'POST', url: `/api/v1/documents/${created.id}/versions/1/restore` });
      const notifications = await storedNotifications();
      expect(notifications.map((notification) => notification.recipient_id)).toEqual([jarvis.agent.id, jarvis.agent.id]);
    });
  });

  describe('permissions and isolation', () => {
    it('lets a viewer read but answers 403 FORBIDDEN to their writes, storing nothing', async () => {
      const created = await createDocument({ title: 'Spec', content: 'v1' });
      const viewer = await addMember('watcher@example.com', 'viewer');
      const read = await server.request({ method: 'GET', url: `/api/v1/documents/${created.id}`, token: viewer.token });
      expect(read.statusCode).toBe(200);
      const list = await server.request({ method: 'GET', url: '/api/v1/documents', token: viewer.token });
      expect(list.json().data).toHaveLength(1);

      const attempts = [
        { method: 'POST' as const, url: '/api/v1/documents', payload: { title: 'Mine' } },
        { method: 'PATCH' as const, url: `/api/v1/documents/${created.id}`, payload: { content: 'changed' } },
        { method: 'DELETE' as const, url: `/api/v1/documents/${created.id}` },
        { method: 'POST' as const, url: `/api/v1/documents/${created.id}/versions/1/restore` },
      ];
      for (const attempt of attempts) {
        const response = await server.request({ ...attempt, token: viewer.token });
        expect(response.statusCode, `${attempt.method} ${attempt.url}`).toBe(403);
        expect(response.json().error.code).toBe('FORBIDDEN');
      }
      const stored = await storedDocuments();
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ version: 1, content: 'v1' });
    });

    it('answers 404 for documents of another workspace and leaves them unchanged', async () => {
      const created = await createDocument({ title: 'Private', content: 'secret' });
      const otherToken = await server.createOtherWorkspaceToken();
      const attempts = [
        { method: 'GET' as const, url: `/api/v1/documents/${created.id}` },
        { method: 'PATCH' as const, url: `/api/v1/documents/${created.id}`, payload: { content: 'overwritten' } },
        { method: 'DELETE' as const, url: `/api/v1/documents/${created.id}` },
        { method: 'GET' as const, url: `/api/v1/documents/${created.id}/versions` },
        { method: 'GET' as const, url: `/api/v1/documents/${created.id}/versions/1` },
        { method: 'POST' as const, url: `/api/v1/documents/${created.id}/versions/1/restore` },
      ];
      for (const attempt of attempts) {
        const response = await server.request({ ...attempt, token: otherToken });
        expect(response.statusCode, `${attempt.method} ${attempt.url}`).toBe(404);
        expect(response.json().error.code).toBe('DOCUMENT_NOT_FOUND');
      }
      const list = await server.request({ method: 'GET', url: '/api/v1/documents?q=secret', token: otherToken });
      expect(list.json()).toEqual({ data: [], nextCursor: null });

      const task = await createTask();
      const crossLink = await server.request({
        method: 'POST',
        url: '/api/v1/documents',
        payload: { title: 'x', taskId: task.id },
        token: otherToken,
      });
      expect(crossLink.statusCode).toBe(404);
      expect(crossLink.json().error.code).toBe('TASK_NOT_FOUND');

      const [stored] = await storedDocuments();
      expect(stored).toMatchObject({ version: 1, content: 'secret' });
    });
  });
});
