import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('document templates', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  it('lists the built-in templates, then the workspace’s own, and starts a document from either', async () => {
    const created = await server.request({
      method: 'POST',
      url: '/api/v1/document-templates',
      payload: { name: 'Incident review', type: 'protocol', content: '# Incident review\n\n## Timeline\n' },
    });
    expect(created.statusCode).toBe(201);
    const own = created.json();
    expect(own).toMatchObject({ name: 'Incident review', description: '', type: 'protocol', builtIn: false });

    const listed = await server.request({ method: 'GET', url: '/api/v1/document-templates' });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().data.map((template: { id: string }) => template.id)).toEqual([
      'prd',
      'research-note',
      'runbook',
      'standup',
      own.id,
    ]);
    expect(await server.database.db.selectFrom('document_templates').select(['name', 'workspace_id']).execute()).toEqual([
      { name: 'Incident review', workspace_id: server.workspaceId },
    ]);

    const fromBuiltIn = await server.request({
      method: 'POST',
      url: '/api/v1/documents',
      payload: { title: 'Q3 notes', templateId: 'research-note' },
    });
    expect(fromBuiltIn.statusCode).toBe(201);
    expect(fromBuiltIn.json()).toMatchObject({ title: 'Q3 notes', type: 'research' });
    expect(fromBuiltIn.json().content).toContain('## Findings');

    const fromOwn = await server.request({
      method: 'POST',
      url: '/api/v1/documents',
      payload: { title: 'Outage 12', templateId: own.id, content: 'Written already' },
    });
    expect(fromOwn.json()).toMatchObject({ type: 'protocol', content: 'Written already' });
  });

  it('refuses an unknown template and a viewer, and stores nothing', async () => {
    const unknown = await server.request({ method: 'POST', url: '/api/v1/documents', payload: { title: 'X', templateId: 'nope' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('DOCUMENT_TEMPLATE_NOT_FOUND');
    expect(await server.database.db.selectFrom('documents').selectAll().execute()).toEqual([]);

    const viewer = await server.addMember({ email: 'watcher@example.com', role: 'viewer' });
    const denied = await server.request({
      method: 'POST',
      url: '/api/v1/document-templates',
      payload: { name: 'Mine', content: 'x' },
      token: viewer.token,
    });
    expect(denied.statusCode).toBe(403);
    expect(await server.database.db.selectFrom('document_templates').selectAll().execute()).toEqual([]);
  });
});
