import type {
  Agent,
  Dispute,
  Installation,
  Listing,
  Notification,
  Page,
  PublisherEarnings,
  Purchase,
  Rental,
} from '@mission-control/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { expectStatusOf } from '../../test/expect-status.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';

const dayMs = 24 * 60 * 60 * 1000;

describeEachEngine('rentals, escrow and disputes', (engine) => {
  let server: TestServer;
  let buyerToken: string;
  let buyerWorkspaceId: string;
  let publisher: { id: string; token: string };

  beforeAll(async () => {
    server = await createTestServer(engine, { clock: createTestClock(new Date('2026-12-01T09:00:00.000Z')) });
    buyerToken = await server.createOtherWorkspaceToken();
    buyerWorkspaceId = (await server.request({ method: 'GET', url: '/api/v1/credits', token: buyerToken })).json().workspaceId;
    publisher = await server.addMember({ email: `renter-publisher-${engine}@example.com`, role: 'member', name: 'Rhea Renter' });
    await expectStatus('POST', '/api/v1/credits/grants', 201, { workspaceId: buyerWorkspaceId, amount: 2_000, reason: 'Starter credits' });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const expectStatus = expectStatusOf(() => server);
  async function rentalListing(title: string, days: number, priceCredits: number): Promise<Listing> {
    const agent = await expectStatus(
      'POST',
      '/api/v1/agents',
      201,
      { name: `r-${Math.random().toString(36).slice(2, 10)}`, role: 'Researcher' },
      publisher.token,
    );
    return expectStatus(
      'POST',
      '/api/v1/marketplace/listings',
      201,
      {
        kind: 'agent',
        sourceId: agent.id,
        title,
        summary: 'Rented here',
        category: 'research',
        pricing: { model: 'rental', days, priceCredits },
      },
      publisher.token,
    );
  }
  const balanceOf = (kind: 'workspace' | 'escrow' | 'publisher-user' | 'platform', ownerId: string) =>
    server.services.credits.balanceOf({ kind, ownerId });
  const workspaceBalance = () => balanceOf('workspace', buyerWorkspaceId);
  const publisherBalance = () => balanceOf('publisher-user', publisher.id);
  /**
   * Moves past a period and runs the end-of-period job, then turns the clock back: access tokens
   * are signed and checked against the same clock, and the rentals' ends are stored by then.
   */
  async function runJobAfter(milliseconds: number): Promise<number> {
    const start = server.clock.now();
    server.clock.advance(milliseconds);
    try {
      return await server.services.marketplace.rentals.endDueRentals();
    } finally {
      server.clock.set(start);
    }
  }

  it('pays a rental into escrow, installs during the period, and at its end releases it less the fee and pauses the install', async () => {
    const listing = await rentalListing('Weekly researcher', 3, 200);
    const before = await workspaceBalance();
    const rented = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${listing.id}/purchase`,
      201,
      undefined,
      buyerToken,
    )) as Purchase;
    expect(rented.rental).toMatchObject({ status: 'active', endsAt: new Date(server.clock.now().getTime() + 3 * dayMs).toISOString() });
    const rentalId = rented.rental?.id as string;
    expect(rented.balance).toBe(before - 200);
    expect(rented.transaction?.entries.map((entry) => [entry.account.kind, entry.amount]).sort()).toEqual([
      ['escrow', 200],
      ['workspace', -200],
    ]);
    expect(await balanceOf('escrow', rentalId)).toBe(200);
    expect(await publisherBalance()).toBe(0);
    const listed = (await expectStatus('GET', '/api/v1/marketplace/rentals?status=active', 200, undefined, buyerToken)) as {
      data: Rental[];
    };
    expect(listed.data).toEqual([
      expect.objectContaining({
        id: rentalId,
        listing: { id: listing.id, title: 'Weekly researcher' },
        status: 'active',
        priceCredits: 200,
        escrowCredits: 200,
        accessEnded: false,
        disputeId: null,
      }),
    ]);
    // Another workspace's rentals are not shown.
    expect((await expectStatus('GET', '/api/v1/marketplace/rentals', 200)).data).toEqual([]);
    const again = await expectStatus('POST', `/api/v1/marketplace/listings/${listing.id}/purchase`, 409, undefined, buyerToken);
    expect(again.error.code).toBe('LISTING_ALREADY_BOUGHT');

    const installation = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${listing.id}/install`,
      201,
      {},
      buyerToken,
    )) as Installation;
    const agentId = installation.items.find((item) => item.kind === 'agent')?.id as string;
    expect(agentId).toBeDefined();

    expect(await runJobAfter(dayMs)).toBe(0);
    expect(await balanceOf('escrow', rentalId)).toBe(200);

    const platformBefore = await balanceOf('platform', '');
    expect(await runJobAfter(3 * dayMs + 60_000)).toBe(1);
    expect(await runJobAfter(3 * dayMs + 60_000)).toBe(0);
    expect(await balanceOf('escrow', rentalId)).toBe(0);
    expect(await publisherBalance()).toBe(180);
    const ended = (await expectStatus('GET', '/api/v1/marketplace/rentals', 200, undefined, buyerToken)) as { data: Rental[] };
    expect(ended.data.find((row) => row.id === rentalId)).toMatchObject({ status: 'released', escrowCredits: 0, accessEnded: true });
    expect((await balanceOf('platform', '')) - platformBefore).toBe(20);
    const earnings = (await expectStatus('GET', '/api/v1/marketplace/earnings', 200, undefined, publisher.token)) as PublisherEarnings;
    expect(earnings.publishers[0]).toMatchObject({ id: publisher.id, balance: 180 });

    const paused = (await expectStatus('GET', '/api/v1/marketplace/installations?status=paused', 200, undefined, buyerToken)) as {
      data: Installation[];
    };
    expect(paused.data.map((row) => [row.id, row.status])).toEqual([[installation.id, 'paused']]);
    const agent = (await expectStatus('GET', `/api/v1/agents/${agentId}`, 200, undefined, buyerToken)) as Agent;
    expect(agent.status).toBe('blocked');
    const inbox = (await expectStatus('GET', '/api/v1/notifications', 200, undefined, buyerToken)) as Page<Notification>;
    expect(inbox.data.some((notification) => notification.content.includes('Your rental of Weekly researcher ended'))).toBe(true);
    const publisherInbox = (await expectStatus('GET', '/api/v1/notifications', 200, undefined, publisher.token)) as Page<Notification>;
    expect(publisherInbox.data.some((notification) => notification.content.includes('180 credits were released to you'))).toBe(true);

    const refused = await expectStatus('POST', `/api/v1/marketplace/listings/${listing.id}/install`, 402, {}, buyerToken);
    expect(refused.error.code).toBe('LISTING_PAYMENT_REQUIRED');
    const late = await expectStatus('POST', '/api/v1/marketplace/disputes', 409, { rentalId, reason: 'Too late' }, buyerToken);
    expect(late.error.code).toBe('DISPUTE_NOT_ALLOWED');

    // Renting again after the end is a new rental under a new key.
    const renewed = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${listing.id}/purchase`,
      201,
      undefined,
      buyerToken,
    )) as Purchase;
    expect(renewed.rental?.id).not.toBe(rentalId);
    expect(renewed.balance).toBe(before - 400);
    await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${listing.id}/install`,
      201,
      { options: { namePrefix: 'again-' } },
      buyerToken,
    );
  });

  it('holds a disputed escrow at the end; an administrator refunds part and releases the rest', async () => {
    const listing = await rentalListing('Disputed analyst', 2, 300);
    const rented = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${listing.id}/purchase`,
      201,
      undefined,
      buyerToken,
    )) as Purchase;
    const rentalId = rented.rental?.id as string;
    const unknown = await expectStatus('POST', '/api/v1/marketplace/disputes', 404, { rentalId, reason: 'Not mine' });
    expect(unknown.error.code).toBe('RENTAL_NOT_FOUND');
    const dispute = (await expectStatus(
      'POST',
      '/api/v1/marketplace/disputes',
      201,
      { rentalId, reason: 'It never answered' },
      buyerToken,
    )) as Dispute;
    expect(dispute).toMatchObject({ status: 'open', rentalId, rental: { status: 'disputed', priceCredits: 300 }, resolution: null });
    const twice = await expectStatus('POST', '/api/v1/marketplace/disputes', 409, { rentalId, reason: 'Again' }, buyerToken);
    expect(twice.error.code).toBe('DISPUTE_NOT_ALLOWED');
    const own = (await expectStatus('GET', '/api/v1/marketplace/disputes?status=open', 200, undefined, buyerToken)) as { data: Dispute[] };
    expect(own.data.map((row) => row.id)).toEqual([dispute.id]);
    const others = (await expectStatus('GET', '/api/v1/marketplace/disputes', 200, undefined, publisher.token)) as { data: Dispute[] };
    expect(others.data).toEqual([]);

    const publisherBefore = await publisherBalance();
    await runJobAfter(2 * dayMs + 60_000);
    expect(await balanceOf('escrow', rentalId)).toBe(300);
    // The disputed escrow stays; nothing reached the publisher (the first test's renewed rental runs a day longer).
    expect(await publisherBalance()).toBe(publisherBefore);

    const notAdministrator = await expectStatus(
      'POST',
      `/api/v1/marketplace/disputes/${dispute.id}/resolve`,
      403,
      { outcome: 'refund', refundAmount: 100, reason: 'Half of it' },
      publisher.token,
    );
    expect(notAdministrator.error.code).toBe('INSTANCE_ADMIN_REQUIRED');
    const tooMuch = await expectStatus('POST', `/api/v1/marketplace/disputes/${dispute.id}/resolve`, 409, {
      outcome: 'refund',
      refundAmount: 301,
      reason: 'All and more',
    });
    expect(tooMuch.error.code).toBe('REFUND_TOO_LARGE');

    const workspaceBefore = await workspaceBalance();
    const publisherMid = await publisherBalance();
    const resolved = (await expectStatus('POST', `/api/v1/marketplace/disputes/${dispute.id}/resolve`, 200, {
      outcome: 'refund',
      refundAmount: 100,
      reason: 'It answered a third of the time',
    })) as Dispute;
    expect(resolved).toMatchObject({
      status: 'resolved',
      rental: { status: 'ended' },
      resolution: { outcome: 'refund', refunded: 100, released: 200, reason: 'It answered a third of the time' },
    });
    expect(await balanceOf('escrow', rentalId)).toBe(0);
    expect((await workspaceBalance()) - workspaceBefore).toBe(100);
    expect((await publisherBalance()) - publisherMid).toBe(180);
    const again = await expectStatus('POST', `/api/v1/marketplace/disputes/${dispute.id}/resolve`, 409, {
      outcome: 'release',
      reason: 'Changed my mind',
    });
    expect(again.error.code).toBe('DISPUTE_ALREADY_RESOLVED');
    const resolvedList = (await expectStatus('GET', '/api/v1/marketplace/disputes?status=resolved', 200)) as { data: Dispute[] };
    expect(resolvedList.data.map((row) => row.id)).toContain(dispute.id);

    const audit = await sql<{ action: string }>`select action from audit_entries where workspace_id = ${buyerWorkspaceId}`.execute(
      server.services.context.db,
    );
    expect(audit.rows.map((row) => row.action)).toEqual(
      expect.arrayContaining(['rental.started', 'rental.released', 'rental.disputed', 'rental.dispute-resolved']),
    );
    const inbox = (await expectStatus('GET', '/api/v1/notifications', 200, undefined, buyerToken)) as Page<Notification>;
    expect(inbox.data.some((notification) => notification.content.includes('Your dispute over Disputed analyst was resolved'))).toBe(true);
    const publisherInbox = (await expectStatus('GET', '/api/v1/notifications', 200, undefined, publisher.token)) as Page<Notification>;
    expect(publisherInbox.data.some((notification) => notification.content.includes('A dispute over Disputed analyst was resolved'))).toBe(
      true,
    );
  });

  it('keeps the ledger balanced: every transaction sums to zero and no escrow, workspace or publisher is below zero', async () => {
    const db = server.services.context.db;
    const total = await sql<{ total: number | string | null }>`select sum(amount) as total from credit_entries`.execute(db);
    expect(Number(total.rows[0]?.total ?? 0)).toBe(0);
    const unbalanced = await sql`select transaction_id from credit_entries group by transaction_id having sum(amount) <> 0`.execute(db);
    expect(unbalanced.rows).toEqual([]);
    const negative = await sql`select a.kind, a.owner_id from credit_entries e join credit_accounts a on a.id = e.account_id
      where a.kind not in ('platform', 'outside') group by a.kind, a.owner_id having sum(e.amount) < 0`.execute(db);
    expect(negative.rows).toEqual([]);
  });
});
