import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, ownerEmail, ownerPassword, type TestServer } from '../../test/test-server.js';
import { toCsvCell } from './audit-csv.js';

const dayMs = 24 * 60 * 60 * 1000;

describeEachEngine('audit log', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer(engine, { integrations: { allowPrivateTargets: true } });
  });
  afterEach(async () => {
    await server.close();
  });

  const storedEntries = () =>
    server.database.db.selectFrom('audit_entries').selectAll().where('workspace_id', '=', server.workspaceId).orderBy('id').execute();
  const actionsStored = async () => (await storedEntries()).map((entry) => entry.action);
  const listLog = (query = '', token?: string) =>
    server.request({ method: 'GET', url: `/api/v1/audit-log${query}`, ...(token === undefined ? {} : { token }) });

  describe('recording', () => {
    it('records sign-ins with the address and user agent, and failed sign-ins with nobody as actor', async () => {
      const ok = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'user-agent': 'audit-test/1.0' },
        payload: { email: ownerEmail, password: ownerPassword },
      });
      expect(ok.statusCode).toBe(200);
      const failed = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'user-agent': 'brute/0.1' },
        payload: { email: ownerEmail, password: 'wrong password entirely' },
      });
      expect(failed.statusCode).toBe(401);
      const unknown = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'nobody@example.com', password: 'wrong password entirely' },
      });
      expect(unknown.statusCode).toBe(401);

      const entries = await storedEntries();
      // The harness's own sign-in, ours, the failure; an unknown email has no workspace to record it in.
      expect(entries.map((entry) => entry.action)).toEqual(['auth.signed-in', 'auth.signed-in', 'auth.sign-in-failed']);
      const ownerId = server.ownerPrincipal.id;
      expect(entries[1]).toMatchObject({
        actor_kind: 'user',
        actor_id: ownerId,
        target_id: ownerId,
        ip: '127.0.0.1',
        user_agent: 'audit-test/1.0',
      });
      expect(entries[2]).toMatchObject({
        actor_kind: 'system',
        actor_id: null,
        target_kind: 'user',
        target_id: ownerId,
        user_agent: 'brute/0.1',
      });

      const page = await listLog('?action=auth.sign-in-failed');
      expect(page.statusCode).toBe(200);
      expect(page.json().data).toEqual([
        expect.objectContaining({
          action: 'auth.sign-in-failed',
          actor: { kind: 'system', id: null },
          targetKind: 'user',
          targetId: ownerId,
          ip: '127.0.0.1',
          userAgent: 'brute/0.1',
          before: null,
          after: null,
        }),
      ]);
    });

    it('records keys, invitations, role changes, removals, budgets, webhooks and deletions with before and after', async () => {
      const { agent } = await server.createAgentWithKey();
      const keys = await server.request({ method: 'GET', url: `/api/v1/agents/${agent.id}/api-keys` });
      const keyId = keys.json().data[0].id as string;
      expect((await server.request({ method: 'DELETE', url: `/api/v1/agents/${agent.id}/api-keys/${keyId}` })).statusCode).toBe(200);

      const member = await server.addMember({ email: 'mira@example.com', role: 'member' });
      const pending = await server.request({
        method: 'POST',
        url: '/api/v1/invitations',
        payload: { email: 'later@example.com', role: 'viewer' },
      });
      expect((await server.request({ method: 'DELETE', url: `/api/v1/invitations/${pending.json().invitation.id}` })).statusCode).toBe(200);
      const promoted = await server.request({ method: 'PATCH', url: `/api/v1/members/${member.id}`, payload: { role: 'admin' } });
      expect(promoted.statusCode).toBe(200);

      const budget = await server.request({ method: 'POST', url: '/api/v1/budgets', payload: { monthlyTokenLimit: 1000 } });
      expect(budget.statusCode).toBe(201);
      const changed = await server.request({
        method: 'PATCH',
        url: `/api/v1/budgets/${budget.json().id}`,
        payload: { monthlyTokenLimit: 5000 },
      });
      expect(changed.statusCode).toBe(200);
      expect((await server.request({ method: 'DELETE', url: `/api/v1/budgets/${budget.json().id}` })).statusCode).toBe(204);

      const webhook = await server.request({
        method: 'POST',
        url: '/api/v1/webhooks',
        payload: { url: 'http://127.0.0.1:9/hooks?token=secret-in-url', events: ['task-created'] },
      });
      expect(webhook.statusCode, webhook.body).toBe(201);
      const webhookId = webhook.json().id as string;
      expect(
        (await server.request({ method: 'PATCH', url: `/api/v1/webhooks/${webhookId}`, payload: { enabled: false } })).statusCode,
      ).toBe(200);
      expect((await server.request({ method: 'POST', url: `/api/v1/webhooks/${webhookId}/rotate-secret` })).statusCode).toBe(200);
      expect((await server.request({ method: 'DELETE', url: `/api/v1/webhooks/${webhookId}` })).statusCode).toBe(204);

      const task = await server.request({ method: 'POST', url: '/api/v1/tasks', payload: { title: 'Throwaway' } });
      expect((await server.request({ method: 'DELETE', url: `/api/v1/tasks/${task.json().id}` })).statusCode).toBe(204);
      expect((await server.request({ method: 'DELETE', url: `/api/v1/agents/${agent.id}` })).statusCode).toBe(204);
      expect((await server.request({ method: 'DELETE', url: `/api/v1/members/${member.id}` })).statusCode).toBe(204);

      const actions = await actionsStored();
      expect(actions.filter((action) => action !== 'auth.signed-in')).toEqual([
        'api-key.created',
        'api-key.revoked',
        'invitation.created',
        'member.added',
        'invitation.created',
        'invitation.revoked',
        'member.role-changed',
        'budget.created',
        'budget.updated',
        'budget.deleted',
        'webhook.created',
        'webhook.updated',
        'webhook.secret-rotated',
        'webhook.deleted',
        'task.deleted',
        'agent.deleted',
        'member.removed',
      ]);
      const page = await listLog('?limit=200');
      const byAction = (action: string) => page.json().data.find((entry: { action: string }) => entry.action === action);
      expect(byAction('member.role-changed')).toMatchObject({ targetId: member.id, before: { role: 'member' }, after: { role: 'admin' } });
      expect(byAction('budget.updated')).toMatchObject({ before: { monthlyTokenLimit: 1000 }, after: { monthlyTokenLimit: 5000 } });
      expect(byAction('webhook.updated')).toMatchObject({ before: { enabled: true }, after: { enabled: false, host: '127.0.0.1:9' } });
      expect(byAction('api-key.revoked')).toMatchObject({ targetId: keyId, before: { revokedAt: null } });
      // Secrets never reach the trail: not the webhook's URL token, not a key's secret.
      expect(JSON.stringify(page.json())).not.toContain('secret-in-url');
      expect(JSON.stringify(page.json())).not.toMatch(/mc_[A-Za-z0-9_-]{20,}/);
    });

    it('writes no entry when the action fails', async () => {
      const before = await storedEntries();
      const refused = await server.request({
        method: 'PATCH',
        url: '/api/v1/members/0190b2d6-0000-7000-8000-000000000000',
        payload: { role: 'admin' },
      });
      expect(refused.statusCode).toBe(404);
      expect(await storedEntries()).toEqual(before);
    });
  });

  describe('reading', () => {
    it('answers 403 FORBIDDEN to members, viewers and agents, and 200 to admins', async () => {
      const member = await server.addMember({ email: 'm@example.com', role: 'member' });
      const viewer = await server.addMember({ email: 'v@example.com', role: 'viewer' });
      const admin = await server.addMember({ email: 'a@example.com', role: 'admin' });
      const { apiKey } = await server.createAgentWithKey();
      for (const token of [member.token, viewer.token, apiKey]) {
        for (const url of ['/api/v1/audit-log', '/api/v1/audit-log/export', '/api/v1/audit-log/settings']) {
          const answer = await server.request({ method: 'GET', url, token });
          expect(answer.statusCode).toBe(403);
          expect(answer.json().error.code).toBe('FORBIDDEN');
        }
      }
      expect((await listLog('', admin.token)).statusCode).toBe(200);
      const adminSets = await server.request({
        method: 'PUT',
        url: '/api/v1/audit-log/settings',
        payload: { retentionDays: 30 },
        token: admin.token,
      });
      expect(adminSets.statusCode).toBe(403);
    });

    it('filters by actor, action and time, pages newest first, and refuses an unknown action with 400', async () => {
      const admin = await server.addMember({ email: 'a@example.com', role: 'admin' });
      server.clock.advance(60_000);
      const middle = server.clock.now().toISOString();
      await server.request({ method: 'POST', url: '/api/v1/budgets', payload: { monthlyTokenLimit: 10 }, token: admin.token });
      server.clock.advance(60_000);
      await server.request({ method: 'POST', url: '/api/v1/invitations', payload: { email: 'x@example.com', role: 'viewer' } });

      const byAdmin = (await listLog(`?actor=${admin.id}`)).json().data.map((entry: { action: string }) => entry.action);
      // Accepting the link made them a member and signed them in: both are their own acts.
      expect(byAdmin).toEqual(['budget.created', 'auth.signed-in', 'member.added']);
      const since = (await listLog(`?from=${encodeURIComponent(middle)}`)).json().data.map((entry: { action: string }) => entry.action);
      expect(since).toEqual(['invitation.created', 'budget.created']);
      const until = (await listLog(`?to=${encodeURIComponent(middle)}&action=invitation.created`)).json().data;
      expect(until).toHaveLength(1);

      const first = await listLog('?limit=2');
      expect(first.json().data).toHaveLength(2);
      const second = await listLog(`?limit=2&cursor=${first.json().nextCursor}`);
      const all = (await listLog('?limit=200')).json().data.map((entry: { id: string }) => entry.id);
      expect([...first.json().data, ...second.json().data].map((entry: { id: string }) => entry.id)).toEqual(all.slice(0, 4));

      const invalid = await listLog('?action=task.created');
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().error.code).toBe('VALIDATION_FAILED');
    });

    it('exports JSON and CSV (also by Accept), oldest first, and records each export', async () => {
      await server.request({ method: 'POST', url: '/api/v1/invitations', payload: { email: 'cmd@example.com', role: 'viewer' } });
      const json = await server.request({ method: 'GET', url: '/api/v1/audit-log/export' });
      expect(json.statusCode).toBe(200);
      expect(json.json().data.map((entry: { action: string }) => entry.action)).toEqual(['auth.signed-in', 'invitation.created']);

      const csv = await server.request({ method: 'GET', url: '/api/v1/audit-log/export?format=csv' });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toContain('audit-log.csv');
      const lines = csv.body.trimEnd().split('\r\n');
      expect(lines[0]).toBe('id,at,actorKind,actorId,action,targetKind,targetId,summary,ip,userAgent,before,after');
      // The first export is in the log now, before this one.
      expect(lines.slice(1).map((line) => line.split(',')[4])).toEqual(['auth.signed-in', 'invitation.created', 'audit-log.exported']);
      expect(csv.body).toContain(`""email"":""cmd@example.com""`);

      const byAccept = await server.request({ method: 'GET', url: '/api/v1/audit-log/export', headers: { accept: 'text/csv' } });
      expect(byAccept.headers['content-type']).toMatch(/^text\/csv/);
      const exports = (await storedEntries()).filter((entry) => entry.action === 'audit-log.exported');
      expect(exports).toHaveLength(3);
    });
  });

  describe('immutability and retention', () => {
    it('has no route that changes or deletes an entry', async () => {
      const entry = (await storedEntries())[0];
      for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
        const answer = await server.request({ method, url: `/api/v1/audit-log/${entry?.id}`, payload: {} });
        expect(answer.statusCode).toBe(404);
      }
      expect(await storedEntries()).toHaveLength(1);
    });

    it.runIf(engine === 'postgres')('refuses UPDATE, DELETE and TRUNCATE in the database outside the retention job', async () => {
      const db = server.database.db;
      await expect(db.updateTable('audit_entries').set({ summary: 'rewritten' }).execute()).rejects.toThrow(/append-only/);
      await expect(db.deleteFrom('audit_entries').execute()).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_entries`.execute(db)).rejects.toThrow(/append-only/);
      expect(await storedEntries()).toHaveLength(1);
    });

    it.runIf(engine === 'sqlite')('refuses UPDATE in the database', async () => {
      await expect(server.database.db.updateTable('audit_entries').set({ summary: 'rewritten' }).execute()).rejects.toThrow(/append-only/);
    });

    it('purges only what is past retention, and records the purge; owners change the retention', async () => {
      const start = server.clock.now().getTime();
      expect((await server.request({ method: 'GET', url: '/api/v1/audit-log/settings' })).json()).toEqual({ retentionDays: 365 });
      const changed = await server.request({ method: 'PUT', url: '/api/v1/audit-log/settings', payload: { retentionDays: 30 } });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toEqual({ retentionDays: 30 });
      expect((await server.request({ method: 'GET', url: '/api/v1/audit-log/settings' })).json()).toEqual({ retentionDays: 30 });

      // Day 0: the sign-in and the settings change. Day 20: one more entry.
      server.clock.set(new Date(start + 20 * dayMs));
      await server.database.db.transaction().execute((trx) =>
        server.services.audit.recordAuditEntry(trx, {
          workspaceId: server.workspaceId,
          actor: server.ownerPrincipal,
          action: 'task.deleted',
          targetKind: 'task',
          targetId: null,
          summary: 'day 20',
        }),
      );
      server.clock.set(new Date(start + 29 * dayMs));
      expect(await server.services.audit.purgeExpiredAuditEntries()).toBe(0);

      // 30 days back from day 40 is day 10: the two entries of day 0 go, the one of day 20 stays.
      server.clock.set(new Date(start + 40 * dayMs));
      expect(await server.services.audit.purgeExpiredAuditEntries()).toBe(2);
      const left = await storedEntries();
      expect(left.map((entry) => entry.action)).toEqual(['task.deleted', 'audit-log.purged']);
      expect(left[1]).toMatchObject({ actor_kind: 'system', actor_id: null, target_kind: 'audit-log' });
      const purgeEntry = await server.services.audit.listAuditLog(server.ownerPrincipal, { limit: 10, action: 'audit-log.purged' });
      expect(purgeEntry.data[0]?.after).toEqual({ deleted: 2, olderThan: new Date(start + 10 * dayMs).toISOString(), retentionDays: 30 });
      expect(await server.services.audit.purgeExpiredAuditEntries()).toBe(0);
    });
  });
});

describe('audit CSV cells', () => {
  it('quotes separators and defuses formulas', () => {
    expect(toCsvCell('plain')).toBe('plain');
    expect(toCsvCell('a,b')).toBe('"a,b"');
    expect(toCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(toCsvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(toCsvCell(null)).toBe('');
  });
});
