import type { Subscription } from '@mission-control/contracts';
import { useId } from 'react';
import { Link } from 'react-router';
import { formatCredits } from '../marketplace/marketplace-wording';
import { Moment } from '../rentals/moment';
import {
  priceOfSubscription,
  statusExplanation,
  statusInWords,
  subscriptionKindLabels,
  unitsInWords,
  warningShare,
} from './subscriptions-wording';

type Usage = NonNullable<Subscription['usage']>;

/**
 * What a period paid by use cost against its limit: the numbers in words, and a bar that turns to
 * a warning at 80 % (when the owners are warned) and to a stop at 100 %, said in words as well so
 * the colour is never the only sign.
 */
function SpendingMeter({ usage, title }: { usage: Usage; title: string }) {
  const id = useId();
  const limit = Math.max(usage.spendingLimitCredits, 1);
  const share = usage.spentThisPeriod / limit;
  const percent = Math.floor(share * 100);
  const level = share >= 1 ? 'stopped' : share >= warningShare ? 'warning' : 'fine';
  const words = `${formatCredits(usage.spentThisPeriod)} of ${formatCredits(usage.spendingLimitCredits)} (${percent} %)`;
  return (
    <div className="min-w-0 sm:col-span-2" data-testid="spending" data-level={level}>
      <p id={`${id}-label`} className="font-bold uppercase">
        Spent this period
      </p>
      <p data-testid="spending-words">{words}</p>
      <div
        role="progressbar"
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-note`}
        aria-valuemin={0}
        aria-valuemax={usage.spendingLimitCredits}
        aria-valuenow={Math.min(usage.spentThisPeriod, usage.spendingLimitCredits)}
        aria-valuetext={`${words} of the spending limit of ${title}`}
        className="mt-1 h-4 w-full min-w-0 border-2 border-ink bg-paper"
      >
        <div
          className={`h-full ${level === 'fine' ? 'bg-status-active' : level === 'warning' ? 'bg-status-idle' : 'bg-status-blocked'}`}
          style={{ width: `${Math.min(percent, 100)}%` }}
        />
      </div>
      <p id={`${id}-note`} className={`mt-1 text-xs ${level === 'fine' ? '' : 'font-bold'}`}>
        {level === 'stopped'
          ? 'The limit is reached: it stops until the limit is raised or the next period starts.'
          : level === 'warning'
            ? 'Warning: over 80 % of the limit. The owners were told; it stops at 100 %.'
            : 'The owners are warned at 80 %, and it stops at 100 %.'}
      </p>
    </div>
  );
}

/** One subscription: the listing, how it is paid, where it stands, its period and, for owners and admins, what to change. */
export function SubscriptionCard({
  subscription,
  now,
  manages,
  pending,
  onCancel,
  onKeep,
  onChangeLimit,
}: {
  subscription: Subscription;
  now: number;
  manages: boolean;
  pending: boolean;
  onCancel: () => void;
  onKeep: () => void;
  onChangeLimit: () => void;
}) {
  const title = subscription.listing.title;
  const live = subscription.status !== 'ended';
  const renews = subscription.model === 'subscription' && subscription.status === 'active' && !subscription.cancelAtPeriodEnd;
  const usage = subscription.usage;
  const stopped = subscription.status === 'stopped';
  return (
    <li className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" data-testid="subscription">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="min-w-0 text-lg font-black break-words">
          <Link to={`/marketplace/listings/${subscription.listing.id}`} className="underline hover:no-underline">
            {title}
          </Link>
        </h2>
        <div className="flex flex-wrap gap-2">
          <span className="border-2 border-ink px-1.5 font-mono text-xs font-bold uppercase" data-testid="subscription-kind">
            {subscriptionKindLabels[subscription.model]}
          </span>
          <span
            className={`border-2 border-ink px-1.5 font-mono text-xs font-bold uppercase ${stopped ? 'bg-status-blocked text-black' : ''}`}
            data-testid="subscription-status"
          >
            {statusInWords(subscription)}
          </span>
        </div>
      </div>
      <p className="text-sm">{statusExplanation(subscription)}</p>
      <dl className="grid min-w-0 grid-cols-1 gap-2 text-sm sm:grid-cols-2">
        <div className="min-w-0">
          <dt className="font-bold uppercase">Period started</dt>
          <dd>
            <Moment at={subscription.periodStart} now={now} />
          </dd>
        </div>
        <div className="min-w-0">
          <dt className="font-bold uppercase">
            {!live ? 'Ended' : renews ? 'Renews' : subscription.cancelAtPeriodEnd ? 'Ends' : 'Period ends'}
          </dt>
          <dd>
            <Moment at={subscription.periodEnd} now={now} />
          </dd>
        </div>
        <div className="min-w-0">
          <dt className="font-bold uppercase">Price</dt>
          <dd data-testid="subscription-price">{priceOfSubscription(subscription)}</dd>
        </div>
        {usage ? (
          <div className="min-w-0">
            <dt className="font-bold uppercase">Used this period</dt>
            <dd data-testid="subscription-units">{unitsInWords(usage.unit, usage.unitsThisPeriod)}</dd>
          </div>
        ) : null}
      </dl>
      {usage ? <SpendingMeter usage={usage} title={title} /> : null}
      {manages && live ? (
        <div className="flex flex-wrap items-center gap-2 border-t-2 border-ink pt-2">
          {subscription.cancelAtPeriodEnd ? (
            <button type="button" className="brutal-button" onClick={onKeep} disabled={pending}>
              Keep it<span className="sr-only"> ({title})</span>
            </button>
          ) : (
            <button type="button" className="brutal-button" onClick={onCancel} disabled={pending}>
              Cancel at the end of the period<span className="sr-only"> ({title})</span>
            </button>
          )}
          {usage ? (
            <button type="button" className="brutal-button" onClick={onChangeLimit} disabled={pending}>
              Change the spending limit<span className="sr-only"> ({title})</span>
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
