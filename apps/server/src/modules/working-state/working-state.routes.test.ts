import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, ownerEmail, type TestServer } from '../../test/test-server.js';

/** What the file must never show a reader: agent ids or session keys, raw ids, ISO timestamps, HTTP verbs and paths. */
function expectNothingForMachines(markdown: string) {
  expect(markdown).not.toMatch(/agent:|\buser:/);
  expect(markdown).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  expect(markdown).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  expect(markdown).not.toMatch(/\b(?:GET|PUT|POST|PATCH|DELETE) \/|\/api\/v1/);
}

describeEachEngine('working state', (engine) => {
  let server: TestServer;
  let directory: string;
  beforeEach(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'mission-working-'));
    server = await createTestServer(engine, { workingFileDirectory: directory });
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  const getState = (options: { token?: string; accept?: string } = {}) =>
    server.request({
      method: 'GET',
      url: '/api/v1/state/working-md',
      ...(options.token ? { token: options.token } : {}),
      ...(options.accept ? { headers: { accept: options.accept } } : {}),
    });
  const putNotes = (notes: unknown, ifMatch?: string, token?: string) =>
    server.request({
      method: 'PUT',
      url: '/api/v1/state/working-md',
      payload: { notes },
      headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
      ...(token ? { token } : {}),
    });
  const restore = (version: number, ifMatch?: string) =>
    server.request({
      method: 'POST',
      url: `/api/v1/state/working-md/versions/${version}/restore`,
      headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
    });
  const storedVersions = () =>
    server.database.db
      .selectFrom('working_state_versions')
      .selectAll()
      .where('workspace_id', '=', server.workspaceId)
      .orderBy('version')
      .execute();
  const storedEvents = () =>
    server.database.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'working-state-updated')
      .where('workspace_id', '=', server.workspaceId)
      .orderBy('seq')
      .execute();
  const mirroredFile = (slug = 'default') =>
    fs.readFileSync(
      slug === 'default' ? path.join(directory, 'WORKING.md') : path.join(directory, 'workspaces', slug, 'WORKING.md'),
      'utf8',
    );

  describe('reading', () => {
    it('answers version 0 with empty notes before the first write, as JSON or raw markdown', async () => {
      const response = await getState();
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"0"');
      const state = response.json();
      expect(state).toMatchObject({ version: 0, notes: '', updatedAt: null, updatedBy: null });
      expect(state.markdown).toMatch(
        /^# Mission Control - Working State\nLast updated: [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2} UTC\n\n## Active Agents\n/,
      );
      for (const heading of [
        '## Current Tasks',
        '### Inbox',
        '### Assigned',
        '### In progress',
        '### In review',
        '### Done',
        '## Recent Activity',
        '## Notes',
      ]) {
        expect(state.markdown).toContain(`${heading}\n`);
      }
      // Whoever reads it through the API is told where people edit the notes, not which request to send.
      expect(state.markdown).toContain(
        '## Notes\n_No notes yet. Edit them on the WORKING.md page of the dashboard or with `mission working edit`._\n',
      );
      expectNothingForMachines(state.markdown);

      const raw = await getState({ accept: 'text/markdown' });
      expect(raw.statusCode).toBe(200);
      expect(raw.headers['content-type']).toBe('text/markdown; charset=utf-8');
      expect(raw.headers.etag).toBe('"0"');
      expect(raw.body).toBe(state.markdown);
      expect(await storedVersions()).toEqual([]);
    });

    it('renders active agents with their current work, the board with assignees, and recent activity, everyone by name', async () => {
      const { agent, apiKey } = await server.createAgentWithKey({
        name: 'technical',
        role: 'Engineer',
        sessionKey: 'agent:technical:main',
      });
      const idle = await server.createAgentWithKey({ name: 'sales', role: 'Awaiting new leads', sessionKey: 'agent:sales:main' });
      await server.createAgentWithKey({ name: 'sleeper', role: 'Offline helper', sessionKey: 'agent:sleeper:main' });
      await server.request({ method: 'PATCH', url: `/api/v1/agents/${agent.id}`, payload: { status: 'active' } });
      await server.request({ method: 'PATCH', url: `/api/v1/agents/${idle.agent.id}`, payload: { status: 'idle' } });
      await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Research competitor pricing' } });
      await server.request({
        method: 'POST',
        url: '/api/v1/tasks',
        payload: { title: 'Implement user authentication', assignees: [{ kind: 'agent', id: agent.id }] },
      });
      await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-2/status', payload: { status: 'in_progress' }, token: apiKey });
      server.clock.set(new Date('2026-01-01T09:10:00.000Z'));
      await server.request({
        method: 'POST',
        url: '/api/v1/tasks',
        payload: { title: 'Database schema', assignees: [{ kind: 'agent', id: agent.id }] },
      });
      for (const status of ['in_progress', 'review', 'done']) {
        await server.request({ method: 'POST', url: '/api/v1/tasks/TASK-3/status', payload: { status }, token: apiKey });
      }

      const rendered = await getState();
      expect(rendered.statusCode, rendered.body).toBe(200);
      const { markdown } = rendered.json();
      expect(markdown).toContain('Last updated: Jan 1, 2026, 09:10 UTC\n');
      expect(markdown).toContain(
        '## Active Agents\n- technical (active) - working on TASK-2 Implement user authentication\n- sales (idle) - Awaiting new leads\n\n',
      );
      // Offline agents are left out of Active Agents (what happened to them still shows under Recent Activity).
      expect(markdown.slice(0, markdown.indexOf('## Current Tasks'))).not.toContain('sleeper');
      expect(markdown).toContain('- 09:00 UTC - Owner added the agent sleeper (Offline helper)\n');
      expect(markdown).toContain('- 09:00 UTC - Owner edited the agent technical (status)\n');
      expect(markdown).toContain(
        [
          '### Inbox',
          '- TASK-1 Research competitor pricing',
          '### Assigned',
          '### In progress',
          '- TASK-2 Implement user authentication (technical)',
          '### In review',
          '### Done',
          '- TASK-3 Database schema',
        ].join('\n'),
      );
      expect(markdown).toContain('## Recent Activity\n- 09:10 UTC - technical completed TASK-3 Database schema\n');
      expect(markdown).toContain('- 09:10 UTC - technical moved TASK-3 Database schema from in progress to review\n');
      // The owner made at bootstrap is named Owner; people appear by their names, never by email or id.
      expect(markdown).toContain('- 09:00 UTC - Owner created TASK-1 Research competitor pricing\n');
      expect(markdown).not.toContain(ownerEmail);
      expectNothingForMachines(markdown);
    });

    it('names people by their display name and falls back to plain words for a deleted agent and a former member', async () => {
      const { agent, apiKey } = await server.createAgentWithKey({ name: 'ghost', sessionKey: 'agent:ghost:main' });
      expect((await putNotes('written by an agent', '"0"', apiKey)).statusCode).toBe(200);
      const dana = await server.addMember({ email: 'dana@example.com', role: 'member', name: 'Dana Scully' });
      expect((await putNotes('written by a member', '"1"', dana.token)).statusCode).toBe(200);
      const eve = await server.addMember({ email: 'eve@example.com', role: 'member', name: 'Eve Leaver' });
      expect((await putNotes('written by someone who left', '"2"', eve.token)).statusCode).toBe(200);
      expect((await server.request({ method: 'DELETE', url: `/api/v1/agents/${agent.id}` })).statusCode).toBe(204);
      expect((await server.request({ method: 'DELETE', url: `/api/v1/members/${eve.id}` })).statusCode).toBe(204);

      const { markdown } = (await getState()).json();
      expect(markdown).toContain('- 09:00 UTC - Owner removed someone from the workspace\n');
      expect(markdown).toContain('- 09:00 UTC - Someone updated the notes (version 3)\n');
      expect(markdown).toContain('- 09:00 UTC - Dana Scully updated the notes (version 2)\n');
      expect(markdown).toContain('- 09:00 UTC - A deleted agent updated the notes (version 1)\n');
      expect(markdown).not.toContain('dana@example.com');
      expectNothingForMachines(markdown);
    });

    it('keeps each workspace to its own notes', async () => {
      expect((await putNotes('ours', '"0"')).statusCode).toBe(200);
      const otherToken = await server.createOtherWorkspaceToken();
      const other = await getState({ token: otherToken });
      expect(other.json()).toMatchObject({ version: 0, notes: '' });
      expect(other.json().markdown).not.toContain('ours');
    });
  });

  describe('writing the notes', () => {
    it('writes a new version with If-Match, appends an event and mirrors the file', async () => {
      const response = await putNotes('## Plan\n- ship WORKING.md', '"0"');
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"1"');
      const state = response.json();
      expect(state).toMatchObject({
        version: 1,
        notes: '## Plan\n- ship WORKING.md',
        updatedAt: '2026-01-01T09:00:00.000Z',
        updatedBy: { kind: 'user', id: server.ownerPrincipal.id },
      });
      expect(state.markdown.endsWith('## Notes\n## Plan\n- ship WORKING.md\n')).toBe(true);

      const versions = await storedVersions();
      expect(versions).toEqual([
        expect.objectContaining({
          version: 1,
          notes: '## Plan\n- ship WORKING.md',
          author_kind: 'user',
          author_id: server.ownerPrincipal.id,
        }),
      ]);
      const events = await storedEvents();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor_kind: 'user', actor_id: server.ownerPrincipal.id });
      expect(mirroredFile()).toBe(state.markdown);

      // Unquoted versions are accepted too, and an agent may write.
      const { apiKey, agent } = await server.createAgentWithKey();
      const second = await putNotes('agent notes', '1', apiKey);
      expect(second.statusCode).toBe(200);
      expect(second.json()).toMatchObject({ version: 2, updatedBy: { kind: 'agent', id: agent.id } });
      expect(mirroredFile()).toContain('## Notes\nagent notes\n');
    });

    it('answers 412 with the current version and notes when If-Match is stale, and stores nothing', async () => {
      await putNotes('first', '"0"');
      await putNotes('second', '"1"');
      const stale = await putNotes('mine', '"1"');
      expect(stale.statusCode).toBe(412);
      expect(stale.json().error).toMatchObject({
        code: 'PRECONDITION_FAILED',
        details: { currentVersion: 2, currentNotes: 'second' },
      });
      expect(stale.json().error.message).toContain('If-Match: "2"');
      const ahead = await putNotes('mine', '"7"');
      expect(ahead.statusCode).toBe(412);
      expect((await storedVersions()).map((row) => row.notes)).toEqual(['first', 'second']);
      expect(await storedEvents()).toHaveLength(2);
    });

    it('answers 428 without If-Match and 400 with a malformed one, and stores nothing', async () => {
      const missing = await putNotes('x');
      expect(missing.statusCode).toBe(428);
      expect(missing.json().error).toMatchObject({ code: 'PRECONDITION_REQUIRED', details: { currentVersion: 0 } });
      for (const bad of ['W/"0"', 'abc', '"1', '*', '-1']) {
        const response = await putNotes('x', bad);
        expect(response.statusCode, bad).toBe(400);
        expect(response.json().error.code).toBe('VALIDATION_FAILED');
      }
      expect(await storedVersions()).toEqual([]);
      expect(await storedEvents()).toEqual([]);
    });

    it('rejects notes over 100,000 characters and bad bodies with 400', async () => {
      for (const payload of [{ notes: 'x'.repeat(100_001) }, { notes: 42 }, {}, { notes: 'ok', extra: true }]) {
        const response = await server.request({ method: 'PUT', url: '/api/v1/state/working-md', payload, headers: { 'if-match': '"0"' } });
        expect(response.statusCode, JSON.stringify(payload).slice(0, 40)).toBe(400);
      }
      expect((await putNotes('x'.repeat(100_000), '"0"')).statusCode).toBe(200);
    });

    it('keeps the version when the notes do not change', async () => {
      await putNotes('same', '"0"');
      const again = await putNotes('same', '"1"');
      expect(again.statusCode).toBe(200);
      expect(again.json().version).toBe(1);
      expect(await storedVersions()).toHaveLength(1);
      expect(await storedEvents()).toHaveLength(1);
    });

    it('lets exactly one of many concurrent writers of the same version win', async () => {
      await putNotes('base', '"0"');
      const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => putNotes(`writer ${index}`, '"1"')));
      const winners = responses.filter((response) => response.statusCode === 200);
      const losers = responses.filter((response) => response.statusCode === 412);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(9);
      const winningNotes = winners[0]?.json().notes;
      for (const loser of losers) expect(loser.json().error.details).toEqual({ currentVersion: 2, currentNotes: winningNotes });
      expect((await storedVersions()).map((row) => row.notes)).toEqual(['base', winningNotes]);
      expect(await storedEvents()).toHaveLength(2);
    });

    it('forbids viewers to write', async () => {
      const viewerToken = (await server.addMember({ email: 'viewer@example.com', role: 'viewer' })).token;
      expect((await getState({ token: viewerToken })).statusCode).toBe(200);
      const response = await putNotes('x', '"0"', viewerToken);
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
      expect(await storedVersions()).toEqual([]);
    });
  });

  describe('versions', () => {
    it('lists versions newest first with a cursor, reads one, and answers 404 for an unknown one', async () => {
      for (let index = 0; index < 5; index += 1) await putNotes(`notes ${index + 1}`, `"${index}"`);
      const first = await server.request({ method: 'GET', url: '/api/v1/state/working-md/versions?limit=2' });
      expect(first.statusCode).toBe(200);
      expect(first.json().data).toEqual([
        { version: 5, author: { kind: 'user', id: server.ownerPrincipal.id }, createdAt: '2026-01-01T09:00:00.000Z', notesLength: 7 },
        expect.objectContaining({ version: 4 }),
      ]);
      const second = (
        await server.request({ method: 'GET', url: `/api/v1/state/working-md/versions?limit=2&cursor=${first.json().nextCursor}` })
      ).json();
      expect(second.data.map((version: { version: number }) => version.version)).toEqual([3, 2]);
      const last = (
        await server.request({ method: 'GET', url: `/api/v1/state/working-md/versions?limit=2&cursor=${second.nextCursor}` })
      ).json();
      expect(last).toEqual({ data: [expect.objectContaining({ version: 1 })], nextCursor: null });

      const one = await server.request({ method: 'GET', url: '/api/v1/state/working-md/versions/2' });
      expect(one.statusCode).toBe(200);
      expect(one.json()).toEqual({
        version: 2,
        notes: 'notes 2',
        author: { kind: 'user', id: server.ownerPrincipal.id },
        createdAt: '2026-01-01T09:00:00.000Z',
      });
      const unknown = await server.request({ method: 'GET', url: '/api/v1/state/working-md/versions/9' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('WORKING_STATE_VERSION_NOT_FOUND');
      const invalid = await server.request({ method: 'GET', url: '/api/v1/state/working-md/versions/0' });
      expect(invalid.statusCode).toBe(400);

      const otherToken = await server.createOtherWorkspaceToken();
      const foreign = await server.request({ method: 'GET', url: '/api/v1/state/working-md/versions/2', token: otherToken });
      expect(foreign.statusCode).toBe(404);
    });

    it('restores an old version as a new one, with If-Match, and records where it came from', async () => {
      await putNotes('good', '"0"');
      await putNotes('bad', '"1"');
      const restored = await restore(1, '"2"');
      expect(restored.statusCode).toBe(200);
      expect(restored.headers.etag).toBe('"3"');
      expect(restored.json()).toMatchObject({ version: 3, notes: 'good' });
      expect((await storedVersions()).map((row) => row.notes)).toEqual(['good', 'bad', 'good']);
      const events = await storedEvents();
      expect(events).toHaveLength(3);
      expect(JSON.parse(String(typeof events[2]?.data === 'string' ? events[2]?.data : JSON.stringify(events[2]?.data)))).toMatchObject({
        version: 3,
        restoredFrom: 1,
        previousVersion: 2,
      });
      expect(mirroredFile()).toContain('## Notes\ngood\n');

      const stale = await restore(2, '"2"');
      expect(stale.statusCode).toBe(412);
      expect(stale.json().error.details).toEqual({ currentVersion: 3, currentNotes: 'good' });
      const missing = await restore(2);
      expect(missing.statusCode).toBe(428);
      const unknown = await restore(42, '"3"');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('WORKING_STATE_VERSION_NOT_FOUND');
      expect(await storedVersions()).toHaveLength(3);
    });
  });

  describe('mirroring to a file', () => {
    it('re-renders after new events once asked, and writes other workspaces under workspaces/<slug>/', async () => {
      await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Appears in the file' } });
      server.services.workingState.scheduleMirror(server.workspaceId);
      await server.services.workingState.flushMirrors();
      expect(mirroredFile()).toBe((await getState({ accept: 'text/markdown' })).body);
      expect(mirroredFile()).toContain('- TASK-1 Appears in the file\n');

      const otherToken = await server.createOtherWorkspaceToken();
      const otherWorkspace = (await server.request({ method: 'GET', url: '/api/v1/auth/me', token: otherToken })).json();
      await putNotes('elsewhere', '"0"', otherToken);
      const slug =
        otherWorkspace.workspace?.slug ??
        (await server.database.db.selectFrom('workspaces').select('slug').where('slug', '!=', 'default').executeTakeFirstOrThrow()).slug;
      expect(mirroredFile(slug)).toContain('## Notes\nelsewhere\n');
      expect(mirroredFile()).not.toContain('elsewhere');
      const leftovers = fs.readdirSync(directory).filter((name) => name.endsWith('.tmp'));
      expect(leftovers).toEqual([]);
    });

    it('follows the event stream when subscribed to it, as main.ts does', async () => {
      server.stream.tailer.subscribe((events) => {
        for (const workspaceId of new Set(events.map((event) => event.workspaceId)))
          server.services.workingState.scheduleMirror(workspaceId);
      });
      await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Streamed into the file' } });
      // Waits for the asynchronous tailer to deliver; nothing here depends on how long that takes.
      await vi.waitFor(
        async () => {
          await server.services.workingState.flushMirrors();
          expect(fs.existsSync(path.join(directory, 'WORKING.md')) ? mirroredFile() : '').toContain('Streamed into the file');
        },
        { timeout: 10_000, interval: 20 },
      );
    });
  });
});
