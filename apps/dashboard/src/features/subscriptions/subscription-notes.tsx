import type { Subscription } from '@mission-control/contracts';
import { Link } from 'react-router';
import { formatCredits } from '../marketplace/marketplace-wording';
import { momentInWords } from '../rentals/rentals-wording';
import { statusExplanation, statusInWords } from './subscriptions-wording';

/**
 * Above the Install form of a listing the workspace subscribes to: until when, and for paying by
 * use what this period cost so far.
 */
export function SubscribedNote({ subscription, now }: { subscription: Subscription; now: number }) {
  const until = momentInWords(subscription.periodEnd, now);
  const usage = subscription.usage;
  return (
    <p className="text-sm" data-testid="subscription-period">
      <span className="font-bold">
        {subscription.cancelAtPeriodEnd
          ? `Subscribed until ${until}: it was cancelled, so it ends then.`
          : usage
            ? `Subscribed, pay per use: ${formatCredits(usage.spentThisPeriod)} of ${formatCredits(usage.spendingLimitCredits)} spent this period, which ends ${until}.`
            : `Subscribed, renews ${until}.`}
      </span>{' '}
      <Link to="/marketplace/subscriptions" className="underline">
        The workspace’s subscriptions
      </Link>
    </p>
  );
}

/** Instead of Install, for a subscription that stopped: why, what it means and where to change it. */
export function StoppedNote({ subscription }: { subscription: Subscription }) {
  return (
    <div
      className="flex min-w-0 flex-col gap-1 border-2 border-ink bg-status-idle p-2 text-sm text-black"
      data-testid="subscription-stopped"
    >
      <p className="font-bold">{statusInWords(subscription)}.</p>
      <p>{statusExplanation(subscription)}</p>
      <p>
        <Link to="/marketplace/subscriptions" className="font-bold underline">
          Change it on the Subscriptions page
        </Link>
      </p>
    </div>
  );
}
