import { type Subscription, subscriptionSchema } from '@mission-control/contracts';
import { testId, workspaceId } from '../../test/fixtures';

const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** A monthly subscription as the server answers one, parsed so the fixture follows the contract. */
export function makeSubscription(overrides: Partial<Subscription> = {}): Subscription {
  return subscriptionSchema.parse({
    id: testId(),
    workspaceId,
    listing: { id: testId(), title: 'Scout' },
    model: 'subscription',
    status: 'active',
    stoppedReason: null,
    monthlyCredits: 900,
    usage: null,
    periodStart: daysFromNow(-10),
    periodEnd: daysFromNow(20),
    cancelAtPeriodEnd: false,
    createdAt: daysFromNow(-40),
    ...overrides,
  });
}

/** A subscription paid by use: 70 credits a task done, 6 tasks and 420 of 500 credits (84 %) this period unless overridden. */
export function makeUsageSubscription(overrides: Partial<Subscription> = {}, usage: Partial<NonNullable<Subscription['usage']>> = {}) {
  return makeSubscription({
    model: 'usage',
    monthlyCredits: null,
    usage: { unit: 'task', creditsPerUnit: 70, spendingLimitCredits: 500, spentThisPeriod: 420, unitsThisPeriod: 6, ...usage },
    ...overrides,
  });
}
