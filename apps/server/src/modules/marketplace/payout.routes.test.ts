import type { Listing, Payout } from '@mission-control/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { expectStatusOf } from '../../test/expect-status.js';
import { refusingStripeAccount, startStripeStandIn } from '../../test/stripe-stand-in.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';

const secretKey = 'sk_test_standin_payouts_0123456789';
const webhookSecret = 'whsec_standin_payouts_0123456789';

describeEachEngine('payouts of marketplace earnings', (engine) => {
  let server: TestServer;
  let stripe: Awaited<ReturnType<typeof startStripeStandIn>>;
  let publisher: { id: string; token: string };
  const expectStatus = expectStatusOf(() => server);

  beforeAll(async () => {
    stripe = await startStripeStandIn({ secretKey, webhookSecret });
    server = await createTestServer(engine, {
      clock: createTestClock(new Date('2026-12-04T09:00:00.000Z')),
      stripe: { secretKey, webhookSecret, apiUrl: stripe.url },
    });
    publisher = await server.addMember({ email: `payout-publisher-${engine}@example.com`, role: 'member', name: 'Petra Payee' });
    // Earnings from a real sale: another workspace buys the publisher's one-off listing for 500 (450 after the fee).
    const buyerToken = await server.createOtherWorkspaceToken();
    const buyerWorkspaceId = (await server.request({ method: 'GET', url: '/api/v1/credits', token: buyerToken })).json().workspaceId;
    await expectStatus('POST', '/api/v1/credits/grants', 201, {
      workspaceId: buyerWorkspaceId,
      amount: 500,
      reason: 'Credits to buy with',
    });
    const agent = await expectStatus('POST', '/api/v1/agents', 201, { name: `seller-${engine}`, role: 'Analyst' }, publisher.token);
    const listing = (await expectStatus(
      'POST',
      '/api/v1/marketplace/listings',
      201,
      {
        kind: 'agent',
        sourceId: agent.id,
        title: 'Paid analyst',
        summary: 'Sold once',
        category: 'research',
        pricing: { model: 'one-off', priceCredits: 500 },
      },
      publisher.token,
    )) as Listing;
    await expectStatus('POST', `/api/v1/marketplace/listings/${listing.id}/purchase`, 201, undefined, buyerToken);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await stripe?.close();
  });

  const earnings = () => server.services.credits.balanceOf({ kind: 'publisher-user', ownerId: publisher.id });
  const payOut = (amount: number, status: number) =>
    expectStatus('POST', '/api/v1/marketplace/payouts', status, { publisher: { kind: 'user', id: publisher.id }, amount }, publisher.token);
  const connect = (stripeAccountId: string) =>
    expectStatus(
      'PUT',
      '/api/v1/marketplace/payout-account',
      200,
      { publisher: { kind: 'user', id: publisher.id }, stripeAccountId },
      publisher.token,
    );

  it('records a payout when no Stripe account is connected, and refuses someone else’s earnings or more than were earned', async () => {
    expect(await earnings()).toBe(450);
    const recorded = (await payOut(100, 201)) as Payout;
    expect(recorded).toMatchObject({
      publisher: { kind: 'user', id: publisher.id, name: 'Petra Payee' },
      amount: 100,
      status: 'recorded',
      destination: null,
      transferId: null,
      requestedBy: { id: publisher.id, name: 'Petra Payee' },
    });
    expect(await earnings()).toBe(350);

    const notYours = await expectStatus('POST', '/api/v1/marketplace/payouts', 403, {
      publisher: { kind: 'user', id: publisher.id },
      amount: 10,
    });
    expect(notYours.error.code).toBe('FORBIDDEN');
    const tooMuch = await payOut(351, 402);
    expect(tooMuch.error).toMatchObject({ code: 'CREDITS_INSUFFICIENT', details: { balance: 350, needed: 351 } });
    const badAccount = await expectStatus(
      'PUT',
      '/api/v1/marketplace/payout-account',
      400,
      { publisher: { kind: 'user', id: publisher.id }, stripeAccountId: 'IBAN DE00 1234' },
      publisher.token,
    );
    expect(badAccount.error.code).toBe('VALIDATION_FAILED');
    expect(await earnings()).toBe(350);
    expect(stripe.transfers).toEqual([]);
  });

  it('transfers to the connected account with the payout’s id as the idempotency key', async () => {
    expect(await connect('acct_1Petra')).toMatchObject({ stripeAccountId: 'acct_1Petra' });
    const paid = (await payOut(200, 201)) as Payout;
    expect(paid).toMatchObject({ status: 'paid', destination: 'acct_1Petra', transferId: 'tr_test_1' });
    expect(stripe.transfers).toEqual([
      { id: 'tr_test_1', amount: 200, currency: 'usd', destination: 'acct_1Petra', idempotencyKey: `payout-${paid.id}` },
    ]);
    expect(await earnings()).toBe(150);
  });

  it('puts the credits back when Stripe refuses the transfer, and says why', async () => {
    await connect(refusingStripeAccount);
    const refused = await payOut(50, 502);
    expect(refused.error.code).toBe('PAYMENT_PROVIDER_FAILED');
    expect(refused.error.message).toContain('No such destination');
    expect(await earnings()).toBe(150);
    const listed = (await expectStatus('GET', '/api/v1/marketplace/payouts', 200, undefined, publisher.token)) as { data: Payout[] };
    expect(listed.data[0]).toMatchObject({ id: refused.error.details.payoutId, status: 'failed', amount: 50 });
    expect(listed.data[0]?.failure).toContain('No such destination');
    expect(listed.data.map((payout) => payout.status)).toEqual(['failed', 'paid', 'recorded']);
  });

  it('keeps a payout Stripe did not answer pending, and the retry job pays it once', async () => {
    await connect('acct_2Petra');
    // More 500s than the package's own retries: the call ends without an answer.
    stripe.failTransfers(3);
    const pending = (await payOut(100, 201)) as Payout;
    expect(pending).toMatchObject({ status: 'pending', transferId: null });
    expect(await earnings()).toBe(50);
    const retry = server.services.marketplace.payouts;
    expect(await retry.retryPendingPayouts()).toBe(0);
    const start = server.clock.now();
    server.clock.advance(2 * 60_000);
    try {
      expect(await retry.retryPendingPayouts()).toBe(1);
      expect(await retry.retryPendingPayouts()).toBe(0);
    } finally {
      server.clock.set(start);
    }
    const listed = (await expectStatus('GET', '/api/v1/marketplace/payouts', 200, undefined, publisher.token)) as { data: Payout[] };
    expect(listed.data[0]).toMatchObject({ id: pending.id, status: 'paid', destination: 'acct_2Petra' });
    expect(stripe.transfers.filter((transfer) => transfer.idempotencyKey === `payout-${pending.id}`)).toHaveLength(1);
    expect(await earnings()).toBe(50);

    // Every movement still balances: the ledger's entries sum to zero.
    const total = await sql<{ total: number | string | null }>`select sum(amount) as total from credit_entries`.execute(server.database.db);
    expect(Number(total.rows[0]?.total ?? 0)).toBe(0);
    const audit = await server.database.db.selectFrom('audit_entries').select('action').where('action', 'like', 'payout%').execute();
    expect(new Set(audit.map((row) => row.action))).toEqual(
      new Set(['payout.requested', 'payout.paid', 'payout.failed', 'payout-account.set']),
    );
  });

  it('shows the publisher’s own history: the sale less the fee, the payouts and the returned one, also as CSV', async () => {
    const history = await expectStatus('GET', '/api/v1/marketplace/earnings/transactions?limit=50', 200, undefined, publisher.token);
    const moves = (history.data as { kind: string; amount: number }[]).map((row) => [row.kind, row.amount]);
    expect(moves).toEqual([
      ['payout', -100],
      ['payout-returned', 50],
      ['payout', -50],
      ['payout', -200],
      ['payout', -100],
      ['purchase', 450],
    ]);
    const onlyPayouts = await expectStatus('GET', '/api/v1/marketplace/earnings/transactions?kind=payout', 200, undefined, publisher.token);
    expect(onlyPayouts.data).toHaveLength(4);
    const csv = await server.request({
      method: 'GET',
      url: '/api/v1/marketplace/earnings/transactions?format=csv',
      token: publisher.token,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.trim().split('\r\n')).toHaveLength(7);
    expect(csv.body).toContain('Paid analyst');
    // Someone else's history stays theirs: the owner sees only their own (empty) earnings, and no organisation they do not run.
    expect((await expectStatus('GET', '/api/v1/marketplace/earnings/transactions', 200)).data).toEqual([]);
    const foreign = await expectStatus(
      'GET',
      `/api/v1/marketplace/earnings/transactions?organizationId=${publisher.id}`,
      403,
      undefined,
      publisher.token,
    );
    expect(foreign.error.code).toBe('FORBIDDEN');
  });
});
