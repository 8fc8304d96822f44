import type { CreditBalance, CreditTransaction, Listing, Page, PublisherEarnings, Purchase } from '@mission-control/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { expectStatusOf } from '../../test/expect-status.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

describeEachEngine('credits and purchases', (engine) => {
  let server: TestServer;
  let buyerToken: string;
  let buyerWorkspaceId: string;
  let publisher: { id: string; token: string };

  beforeAll(async () => {
    server = await createTestServer(engine);
    buyerToken = await server.createOtherWorkspaceToken();
    buyerWorkspaceId = (await server.request({ method: 'GET', url: '/api/v1/credits', token: buyerToken })).json().workspaceId;
    publisher = await server.addMember({ email: `publisher-${engine}@example.com`, role: 'member', name: 'Pia Publisher' });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const expectStatus = expectStatusOf(() => server);
  async function paidListing(title: string, price: number): Promise<Listing> {
    const agent = await expectStatus(
      'POST',
      '/api/v1/agents',
      201,
      { name: `a-${Math.random().toString(36).slice(2, 10)}`, role: 'Seller' },
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
        summary: 'Sold here',
        category: 'sales',
        pricing: { model: 'one-off', priceCredits: price },
      },
      publisher.token,
    );
  }
  const grant = (amount: number, key?: string) =>
    expectStatus(
      'POST',
      '/api/v1/credits/grants',
      201,
      { workspaceId: buyerWorkspaceId, amount, reason: 'Starter credits' },
      undefined,
      key ? { 'idempotency-key': key } : undefined,
    );
  const balance = async () => ((await expectStatus('GET', '/api/v1/credits', 200, undefined, buyerToken)) as CreditBalance).balance;

  it('lets only administrators grant credits, once per idempotency key', async () => {
    const refused = await server.request({
      method: 'POST',
      url: '/api/v1/credits/grants',
      token: publisher.token,
      payload: { workspaceId: buyerWorkspaceId, amount: 5, reason: 'For me' },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('INSTANCE_ADMIN_REQUIRED');
    const first = (await grant(1_000, 'grant-once')) as CreditTransaction;
    const again = (await grant(1_000, 'grant-once')) as CreditTransaction;
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ kind: 'grant', amount: 1_000, description: 'Starter credits' });
    expect(first.entries).toEqual(
      expect.arrayContaining([
        { account: { kind: 'outside', id: null, name: 'Outside this server' }, amount: -1_000 },
        { account: { kind: 'workspace', id: buyerWorkspaceId, name: expect.any(String) }, amount: 1_000 },
      ]),
    );
    expect(await balance()).toBe(1_000);
  });

  it('buys a one-off listing: the workspace pays, the publisher earns less the fee, then it installs; twice is refused', async () => {
    const listing = await paidListing('Closer', 300);
    const before = await balance();
    const notYet = await server.request({
      method: 'POST',
      url: `/api/v1/marketplace/listings/${listing.id}/install`,
      token: buyerToken,
      payload: {},
    });
    expect(notYet.statusCode).toBe(402);
    const purchase = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${listing.id}/purchase`,
      201,
      undefined,
      buyerToken,
    )) as Purchase;
    expect(purchase).toMatchObject({ listingId: listing.id, workspaceId: buyerWorkspaceId, balance: before - 300 });
    expect(purchase.transaction?.entries.map((entry) => [entry.account.kind, entry.amount]).sort()).toEqual([
      ['platform', 30],
      ['publisher-user', 270],
      ['workspace', -300],
    ]);
    const twice = await server.request({ method: 'POST', url: `/api/v1/marketplace/listings/${listing.id}/purchase`, token: buyerToken });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('LISTING_ALREADY_BOUGHT');
    expect(await balance()).toBe(before - 300);
    await expectStatus('POST', `/api/v1/marketplace/listings/${listing.id}/install`, 201, {}, buyerToken);
    const earnings = (await expectStatus('GET', '/api/v1/marketplace/earnings', 200, undefined, publisher.token)) as PublisherEarnings;
    expect(earnings.publishers[0]).toMatchObject({ kind: 'user', id: publisher.id, name: 'Pia Publisher', balance: 270, sales: 1 });
    expect(earnings.feePercent).toBe(10);
  });

  it('refuses a purchase the workspace cannot pay for, storing nothing', async () => {
    const listing = await paidListing('Too dear', 1_000_000);
    const transactions = await server.database.db.selectFrom('credit_transactions').select('id').execute();
    const refused = await server.request({ method: 'POST', url: `/api/v1/marketplace/listings/${listing.id}/purchase`, token: buyerToken });
    expect(refused.statusCode).toBe(402);
    expect(refused.json().error).toMatchObject({ code: 'CREDITS_INSUFFICIENT', details: { needed: 1_000_000 } });
    expect(await server.database.db.selectFrom('credit_transactions').select('id').execute()).toHaveLength(transactions.length);
    expect(
      await server.database.db.selectFrom('marketplace_entitlements').selectAll().where('listing_id', '=', listing.id).execute(),
    ).toEqual([]);
  });

  it('refunds in part and then the rest, in the purchase’s proportions; a full refund takes the entitlement back', async () => {
    await grant(500);
    const listing = await paidListing('Refundable', 200);
    const purchase = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${listing.id}/purchase`,
      201,
      undefined,
      buyerToken,
    )) as Purchase;
    const start = await balance();
    const part = (await expectStatus('POST', `/api/v1/credits/transactions/${purchase.transaction?.id}/refund`, 201, {
      amount: 50,
      reason: 'Half a day lost',
    })) as CreditTransaction;
    expect(part.entries.map((entry) => [entry.account.kind, entry.amount]).sort()).toEqual([
      ['platform', -5],
      ['publisher-user', -45],
      ['workspace', 50],
    ]);
    expect(await balance()).toBe(start + 50);
    const tooMuch = await server.request({
      method: 'POST',
      url: `/api/v1/credits/transactions/${purchase.transaction?.id}/refund`,
      payload: { amount: 151, reason: 'All of it and more' },
    });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().error).toMatchObject({ code: 'REFUND_TOO_LARGE', details: { refundable: 150 } });
    await expectStatus('POST', `/api/v1/credits/transactions/${purchase.transaction?.id}/refund`, 201, { reason: 'Did not work for us' });
    expect(await balance()).toBe(start + 200);
    const install = await server.request({
      method: 'POST',
      url: `/api/v1/marketplace/listings/${listing.id}/install`,
      token: buyerToken,
      payload: {},
    });
    expect(install.statusCode).toBe(402);
    // Bought again after the refund: a new purchase, charged again.
    await expectStatus('POST', `/api/v1/marketplace/listings/${listing.id}/purchase`, 201, undefined, buyerToken);
    expect(await balance()).toBe(start);

    const history = (await expectStatus(
      'GET',
      '/api/v1/credits/transactions?kind=refund',
      200,
      undefined,
      buyerToken,
    )) as Page<CreditTransaction>;
    expect(history.data.map((transaction) => transaction.amount)).toEqual([150, 50]);
    expect(history.data.every((transaction) => transaction.refundOf === purchase.transaction?.id)).toBe(true);
    const csv = await server.request({ method: 'GET', url: '/api/v1/credits/transactions?format=csv', token: buyerToken });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('id,createdAt,kind,amount,description,listing,by');
    expect(csv.body).toContain(',refund,150,Did not work for us,Refundable,');
  });

  it('keeps the ledger balanced through 1,000 concurrent purchases, refunds and retried grants', async () => {
    const buyers = [buyerToken, await server.createOtherWorkspaceToken(), await server.createOtherWorkspaceToken()];
    const buyerIds = await Promise.all(
      buyers.map(async (token) => ((await expectStatus('GET', '/api/v1/credits', 200, undefined, token)) as CreditBalance).workspaceId),
    );
    for (const workspaceId of buyerIds) {
      await expectStatus('POST', '/api/v1/credits/grants', 201, { workspaceId, amount: 2_000, reason: 'For the storm' });
    }
    const listings: Listing[] = [];
    for (let index = 0; index < 12; index += 1) listings.push(await paidListing(`Storm ${index}`, 37 + index * 11));
    let state = 11;
    const next = (limit: number) => {
      state = (state * 48_271) % 2_147_483_647;
      return state % limit;
    };
    const operations: (() => Promise<number>)[] = [];
    for (let index = 0; index < 1_000; index += 1) {
      const kind = next(10);
      const buyer = next(buyers.length);
      if (kind < 5) {
        const listing = listings[next(listings.length)];
        operations.push(
          async () =>
            (await server.request({ method: 'POST', url: `/api/v1/marketplace/listings/${listing?.id}/purchase`, token: buyers[buyer] }))
              .statusCode,
        );
      } else if (kind < 8) {
        operations.push(async () => {
          const purchases = await server.database.db
            .selectFrom('credit_transactions')
            .select('id')
            .where('kind', '=', 'purchase')
            .execute();
          const purchase = purchases[next(Math.max(1, purchases.length))];
          if (!purchase) return 0;
          return (
            await server.request({
              method: 'POST',
              url: `/api/v1/credits/transactions/${purchase.id}/refund`,
              payload: { amount: 1 + next(40), reason: 'storm' },
            })
          ).statusCode;
        });
      } else {
        const key = `storm-grant-${buyer}-${next(7)}`;
        operations.push(
          async () =>
            (
              await server.request({
                method: 'POST',
                url: '/api/v1/credits/grants',
                payload: { workspaceId: buyerIds[buyer], amount: 25, reason: 'retried' },
                headers: { 'idempotency-key': key },
              })
            ).statusCode,
        );
      }
    }
    const statuses: number[] = [];
    for (let start = 0; start < operations.length; start += 25) {
      statuses.push(...(await Promise.all(operations.slice(start, start + 25).map((operation) => operation()))));
    }
    // Only answers a person can act on: no 500s, no deadlocks.
    expect(statuses.filter((status) => ![0, 201, 402, 409].includes(status)).slice(0, 5)).toEqual([]);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThan(100);

    const db = server.database.db;
    const total = await sql<{ total: number | string | null }>`select sum(amount) as total from credit_entries`.execute(db);
    expect(Number(total.rows[0]?.total ?? 0)).toBe(0);
    const unbalanced = await sql`select transaction_id from credit_entries group by transaction_id having sum(amount) <> 0`.execute(db);
    expect(unbalanced.rows).toEqual([]);
    const negative =
      await sql`select a.kind, a.owner_id, sum(e.amount) as balance from credit_entries e join credit_accounts a on a.id = e.account_id
      where a.kind not in ('platform', 'outside') group by a.kind, a.owner_id having sum(e.amount) < 0`.execute(db);
    expect(negative.rows).toEqual([]);
    // Each retried grant key landed once, whatever the number of attempts.
    const grants = await sql<{
      key: string;
      count: number | string;
    }>`select transaction_key as key, count(*) as count from credit_transactions
      where transaction_key like 'grant:%storm-grant-%' group by transaction_key having count(*) > 1`.execute(db);
    expect(grants.rows).toEqual([]);
    // Every entitlement belongs to a purchase that was not refunded in full, and every workspace holds a listing at most once.
    const entitlements = await sql<{ count: number | string }>`select count(*) as count from marketplace_entitlements`.execute(db);
    const owned = await sql<{
      count: number | string;
    }>`select count(distinct listing_id || ':' || workspace_id) as count from marketplace_entitlements`.execute(db);
    expect(Number(entitlements.rows[0]?.count)).toBe(Number(owned.rows[0]?.count));
  }, 240_000);
});
