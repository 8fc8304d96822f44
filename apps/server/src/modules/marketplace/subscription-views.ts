import {
  type Subscription,
  subscriptionStatusSchema,
  subscriptionStopReasonSchema,
  type UsageUnit,
  usageUnitSchema,
} from '@mission-control/contracts';
import type { SubscriptionRow } from './subscription.repository.js';

/** The prefix of every ledger key a subscription's charges carry: what a period cost is summed by it. */
export function subscriptionKeyPrefix(subscriptionId: string): string {
  return `subscription:${subscriptionId}:`;
}

/** The same calendar day a number of months later (the last day of a shorter month), in UTC. */
export function addMonths(at: Date, months: number): Date {
  const target = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  target.setUTCHours(at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds());
  return target;
}

export function usageUnitOf(row: SubscriptionRow): UsageUnit {
  return usageUnitSchema.parse(row.unit);
}

const unitWords: Record<UsageUnit, [string, string]> = {
  task: ['task done', 'tasks done'],
  'thousand-tokens': ['1,000 tokens', 'thousands of tokens'],
  run: ['run', 'runs'],
};

/** "3 tasks done", "1 run": what a usage charge was for, in words. */
export function describeUnits(unit: UsageUnit, count: number): string {
  const [one, many] = unitWords[unit];
  return unit === 'thousand-tokens' ? `${(count * 1000).toLocaleString('en')} tokens` : `${count} ${count === 1 ? one : many}`;
}

export function toSubscription(row: SubscriptionRow, extra: { title: string | undefined; spentThisPeriod: number }): Subscription {
  const creditsPerUnit = Number(row.credits_per_unit ?? 0);
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    listing: { id: row.listing_id, title: extra.title ?? 'A removed listing' },
    model: row.model === 'usage' ? 'usage' : 'subscription',
    status: subscriptionStatusSchema.parse(row.status),
    stoppedReason: row.stopped_reason === null ? null : subscriptionStopReasonSchema.parse(row.stopped_reason),
    monthlyCredits: row.monthly_credits === null ? null : Number(row.monthly_credits),
    usage:
      row.model === 'usage'
        ? {
            unit: usageUnitOf(row),
            creditsPerUnit,
            spendingLimitCredits: Number(row.spending_limit_credits ?? 0),
            spentThisPeriod: extra.spentThisPeriod,
            unitsThisPeriod: creditsPerUnit > 0 ? Math.floor(extra.spentThisPeriod / creditsPerUnit) : 0,
          }
        : null,
    periodStart: new Date(row.period_start).toISOString(),
    periodEnd: new Date(row.period_end).toISOString(),
    cancelAtPeriodEnd: row.cancel_at_period_end === 1,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
