import { createHash } from 'node:crypto';
import type { EventType } from '@mission-control/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { redactSecrets } from '../../http/log-redaction.js';
import { describeEachEngine } from '../../test/engines.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

const publicUrl = 'https://mission.example.com';
const dayMs = 24 * 60 * 60 * 1_000;

describeEachEngine('document shares', (engine) => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  const start = async () => {
    server = await createTestServer(engine, { config: { publicUrl } });
  };
  const createDocument = async (content = '# Launch plan\n\nShip on **Friday**.') => {
    const response = await server.request({ method: 'POST', url: '/api/v1/documents', payload: { title: 'Launch <plan>', content } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string };
  };
  const share = (documentId: string, payload?: object, token?: string) =>
    server.request({
      method: 'POST',
      url: `/api/v1/documents/${documentId}/shares`,
      ...(payload ? { payload } : {}),
      ...(token ? { token } : {}),
    });
  const view = (token: string) => server.request({ method: 'GET', url: `/share/${token}`, token: null });
  const storedShares = () => server.database.db.selectFrom('document_shares').selectAll().execute();
  const eventsOf = (type: EventType) => server.database.db.selectFrom('events').selectAll().where('type', '=', type).execute();

  it('answers 201 with a link shown once, stores only the SHA-256 of its token, and appends document-shared', async () => {
    await start();
    const document = await createDocument();
    const response = await share(document.id, { expiresInDays: 7 });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created.token).toMatch(/^mc_share_[A-Za-z0-9_-]{43}$/);
    expect(created.url).toBe(`${publicUrl}/share/${created.token}`);
    // Request logs hold the page's URL: the token is redacted there like every mc_ secret.
    expect(redactSecrets(`GET ${created.url}`)).toBe(`GET ${publicUrl}/share/mc_[redacted]`);
    expect(created.share).toMatchObject({
      id: created.id,
      documentId: document.id,
      tokenPrefix: created.token.slice(0, 15),
      createdByName: expect.any(String),
      expiresAt: new Date(server.clock.now().getTime() + 7 * dayMs).toISOString(),
      revokedAt: null,
      viewCount: 0,
    });

    const [row] = await storedShares();
    expect(row?.token_hash).toBe(createHash('sha256').update(created.token).digest('base64url'));
    expect(JSON.stringify(await storedShares())).not.toContain(created.token);
    const [event] = await eventsOf('document-shared');
    expect(event?.summary).toContain('Launch <plan>');
    expect(JSON.stringify(event)).not.toContain(created.token);

    const list = await server.request({ method: 'GET', url: `/api/v1/documents/${document.id}/shares` });
    expect(list.statusCode).toBe(200);
    expect(list.json().data).toEqual([created.share]);
    expect(list.body).not.toContain(created.token);
  });

  it('renders the document without sign-in as an escaped, locked-down page and counts every view', async () => {
    await start();
    const document = await createDocument(
      '# Plan\n\n<script>alert(1)</script>\n\n[click](javascript:alert(2)) and <img src=x onerror=alert(3)>\n\n| a | b |\n| - | - |\n| 1 | 2 |',
    );
    const { token } = (await share(document.id)).json();

    const first = await view(token);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(first.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'/);
    expect(first.headers['content-security-policy']).not.toContain('script-src');
    expect(first.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(first.headers['referrer-policy']).toBe('no-referrer');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body).toContain('<title>Launch &#60;plan&#62;</title>');
    expect(first.body).toContain('<h1>Plan</h1>');
    expect(first.body).toContain('<table>');
    expect(first.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(first.body).toContain('<a href="">click</a> and &lt;img src=x onerror=alert(3)&gt;');
    expect(first.body).not.toMatch(/<script|<img|href="javascript:/);
    expect(first.body).toContain('<meta name="robots" content="noindex, nofollow">');

    await view(token);
    server.clock.advance(60_000);
    await view(token);
    const [row] = await storedShares();
    expect(row?.view_count).toBe(3);
    expect(row?.last_viewed_at).toBe(server.clock.now().toISOString());
    const list = (await server.request({ method: 'GET', url: `/api/v1/documents/${document.id}/shares` })).json();
    expect(list.data[0]).toMatchObject({ viewCount: 3, lastViewedAt: server.clock.now().toISOString() });
  });

  it('shows the 404 page once the link is revoked, counts nothing more, and appends document-share-revoked', async () => {
    await start();
    const document = await createDocument();
    const created = (await share(document.id)).json();
    expect((await view(created.token)).statusCode).toBe(200);

    const revoked = await server.request({ method: 'DELETE', url: `/api/v1/documents/${document.id}/shares/${created.id}` });
    expect(revoked.statusCode).toBe(204);
    const page = await view(created.token);
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('This link does not work');
    expect(page.body).not.toContain('Launch');
    const [row] = await storedShares();
    expect(row?.view_count).toBe(1);
    expect(row?.revoked_at).toBe(server.clock.now().toISOString());

    // Revoking again changes nothing and appends no second event.
    const again = await server.request({ method: 'DELETE', url: `/api/v1/documents/${document.id}/shares/${created.id}` });
    expect(again.statusCode).toBe(204);
    expect(await eventsOf('document-share-revoked')).toHaveLength(1);
  });

  it('shows the 404 page after the link expires, by the clock', async () => {
    await start();
    const document = await createDocument();
    const expiresAt = new Date(server.clock.now().getTime() + 2 * dayMs).toISOString();
    const { token } = (await share(document.id, { expiresAt })).json();
    server.clock.advance(2 * dayMs - 1);
    expect((await view(token)).statusCode).toBe(200);
    server.clock.advance(1);
    expect((await view(token)).statusCode).toBe(404);
    const [row] = await storedShares();
    expect(row?.view_count).toBe(1);
  });

  it('shows the 404 page for an unknown or malformed token and once the document is deleted', async () => {
    await start();
    const document = await createDocument();
    const { token } = (await share(document.id)).json();
    expect((await view(`${token.slice(0, -1)}x`)).statusCode).toBe(404);
    expect((await view('not-a-token')).statusCode).toBe(404);
    expect((await server.request({ method: 'DELETE', url: `/api/v1/documents/${document.id}` })).statusCode).toBe(204);
    expect((await view(token)).statusCode).toBe(404);
    expect(await storedShares()).toEqual([]);
  });

  describe('bad requests', () => {
    it('answers 404 for another workspace’s document or link, and stores nothing', async () => {
      await start();
      const document = await createDocument();
      const created = (await share(document.id)).json();
      const otherToken = await server.createOtherWorkspaceToken();

      const intoOther = await share(document.id, {}, otherToken);
      expect(intoOther.statusCode).toBe(404);
      expect(intoOther.json().error.code).toBe('DOCUMENT_NOT_FOUND');
      const list = await server.request({ method: 'GET', url: `/api/v1/documents/${document.id}/shares`, token: otherToken });
      expect(list.statusCode).toBe(404);
      const revoke = await server.request({
        method: 'DELETE',
        url: `/api/v1/documents/${document.id}/shares/${created.id}`,
        token: otherToken,
      });
      expect(revoke.statusCode).toBe(404);
      const unknownShare = await server.request({
        method: 'DELETE',
        url: `/api/v1/documents/${document.id}/shares/01900000-0000-7000-8000-000000000009`,
      });
      expect(unknownShare.statusCode).toBe(404);
      expect(unknownShare.json().error.code).toBe('DOCUMENT_SHARE_NOT_FOUND');
      expect((await storedShares()).map((row) => row.revoked_at)).toEqual([null]);
    });

    it('answers 400 to an expiry in the past, too far away or given twice, and 403 to a viewer, storing nothing', async () => {
      await start();
      const document = await createDocument();
      const past = await share(document.id, { expiresAt: new Date(server.clock.now().getTime() - 1).toISOString() });
      expect(past.statusCode).toBe(400);
      expect(past.json().error.code).toBe('VALIDATION_FAILED');
      const far = await share(document.id, { expiresInDays: 366 });
      expect(far.statusCode).toBe(400);
      const both = await share(document.id, { expiresInDays: 1, expiresAt: new Date(server.clock.now().getTime() + dayMs).toISOString() });
      expect(both.statusCode).toBe(400);
      const viewer = await server.addMember({ email: 'watcher@example.com', role: 'viewer' });
      const forbidden = await share(document.id, {}, viewer.token);
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json().error.code).toBe('FORBIDDEN');
      expect(await storedShares()).toEqual([]);
      expect(await eventsOf('document-shared')).toEqual([]);
    });

    it('does not hand the token out again on an Idempotency-Key replay', async () => {
      await start();
      const document = await createDocument();
      const headers = { 'idempotency-key': 'share-once' };
      const first = await server.request({ method: 'POST', url: `/api/v1/documents/${document.id}/shares`, headers, payload: {} });
      expect(first.statusCode).toBe(201);
      const replay = await server.request({ method: 'POST', url: `/api/v1/documents/${document.id}/shares`, headers, payload: {} });
      expect(replay.statusCode).toBe(409);
      expect(replay.json().error.code).toBe('IDEMPOTENCY_SECRET_NOT_REPLAYABLE');
      expect(replay.body).not.toContain(first.json().token);
      expect(await storedShares()).toHaveLength(1);
    });
  });
});
