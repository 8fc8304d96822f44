import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl } from './index.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('document share links through the SDK', (engine) => {
  let server: RealServer;
  let owner: MissionControl;
  beforeAll(async () => {
    server = await startRealServer(engine);
    owner = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken, retry: { retries: 0 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('makes a link that a browser without a session reads over HTTP, counts the view, and revokes it', async () => {
    const document = await owner.documents.create({ title: 'Runbook', content: '## Restart\n\n1. Drain the queue' });
    const created = await owner.documents.share(document.id, { expiresInDays: 3 });
    const pageUrl = new URL(created.url, server.url);
    expect(pageUrl.pathname).toBe(`/share/${created.token}`);

    const page = await fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<h2>Restart</h2>');
    expect(html).toContain('<li>Drain the queue</li>');

    const [listed] = await owner.documents.listShares(document.id);
    expect(listed).toMatchObject({ id: created.id, viewCount: 1 });
    await owner.documents.revokeShare(document.id, created.id);
    expect((await fetch(pageUrl)).status).toBe(404);
  });
});
