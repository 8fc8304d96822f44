import { afterAll, beforeAll, expect, it } from 'vitest';
import { MissionControl } from './client.js';
import { isMissionControlError } from './errors.js';
import { describeEachEngine, type RealServer, startRealServer } from './test/real-server.js';

describeEachEngine('sdk: marketplace', (engine) => {
  let server: RealServer;
  let client: MissionControl;

  beforeAll(async () => {
    server = await startRealServer(engine);
    client = new MissionControl({ baseUrl: server.url, accessToken: server.ownerToken });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('publishes, finds, installs, upgrades and uninstalls a listing, and moderates its review', async () => {
    const agent = await client.agents.create({ name: 'curator', role: 'Curator', capabilities: ['curation'] });
    const listing = await client.marketplace.publish({
      kind: 'agent',
      sourceId: agent.id,
      title: 'Curator',
      summary: 'Keeps reading lists',
      category: 'research',
    });
    expect(listing).toMatchObject({ title: 'Curator', latestVersion: '1.0.0', canEdit: true });
    const found = await client.marketplace.search({ q: 'reading lists' });
    expect(found.data.map((item) => item.id)).toEqual([listing.id]);
    expect(found.facets.category).toEqual([{ value: 'research', count: 1 }]);

    const installation = await client.marketplace.install(listing.id, { options: { namePrefix: 'my-' } });
    expect(installation.items).toEqual([expect.objectContaining({ kind: 'agent', name: 'my-curator', templateName: 'curator' })]);
    await client.agents.update(agent.id, { role: 'Head curator' });
    await client.marketplace.publishVersion(listing.id, { version: '1.1.0', changelog: 'A head curator' });
    const preview = await client.marketplace.installations.previewUpgrade(installation.id, '1.1.0');
    expect(preview.changes).toEqual([expect.objectContaining({ field: 'role', outcome: 'update', next: 'Head curator' })]);
    expect((await client.marketplace.installations.upgrade(installation.id, '1.1.0')).version).toBe('1.1.0');
    expect((await client.marketplace.getVersion(listing.id, '1.1.0')).content.agents[0]?.role).toBe('Head curator');

    const ownReview = await client.marketplace.reviews.post(listing.id, { rating: 5 }).catch((error: unknown) => error);
    expect(isMissionControlError(ownReview) && ownReview.code).toBe('REVIEW_REQUIRES_INSTALL');
    expect(await client.marketplace.reviews.setBlockedWords(['spam'])).toEqual(['spam']);
    expect((await client.marketplace.reviews.moderationQueue()).data).toEqual([]);

    const removed = await client.marketplace.installations.uninstall(installation.id);
    expect(removed.status).toBe('uninstalled');
    expect(await client.marketplace.installations.list()).toEqual([]);
    const workspaceId = (await client.credits.balance()).workspaceId;
    const granted = await client.credits.grant({ workspaceId, amount: 40, reason: 'Try-out credits' });
    expect(granted).toMatchObject({ kind: 'grant', amount: 40 });
    expect((await client.credits.balance()).balance).toBe(40);
    expect((await client.credits.transactions()).data.map((transaction) => transaction.id)).toEqual([granted.id]);
    const ownPurchase = await client.marketplace.purchase(listing.id).catch((error: unknown) => error);
    expect(isMissionControlError(ownPurchase) && ownPurchase.code).toBe('LISTING_NOT_FOR_SALE');
    expect((await client.marketplace.earnings()).publishers[0]).toMatchObject({ kind: 'user', balance: 0, sales: 0 });
    const fork = await client.marketplace.fork(listing.id);
    expect(fork.forkedFrom).toMatchObject({ listingId: listing.id, version: '1.1.0' });
  });
});
