import type {
  Agent,
  AuditEntry,
  Installation,
  Listing,
  Notification,
  Page,
  Purchase,
  Subscription,
  Task,
} from '@mission-control/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/engines.js';
import { expectStatusOf } from '../../test/expect-status.js';
import { createTestClock, createTestServer, type TestServer } from '../../test/test-server.js';
import { addMonths } from './subscription-views.js';

describeEachEngine('subscriptions and usage pricing', (engine) => {
  let server: TestServer;
  let buyerToken: string;
  let buyerWorkspaceId: string;
  let publisher: { id: string; token: string };

  beforeAll(async () => {
    server = await createTestServer(engine, { clock: createTestClock(new Date('2026-12-01T09:00:00.000Z')) });
    buyerToken = await server.createOtherWorkspaceToken();
    buyerWorkspaceId = (await server.request({ method: 'GET', url: '/api/v1/credits', token: buyerToken })).json().workspaceId;
    publisher = await server.addMember({ email: `subscription-publisher-${engine}@example.com`, role: 'member', name: 'Sam Seller' });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const expectStatus = expectStatusOf(() => server);
  const grant = (amount: number) =>
    expectStatus('POST', '/api/v1/credits/grants', 201, { workspaceId: buyerWorkspaceId, amount, reason: 'Credits for the test' });
  async function listing(title: string, pricing: Record<string, unknown>): Promise<Listing> {
    const agent = await expectStatus(
      'POST',
      '/api/v1/agents',
      201,
      { name: `s-${Math.random().toString(36).slice(2, 10)}`, role: 'Writer' },
      publisher.token,
    );
    return expectStatus(
      'POST',
      '/api/v1/marketplace/listings',
      201,
      { kind: 'agent', sourceId: agent.id, title, summary: 'Paid over time', category: 'writing', pricing },
      publisher.token,
    );
  }
  const workspaceBalance = () => server.services.credits.balanceOf({ kind: 'workspace', ownerId: buyerWorkspaceId });
  const publisherBalance = () => server.services.credits.balanceOf({ kind: 'publisher-user', ownerId: publisher.id });
  /** Moves the clock to a moment, runs a job, and comes back: tokens are signed against the same clock. */
  async function runAt<Result>(at: Date, job: () => Promise<Result>): Promise<Result> {
    const start = server.clock.now();
    server.clock.set(at);
    try {
      return await job();
    } finally {
      server.clock.set(start);
    }
  }
  const renewAt = (at: Date) => runAt(at, () => server.services.marketplace.subscriptions.renewDueSubscriptions());
  const subscriptionOf = async (id: string) =>
    ((await expectStatus('GET', '/api/v1/marketplace/subscriptions', 200, undefined, buyerToken)) as { data: Subscription[] }).data.find(
      (row) => row.id === id,
    );
  async function install(listingId: string): Promise<{ installation: Installation; agentId: string }> {
    const installation = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${listingId}/install`,
      201,
      {},
      buyerToken,
    )) as Installation;
    const agentId = installation.items.find((item) => item.kind === 'agent')?.id;
    if (!agentId) throw new Error('The installation has no agent.');
    return { installation, agentId };
  }
  const agentStatus = async (agentId: string) =>
    ((await expectStatus('GET', `/api/v1/agents/${agentId}`, 200, undefined, buyerToken)) as Agent).status;
  const inbox = async () =>
    ((await expectStatus('GET', '/api/v1/notifications', 200, undefined, buyerToken)) as Page<Notification>).data.map(
      (notification) => notification.content,
    );

  it('charges the first month at once and every month after; cancelled, it ends at the period’s end and pauses the install', async () => {
    await grant(1_000);
    const offer = await listing('Monthly writer', { model: 'subscription', monthlyCredits: 100 });
    const before = await workspaceBalance();
    const bought = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${offer.id}/purchase`,
      201,
      undefined,
      buyerToken,
    )) as Purchase;
    const start = server.clock.now();
    expect(bought.subscription).toMatchObject({
      model: 'subscription',
      status: 'active',
      monthlyCredits: 100,
      periodStart: start.toISOString(),
      periodEnd: addMonths(start, 1).toISOString(),
      cancelAtPeriodEnd: false,
      usage: null,
    });
    expect(bought.transaction?.kind).toBe('subscription');
    expect(bought.balance).toBe(before - 100);
    expect(await publisherBalance()).toBe(90);
    const again = await expectStatus('POST', `/api/v1/marketplace/listings/${offer.id}/purchase`, 409, undefined, buyerToken);
    expect(again.error.code).toBe('LISTING_ALREADY_BOUGHT');
    const subscriptionId = bought.subscription?.id as string;
    const { installation, agentId } = await install(offer.id);

    // Before the period ends nothing happens; at its end the next month is charged once, however often the job runs.
    expect(await renewAt(new Date(start.getTime() + 24 * 60 * 60 * 1000))).toBe(0);
    const secondMonth = addMonths(start, 1);
    expect(await renewAt(secondMonth)).toBe(1);
    expect(await renewAt(secondMonth)).toBe(0);
    expect(await workspaceBalance()).toBe(before - 200);
    expect(await publisherBalance()).toBe(180);
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'active', periodStart: secondMonth.toISOString() });

    const cancelled = (await expectStatus(
      'PATCH',
      `/api/v1/marketplace/subscriptions/${subscriptionId}`,
      200,
      { cancelAtPeriodEnd: true },
      buyerToken,
    )) as Subscription;
    expect(cancelled).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });
    expect(await renewAt(addMonths(start, 2))).toBe(1);
    expect(await workspaceBalance()).toBe(before - 200);
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'ended' });
    const paused = (await expectStatus('GET', '/api/v1/marketplace/installations?status=paused', 200, undefined, buyerToken)) as {
      data: Installation[];
    };
    expect(paused.data.map((row) => row.id)).toContain(installation.id);
    expect(await agentStatus(agentId)).toBe('blocked');
    expect(await inbox()).toContainEqual(expect.stringContaining('Your subscription to Monthly writer ended'));
    const refused = await expectStatus('POST', `/api/v1/marketplace/listings/${offer.id}/install`, 402, {}, buyerToken);
    expect(refused.error.code).toBe('LISTING_PAYMENT_REQUIRED');
    const ended = await expectStatus(
      'PATCH',
      `/api/v1/marketplace/subscriptions/${subscriptionId}`,
      409,
      { cancelAtPeriodEnd: false },
      buyerToken,
    );
    expect(ended.error.code).toBe('SUBSCRIPTION_ENDED');

    const audit = (await expectStatus('GET', '/api/v1/audit-log?limit=100', 200, undefined, buyerToken)) as Page<AuditEntry>;
    expect(audit.data.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['subscription.started', 'subscription.updated', 'subscription.ended']),
    );
  });

  it('stops a renewal the workspace cannot pay, keeps the period, and renews once credits arrive', async () => {
    // Priced at everything the workspace holds: the first month empties it.
    if ((await workspaceBalance()) < 10) await grant(10);
    const price = await workspaceBalance();
    const offer = await listing('Expensive monthly', { model: 'subscription', monthlyCredits: price });
    const bought = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${offer.id}/purchase`,
      201,
      undefined,
      buyerToken,
    )) as Purchase;
    const subscriptionId = bought.subscription?.id as string;
    const start = new Date(bought.subscription?.periodStart as string);
    const { agentId } = await install(offer.id);
    const emptied = await workspaceBalance();
    expect(emptied).toBe(0);

    const due = addMonths(start, 1);
    expect(await renewAt(due)).toBe(0);
    expect(await subscriptionOf(subscriptionId)).toMatchObject({
      status: 'stopped',
      stoppedReason: 'credits-insufficient',
      periodStart: start.toISOString(),
    });
    expect(await workspaceBalance()).toBe(emptied);
    expect(await agentStatus(agentId)).toBe('blocked');
    expect(await inbox()).toContainEqual(expect.stringContaining('Your subscription to Expensive monthly stopped'));
    // Access went with it: installing another copy is refused.
    expect((await expectStatus('POST', `/api/v1/marketplace/listings/${offer.id}/install`, 402, {}, buyerToken)).error.code).toBe(
      'LISTING_PAYMENT_REQUIRED',
    );

    await grant(price);
    expect(await renewAt(new Date(due.getTime() + 60_000))).toBe(1);
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'active', stoppedReason: null, periodStart: due.toISOString() });
    expect(await workspaceBalance()).toBe(emptied);
    expect(await agentStatus(agentId)).toBe('idle');
  });

  it('charges exactly the tasks its installed agents finish, warns at 80 % of the limit, stops at 100 % and resumes when the limit is raised', async () => {
    await grant(1_000);
    const offer = await listing('Per-task editor', { model: 'usage', unit: 'task', creditsPerUnit: 7 });
    const withoutLimit = await expectStatus('POST', `/api/v1/marketplace/listings/${offer.id}/purchase`, 400, undefined, buyerToken);
    expect(withoutLimit.error.code).toBe('VALIDATION_FAILED');
    expect(
      (await expectStatus('GET', '/api/v1/marketplace/subscriptions', 200, undefined, buyerToken)).data.filter(
        (row: Subscription) => row.listing.id === offer.id,
      ),
    ).toEqual([]);
    const bought = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${offer.id}/purchase`,
      201,
      { spendingLimitCredits: 50 },
      buyerToken,
    )) as Purchase;
    expect(bought.transaction).toBeNull();
    expect(bought.subscription).toMatchObject({
      model: 'usage',
      usage: { unit: 'task', creditsPerUnit: 7, spendingLimitCredits: 50, spentThisPeriod: 0, unitsThisPeriod: 0 },
    });
    const subscriptionId = bought.subscription?.id as string;
    const { agentId } = await install(offer.id);
    const other = await expectStatus('POST', '/api/v1/agents', 201, { name: `own-${engine}`, role: 'Writer' }, buyerToken);

    let taskNumber = 0;
    async function finishTask(assigneeId: string, end: 'done' | 'cancelled' = 'done'): Promise<Task> {
      taskNumber += 1;
      const task = (await expectStatus(
        'POST',
        '/api/v1/tasks',
        201,
        { title: `Edit chapter ${taskNumber}`, assignees: [{ kind: 'agent', id: assigneeId }] },
        buyerToken,
      )) as Task;
      const walk = end === 'done' ? ['in_progress', 'review', 'done'] : ['cancelled'];
      for (const status of walk) await expectStatus('POST', `/api/v1/tasks/${task.id}/status`, 200, { status }, buyerToken);
      return task;
    }
    const meter = () => server.services.marketplace.usageMetering.meterUsage();
    const spent = async () => (await subscriptionOf(subscriptionId))?.usage?.spentThisPeriod;

    const before = await workspaceBalance();
    const publisherBefore = await publisherBalance();
    for (let index = 0; index < 3; index += 1) await finishTask(agentId);
    await finishTask(agentId, 'cancelled');
    await finishTask(other.id);
    expect(await meter()).toBe(3);
    expect(await meter()).toBe(0);
    expect(await workspaceBalance()).toBe(before - 21);
    // The fee is rounded down per charge: 10 % of 7 is 0.
    expect(await publisherBalance()).toBe(publisherBefore + 21);
    expect(await spent()).toBe(21);
    expect((await subscriptionOf(subscriptionId))?.usage?.unitsThisPeriod).toBe(3);
    expect(await inbox()).not.toContainEqual(expect.stringContaining('Per-task editor has used'));

    // 6 tasks: 42 credits, past 80 % of 50.
    for (let index = 0; index < 3; index += 1) await finishTask(agentId);
    expect(await meter()).toBe(3);
    expect(await inbox()).toContainEqual(expect.stringContaining('Per-task editor has used 42 of its 50 credits'));
    expect((await subscriptionOf(subscriptionId))?.status).toBe('active');

    // The 8th task passes the limit: charged (the work was done), then it stops and the agent is paused.
    for (let index = 0; index < 2; index += 1) await finishTask(agentId);
    expect(await meter()).toBe(2);
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'stopped', stoppedReason: 'spending-limit' });
    expect(await spent()).toBe(56);
    expect(await agentStatus(agentId)).toBe('blocked');
    expect(await inbox()).toContainEqual(expect.stringContaining('it reached its spending limit'));

    // Raising the limit above what was spent resumes it and its agent.
    const raised = (await expectStatus(
      'PATCH',
      `/api/v1/marketplace/subscriptions/${subscriptionId}`,
      200,
      { spendingLimitCredits: 100 },
      buyerToken,
    )) as Subscription;
    expect(raised).toMatchObject({ status: 'active', stoppedReason: null, usage: { spendingLimitCredits: 100, spentThisPeriod: 56 } });
    expect(await agentStatus(agentId)).toBe('idle');
    await finishTask(agentId);
    expect(await meter()).toBe(1);
    expect(await spent()).toBe(63);
    expect(await workspaceBalance()).toBe(before - 63);

    const history = await expectStatus('GET', '/api/v1/credits/transactions?kind=usage&limit=100', 200, undefined, buyerToken);
    expect(history.data).toHaveLength(9);
    expect(history.data[0].description).toBe('Per-task editor: 1 task done');
  });

  it('stops a usage subscription the workspace cannot pay, charges nothing, and resumes it once credits arrive', async () => {
    // One task costs more than the workspace holds.
    const price = (await workspaceBalance()) + 5;
    const offer = await listing('Costly per task', { model: 'usage', unit: 'task', creditsPerUnit: price });
    const bought = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${offer.id}/purchase`,
      201,
      { spendingLimitCredits: price * 10 },
      buyerToken,
    )) as Purchase;
    const subscriptionId = bought.subscription?.id as string;
    const { agentId } = await install(offer.id);
    const task = (await expectStatus(
      'POST',
      '/api/v1/tasks',
      201,
      { title: 'An expensive task', assignees: [{ kind: 'agent', id: agentId }] },
      buyerToken,
    )) as Task;
    for (const status of ['in_progress', 'review', 'done'])
      await expectStatus('POST', `/api/v1/tasks/${task.id}/status`, 200, { status }, buyerToken);
    const before = await workspaceBalance();
    expect(await server.services.marketplace.usageMetering.meterUsage()).toBe(0);
    expect(await workspaceBalance()).toBe(before);
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'stopped', stoppedReason: 'credits-insufficient' });
    expect(await agentStatus(agentId)).toBe('blocked');

    // Still short: nothing changes. Enough for a task: the next run resumes it.
    expect(await server.services.marketplace.subscriptions.renewDueSubscriptions()).toBe(0);
    expect((await subscriptionOf(subscriptionId))?.status).toBe('stopped');
    await grant(price);
    await server.services.marketplace.subscriptions.renewDueSubscriptions();
    expect(await subscriptionOf(subscriptionId)).toMatchObject({ status: 'active', stoppedReason: null });
    expect(await agentStatus(agentId)).toBe('idle');
  });

  it('refuses to change another workspace’s subscription, and a spending limit on a monthly one', async () => {
    const offer = await listing('Monthly checker', { model: 'subscription', monthlyCredits: 10 });
    await grant(10);
    const bought = (await expectStatus(
      'POST',
      `/api/v1/marketplace/listings/${offer.id}/purchase`,
      201,
      undefined,
      buyerToken,
    )) as Purchase;
    const id = bought.subscription?.id as string;
    expect((await expectStatus('PATCH', `/api/v1/marketplace/subscriptions/${id}`, 404, { cancelAtPeriodEnd: true })).error.code).toBe(
      'SUBSCRIPTION_NOT_FOUND',
    );
    const limit = await expectStatus('PATCH', `/api/v1/marketplace/subscriptions/${id}`, 400, { spendingLimitCredits: 5 }, buyerToken);
    expect(limit.error.code).toBe('VALIDATION_FAILED');
    expect((await expectStatus('PATCH', `/api/v1/marketplace/subscriptions/${id}`, 400, {}, buyerToken)).error.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(await subscriptionOf(id)).toMatchObject({ status: 'active', cancelAtPeriodEnd: false });
  });
});
