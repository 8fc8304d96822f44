import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJsonColumn } from '../../db/json-column.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('data retention settings', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });

  const url = '/api/v1/workspace/retention';
  const getSettings = (token?: string) => server.request({ method: 'GET', url, ...(token === undefined ? {} : { token }) });
  const putSettings = (payload: unknown, token?: string) =>
    server.request({ method: 'PUT', url, payload: payload as Record<string, unknown>, ...(token === undefined ? {} : { token }) });
  const storedSettings = () => server.database.db.selectFrom('retention_settings').selectAll().execute();
  const retentionAudit = () =>
    server.database.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('workspace_id', '=', server.workspaceId)
      .where('action', 'like', 'retention.%')
      .orderBy('id')
      .execute();
  const retentionEvents = () =>
    server.database.db.selectFrom('events').selectAll().where('type', '=', 'retention-updated').orderBy('seq').execute();

  it('keeps everything forever until someone sets a retention, and every role (and an agent) can read it', async () => {
    const owner = await getSettings();
    expect(owner.statusCode).toBe(200);
    expect(owner.json()).toEqual({ messagesDays: null, runsDays: null });
    const member = await server.addMember({ email: 'mira@example.com', role: 'member' });
    const viewer = await server.addMember({ email: 'vic@example.com', role: 'viewer' });
    const { apiKey } = await server.createAgentWithKey();
    for (const token of [member.token, viewer.token, apiKey]) {
      const read = await getSettings(token);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual({ messagesDays: null, runsDays: null });
    }
    expect(await storedSettings()).toEqual([]);
  });

  it('stores an owner’s change, appends a retention-updated event and audits the days before and after', async () => {
    const response = await putSettings({ messagesDays: 90, runsDays: 30 });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ messagesDays: 90, runsDays: 30 });
    expect((await getSettings()).json()).toEqual({ messagesDays: 90, runsDays: 30 });
    expect(await storedSettings()).toEqual([
      expect.objectContaining({ workspace_id: server.workspaceId, messages_days: 90, runs_days: 30, messages_feed_redacted_before: null }),
    ]);

    const [entry] = await retentionAudit();
    expect(entry).toMatchObject({
      action: 'retention.updated',
      actor_kind: 'user',
      actor_id: server.ownerPrincipal.id,
      target_kind: 'workspace',
      target_id: server.workspaceId,
      summary: 'data retention set to keep messages 90 days and run transcripts 30 days',
    });
    expect(parseJsonColumn(entry?.before_fields)).toEqual({ messagesDays: null, runsDays: null });
    expect(parseJsonColumn(entry?.after_fields)).toEqual({ messagesDays: 90, runsDays: 30 });
    const [event] = await retentionEvents();
    expect(event).toMatchObject({ workspace_id: server.workspaceId, actor_id: server.ownerPrincipal.id });
    expect(parseJsonColumn(event?.data)).toEqual({ fields: ['messagesDays', 'runsDays'], messagesDays: 90, runsDays: 30 });
  });

  it('keeps a field left out, sets null back to forever, and records nothing when nothing changed', async () => {
    expect((await putSettings({ messagesDays: 365 })).json()).toEqual({ messagesDays: 365, runsDays: null });
    const admin = await server.addMember({ email: 'ada@example.com', role: 'admin' });
    const byAdmin = await putSettings({ runsDays: 30 }, admin.token);
    expect(byAdmin.statusCode).toBe(200);
    expect(byAdmin.json()).toEqual({ messagesDays: 365, runsDays: 30 });
    expect((await putSettings({ messagesDays: null })).json()).toEqual({ messagesDays: null, runsDays: 30 });
    const again = await putSettings({ messagesDays: null, runsDays: 30 });
    expect(again.statusCode).toBe(200);

    const entries = await retentionAudit();
    expect(entries.map((entry) => [entry.actor_id, parseJsonColumn(entry.before_fields), parseJsonColumn(entry.after_fields)])).toEqual([
      [server.ownerPrincipal.id, { messagesDays: null }, { messagesDays: 365 }],
      [admin.id, { runsDays: null }, { runsDays: 30 }],
      [server.ownerPrincipal.id, { messagesDays: 365 }, { messagesDays: null }],
    ]);
    expect((await retentionEvents()).map((event) => parseJsonColumn(event.data))).toEqual([
      { fields: ['messagesDays'], messagesDays: 365, runsDays: null },
      { fields: ['runsDays'], messagesDays: 365, runsDays: 30 },
      { fields: ['messagesDays'], messagesDays: null, runsDays: 30 },
    ]);
  });

  it('answers 403 FORBIDDEN to a member, a viewer and an agent, and changes nothing', async () => {
    const member = await server.addMember({ email: 'mira@example.com', role: 'member' });
    const viewer = await server.addMember({ email: 'vic@example.com', role: 'viewer' });
    const { apiKey } = await server.createAgentWithKey();
    for (const token of [member.token, viewer.token, apiKey]) {
      const response = await putSettings({ messagesDays: 30 }, token);
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
    expect((await getSettings()).json()).toEqual({ messagesDays: null, runsDays: null });
    expect(await storedSettings()).toEqual([]);
    expect(await retentionAudit()).toEqual([]);
    expect(await retentionEvents()).toEqual([]);
  });

  describe('refuses what is not a whole number of days from 1 to 3650 (or null)', () => {
    it.each([
      { messagesDays: 0 },
      { messagesDays: 5000 },
      { runsDays: 3651 },
      { runsDays: -30 },
      { messagesDays: '30' },
      { runsDays: 'forever' },
      { messagesDays: 1.5 },
      {},
      { messagesDays: 30, keepFiles: true },
    ])('answers 400 VALIDATION_FAILED to %j and changes nothing', async (payload) => {
      expect((await putSettings({ messagesDays: 90, runsDays: 90 })).statusCode).toBe(200);
      const response = await putSettings(payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
      expect((await getSettings()).json()).toEqual({ messagesDays: 90, runsDays: 90 });
      expect(await retentionAudit()).toHaveLength(1);
    });

    it('accepts the bounds, 1 and 3650 days', async () => {
      const response = await putSettings({ messagesDays: 1, runsDays: 3650 });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ messagesDays: 1, runsDays: 3650 });
    });
  });

  it('keeps each workspace’s retention to itself', async () => {
    const otherToken = await server.createOtherWorkspaceToken();
    expect((await putSettings({ messagesDays: 30 }, otherToken)).statusCode).toBe(200);
    expect((await getSettings()).json()).toEqual({ messagesDays: null, runsDays: null });
    expect((await getSettings(otherToken)).json()).toEqual({ messagesDays: 30, runsDays: null });
  });
});
