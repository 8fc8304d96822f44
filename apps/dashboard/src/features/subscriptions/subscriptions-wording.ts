import type { ListingPricing, Subscription, UsageUnit } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { describeError } from '../../lib/describe-error';
import { formatDate, plural } from '../../lib/format';
import { wholeNumber } from '../../lib/whole-number';
import { formatCredits } from '../marketplace/marketplace-wording';

export const subscriptionKindLabels: Record<Subscription['model'], string> = {
  subscription: 'Monthly',
  usage: 'Pay per use',
};

/** The share of the spending limit at which the owners are warned (and the bar turns to a warning). */
export const warningShare = 0.8;

const perUnit: Record<UsageUnit, string> = {
  task: 'per task done',
  run: 'per run',
  'thousand-tokens': 'per 1,000 tokens',
};

/** "2 credits per task done", "1 credit per 1,000 tokens". */
export function perUnitInWords(unit: UsageUnit, creditsPerUnit: number): string {
  return `${formatCredits(creditsPerUnit)} ${perUnit[unit]}`;
}

/** "6 tasks done", "1 run", "12,000 tokens": what a period used, as a person counts it. */
export function unitsInWords(unit: UsageUnit, count: number): string {
  switch (unit) {
    case 'task':
      return `${plural(count, 'task')} done`;
    case 'run':
      return plural(count, 'run');
    case 'thousand-tokens':
      return `${(count * 1_000).toLocaleString()} tokens`;
  }
}

/** What paying by use means, before subscribing: the price per unit, the warning and the stop. */
export function usageTermsInWords(pricing: Extract<ListingPricing, { model: 'usage' }>): string {
  return `${perUnitInWords(pricing.unit, pricing.creditsPerUnit)}; you are warned at 80 % of the monthly limit and it stops at 100 %.`;
}

/** "Subscribe for 900 credits a month". */
export function subscribeInWords(monthlyCredits: number): string {
  return `Subscribe for ${formatCredits(monthlyCredits)} a month`;
}

/** "Active", "Stopped: reached its spending limit", "Ends on 12 Jan 2027", "Ended". */
export function statusInWords(subscription: Pick<Subscription, 'status' | 'stoppedReason' | 'cancelAtPeriodEnd' | 'periodEnd'>): string {
  if (subscription.status === 'ended') return 'Ended';
  if (subscription.status === 'stopped')
    return subscription.stoppedReason === 'credits-insufficient' ? 'Stopped: too few credits' : 'Stopped: reached its spending limit';
  return subscription.cancelAtPeriodEnd ? `Ends on ${formatDate(subscription.periodEnd)}` : 'Active';
}

/** What the state means for what was installed and for the credits, under the short label. */
export function statusExplanation(subscription: Subscription): string {
  if (subscription.status === 'ended')
    return 'It ended at the end of its period: nothing more is charged, and what was installed from it is paused. Subscribe again to use it.';
  if (subscription.status === 'stopped') {
    if (subscription.stoppedReason === 'spending-limit')
      return 'This period cost what its spending limit allows: what was installed from it is paused until the limit is raised above what was spent, or the next period starts.';
    return subscription.model === 'subscription'
      ? 'The workspace had too few credits for the renewal: what was installed from it is paused. Add credits and it renews within a minute.'
      : 'The workspace had too few credits for a charge: what was installed from it is paused. Add credits on the credits page.';
  }
  if (subscription.cancelAtPeriodEnd)
    return 'Cancelled: it works until the end of the period, then ends, is not charged again and what was installed from it is paused.';
  return subscription.model === 'subscription'
    ? 'The next month is charged at the end of the period, until it is cancelled.'
    : 'Each use is charged as it happens; the spending limit starts again with the next period.';
}

/** A spending limit as typed: a whole number of credits from 1, or what is wrong with it in plain words. */
export function checkSpendingLimit(text: string): { limit: number; problem?: undefined } | { limit?: undefined; problem: string } {
  if (!text.trim()) return { problem: 'Say the most a month may cost, in credits: a whole number such as 500.' };
  const limit = wholeNumber(text);
  if (limit === undefined || limit < 1) return { problem: 'Type a whole number of credits, 1 or more, such as 500.' };
  if (limit > 100_000_000) return { problem: 'Keep the limit to 100,000,000 credits or less.' };
  return { limit };
}

export type SubscriptionsAction = 'load' | 'cancel' | 'limit';

/** A refusal about subscriptions in the dashboard's words: the server's are written for API callers. */
export function describeSubscriptionsFailure(failure: unknown, action: SubscriptionsAction = 'load'): string {
  if (!isMissionControlError(failure)) return describeError(failure);
  switch (failure.code) {
    case 'SUBSCRIPTION_NOT_FOUND':
      return 'That subscription is not in this workspace any more.';
    case 'SUBSCRIPTION_ENDED':
      return 'This subscription has ended meanwhile: subscribe to the listing again to go on using it.';
    case 'VALIDATION_FAILED':
      return action === 'limit'
        ? 'Only a subscription paid by use has a spending limit; this one is charged monthly.'
        : describeError(failure);
    case 'FORBIDDEN':
      return action === 'load'
        ? 'Your role in this workspace cannot read its subscriptions.'
        : 'Only owners and admins of the workspace change its subscriptions. Ask one of them.';
    default:
      return describeError(failure);
  }
}

/** "900 credits a month", or for paying by use "2 credits per task done". */
export function priceOfSubscription(subscription: Subscription): string {
  if (subscription.usage) return perUnitInWords(subscription.usage.unit, subscription.usage.creditsPerUnit);
  return `${formatCredits(subscription.monthlyCredits ?? 0)} a month`;
}
