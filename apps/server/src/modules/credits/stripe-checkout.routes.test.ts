import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { startStripeStandIn } from '../../test/stripe-stand-in.js';
import { createTestServer, type TestServer } from '../../test/test-server.js';

const secretKey = 'sk_test_standin_0123456789abcdef';
const webhookSecret = 'whsec_standin_0123456789abcdef';

describeEachEngine('buying credits with Stripe Checkout', (engine) => {
  let server: TestServer;
  let stripe: Awaited<ReturnType<typeof startStripeStandIn>>;
  let webhookUrl: string;

  beforeAll(async () => {
    stripe = await startStripeStandIn({ secretKey, webhookSecret });
    server = await createTestServer(engine, { stripe: { secretKey, webhookSecret, apiUrl: stripe.url } });
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    webhookUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/v1/stripe/webhook`;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await stripe?.close();
  });

  const balance = async () => (await server.request({ method: 'GET', url: '/api/v1/credits' })).json().balance as number;

  it('creates a checkout session and credits the workspace once, however often Stripe delivers the paid event', async () => {
    const checkout = await server.request({ method: 'POST', url: '/api/v1/credits/checkout', payload: { credits: 2_500 } });
    expect(checkout.statusCode, checkout.body).toBe(201);
    expect(checkout.json()).toMatchObject({ credits: 2_500, url: expect.stringContaining('/pay/cs_test_') });
    const [session] = stripe.sessions;
    expect(session).toMatchObject({ workspaceId: server.workspaceId, credits: '2500', amountTotal: 2_500 });
    expect(session?.form.get('mode')).toBe('payment');
    expect(session?.form.get('client_reference_id')).toBe(server.workspaceId);
    if (!session) throw new Error('no session');

    expect(await balance()).toBe(0);
    const event = stripe.signedEvent(session);
    expect(await stripe.deliver(webhookUrl, event)).toEqual({ status: 200, body: { received: true, credited: true } });
    expect(await stripe.deliver(webhookUrl, event)).toEqual({ status: 200, body: { received: true, credited: false } });
    expect(await balance()).toBe(2_500);
    const topUps = await server.database.db
      .selectFrom('credit_transactions')
      .select(['kind', 'transaction_key'])
      .where('kind', '=', 'top-up')
      .execute();
    expect(topUps).toEqual([{ kind: 'top-up', transaction_key: `stripe:${session.id}` }]);
    const audit = await server.database.db
      .selectFrom('audit_entries')
      .select(['action', 'summary'])
      .where('action', '=', 'credits.bought')
      .execute();
    expect(audit).toEqual([{ action: 'credits.bought', summary: expect.stringContaining('2500 credits bought') }]);
  });

  it('refuses a forged or unpaid event and credits nothing', async () => {
    const checkout = await server.request({ method: 'POST', url: '/api/v1/credits/checkout', payload: { credits: 700 } });
    expect(checkout.statusCode).toBe(201);
    const session = stripe.sessions.at(-1);
    if (!session) throw new Error('no session');
    const before = await balance();
    const forged = await stripe.deliver(webhookUrl, stripe.signedEvent(session, { secret: 'whsec_someone_else' }));
    expect(forged.status, JSON.stringify(forged.body)).toBe(401);
    expect(forged.body).toMatchObject({ error: { code: 'STRIPE_SIGNATURE_INVALID' } });
    const unpaid = await stripe.deliver(webhookUrl, stripe.signedEvent(session, { paymentStatus: 'unpaid' }));
    expect(unpaid).toEqual({ status: 200, body: { received: true, credited: false } });
    expect(await balance()).toBe(before);
  });

  it('answers PAYMENTS_NOT_CONFIGURED on a server without Stripe', async () => {
    const plain = await createTestServer(engine);
    try {
      const answer = await plain.request({ method: 'POST', url: '/api/v1/credits/checkout', payload: { credits: 500 } });
      expect(answer.statusCode).toBe(409);
      expect(answer.json().error.code).toBe('PAYMENTS_NOT_CONFIGURED');
    } finally {
      await plain.close();
    }
  });
});
