import { payoutSchema, purchaseSchema, subscriptionSchema } from '@mission-control/contracts';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachEngine } from '../../../sdk/src/test/real-server.js';
import { useCliAgainstRealServer } from '../test/cli-against-real-server.js';

// Several CLI processes one after another: each start takes seconds on a loaded machine.
const slow = 180_000;

describeEachEngine('mission marketplace buy, subscriptions and payouts against a real server', (engine) => {
  const cli = useCliAgainstRealServer(`marketplace-billing-${engine}`, {}, engine);
  const { run } = cli;

  async function api(method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>, token?: string) {
    const answer = await cli.server.request({ method, url, ...(payload ? { payload } : {}), ...(token ? { token } : {}) });
    if (answer.statusCode >= 300) throw new Error(`${method} ${url} answered ${answer.statusCode}: ${answer.body}`);
    return answer.json();
  }
  async function publish(title: string, pricing: Record<string, unknown>, token?: string): Promise<{ id: string }> {
    const agent = await api('POST', '/api/v1/agents', { name: `a-${Math.random().toString(36).slice(2, 9)}`, role: 'Writer' }, token);
    return api(
      'POST',
      '/api/v1/marketplace/listings',
      { kind: 'agent', sourceId: agent.id, title, summary: 'For sale', category: 'writing', pricing },
      token,
    );
  }

  it(
    'subscribes by use with a spending limit, lists it, raises the limit and cancels it at the period’s end',
    async () => {
      await api('POST', '/api/v1/credits/grants', { workspaceId: cli.server.workspaceId, amount: 300, reason: 'For the CLI test' });
      const seller = await cli.server.addMember({ email: `cli-seller-${engine}@example.com`, role: 'member', name: 'Cleo Seller' });
      const listing = await publish('Per-task proofreader', { model: 'usage', unit: 'task', creditsPerUnit: 4 }, seller.token);

      const withoutLimit = await run(['marketplace', 'buy', listing.id]);
      expect(withoutLimit.code).not.toBe(0);
      expect(withoutLimit.stderr).toContain('spendingLimitCredits');
      const zero = await run(['marketplace', 'buy', listing.id, '--spending-limit', '0']);
      expect(zero.code).toBe(2);

      const bought = await run(['marketplace', 'buy', listing.id, '--spending-limit', '100', '--json']);
      expect(bought.stderr).toBe('');
      const purchase = purchaseSchema.parse(JSON.parse(bought.stdout));
      expect(purchase.transaction).toBeNull();
      expect(purchase.subscription?.usage).toMatchObject({
        unit: 'task',
        creditsPerUnit: 4,
        spendingLimitCredits: 100,
        spentThisPeriod: 0,
      });
      const subscriptionId = purchase.subscription?.id as string;

      const listed = await run(['marketplace', 'subscriptions']);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain('Per-task proofreader');
      expect(listed.stdout).toContain('4 credits per task done');
      expect(listed.stdout).toContain('0 of 100');

      const raised = await run(['marketplace', 'subscription', subscriptionId, '--spending-limit', '250', '--json']);
      expect(subscriptionSchema.parse(JSON.parse(raised.stdout)).usage?.spendingLimitCredits).toBe(250);
      const cancelled = await run(['marketplace', 'subscription', subscriptionId, '--cancel']);
      expect(cancelled.code).toBe(0);
      expect(cancelled.stdout).toContain('Per-task proofreader: ends');
      const stored = await cli.server.database.db
        .selectFrom('marketplace_subscriptions')
        .select(['spending_limit_credits', 'cancel_at_period_end'])
        .where('id', '=', subscriptionId)
        .executeTakeFirstOrThrow();
      expect({ limit: Number(stored.spending_limit_credits), cancel: stored.cancel_at_period_end }).toEqual({ limit: 250, cancel: 1 });
      const nothing = await run(['marketplace', 'subscription', subscriptionId]);
      expect(nothing.code).toBe(2);
    },
    slow,
  );

  it(
    'pays out what a sale earned, recorded for an administrator when no Stripe account is connected',
    async () => {
      const listing = await publish('Owner’s one-off', { model: 'one-off', priceCredits: 200 });
      // A member buys it with the workspace's credits: the owner publishes it, so the owner earns.
      const buyer = await cli.server.addMember({ email: `cli-buyer-${engine}@example.com`, role: 'admin', name: 'Bea Buyer' });
      await api('POST', '/api/v1/credits/grants', { workspaceId: cli.server.workspaceId, amount: 200, reason: 'To buy with' });
      await api('POST', `/api/v1/marketplace/listings/${listing.id}/purchase`, undefined, buyer.token);

      const tooMuch = await run(['marketplace', 'payout', '--amount', '1000']);
      expect(tooMuch.code).not.toBe(0);
      expect(tooMuch.stderr).toContain('credits');
      const paid = await run(['marketplace', 'payout', '--amount', '150', '--json']);
      expect(paid.stderr).toBe('');
      expect(payoutSchema.parse(JSON.parse(paid.stdout))).toMatchObject({ amount: 150, status: 'recorded', destination: null });
      const listed = await run(['marketplace', 'payouts', '--json']);
      expect(
        z
          .array(payoutSchema)
          .parse(JSON.parse(listed.stdout))
          .map((payout) => payout.amount),
      ).toEqual([150]);
      const table = await run(['marketplace', 'payouts']);
      expect(table.stdout).toContain('recorded for an administrator');
    },
    slow,
  );
});
