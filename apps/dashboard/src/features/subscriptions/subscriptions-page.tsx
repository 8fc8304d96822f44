import type { Subscription } from '@mission-control/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatDateTime, plural, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { useSession } from '../auth/use-session';
import { usePageTitle } from '../layout/use-page-title';
import { MarketplaceHeader } from '../marketplace/marketplace-tabs';
import { formatCredits } from '../marketplace/marketplace-wording';
import { SubscriptionCard } from './subscription-card';
import { CancelSubscriptionForm, ChangeLimitForm } from './subscription-forms';
import { useSubscriptions, useUpdateSubscription } from './subscriptions-api';
import { describeSubscriptionsFailure } from './subscriptions-wording';

type Changing = { subscription: Subscription; what: 'cancel' | 'limit' };

/**
 * Marketplace → Subscriptions: the workspace's subscriptions, monthly and paid by use, with where
 * each stands, its period and, paid by use, what the period cost against its limit; owners and
 * admins cancel at the end of a period (or take it back) and change a spending limit.
 */
export default function SubscriptionsPage() {
  usePageTitle('Subscriptions');
  const session = useSession();
  const subscriptions = useSubscriptions();
  const keep = useUpdateSubscription();
  const now = useNow();
  const [changing, setChanging] = useState<Changing | null>(null);
  const manages = session?.role === 'owner' || session?.role === 'admin';
  const list = subscriptions.data ?? [];
  const workspaceName = session?.workspace.name ?? 'this workspace';
  const done = () => setChanging(null);

  // Taking a cancellation back asks nothing first: it only keeps what was going on.
  const keepIt = (subscription: Subscription) =>
    keep.mutate(
      { subscription, input: { cancelAtPeriodEnd: false } },
      {
        onSuccess: (answer) =>
          showToast(
            answer.model === 'subscription'
              ? `${answer.listing.title} goes on: it renews ${formatDateTime(answer.periodEnd)}.`
              : `${answer.listing.title} goes on after ${formatDateTime(answer.periodEnd)}.`,
            'success',
          ),
        onError: (error) => showToast(describeSubscriptionsFailure(error, 'cancel'), 'error'),
      },
    );

  const subject = changing?.subscription;
  return (
    <div className="mx-auto flex w-full max-w-5xl min-w-0 flex-col gap-4">
      <MarketplaceHeader title="Subscriptions" />
      <p>
        Listings {workspaceName} subscribes to. A monthly one is charged at the start of every period until it is cancelled; one paid by use
        is charged for each task done, run or 1,000 tokens of what was installed from it, up to a monthly spending limit.{' '}
        {manages ? 'You can' : 'Its owners and admins can'} cancel them and change their limits.
      </p>
      {subscriptions.isPending ? <SkeletonList rows={2} className="h-40" /> : null}
      {subscriptions.isError ? (
        <ErrorState
          error={new Error(describeSubscriptionsFailure(subscriptions.error))}
          what="the subscriptions"
          onRetry={() => void subscriptions.refetch()}
        />
      ) : null}
      {subscriptions.data && list.length === 0 ? (
        <EmptyState title="No subscriptions yet">
          Subscribe to a listing priced by the month or by use from the{' '}
          <Link to="/marketplace?pricing=subscription,usage" className="underline">
            marketplace
          </Link>
          : its page says what it costs. A monthly one charges its first month at once; for one paid by use you choose the most a month may
          cost. It lands here with its period and what it cost so far.
        </EmptyState>
      ) : null}
      {list.length > 0 ? (
        <>
          <p className="text-sm" aria-live="polite">
            {plural(list.length, 'subscription')}, newest first.
          </p>
          <ul className="flex min-w-0 flex-col gap-3" aria-label="Subscriptions">
            {list.map((subscription) => (
              <SubscriptionCard
                key={subscription.id}
                subscription={subscription}
                now={now}
                manages={manages}
                pending={keep.isPending && keep.variables?.subscription.id === subscription.id}
                onCancel={() => setChanging({ subscription, what: 'cancel' })}
                onKeep={() => keepIt(subscription)}
                onChangeLimit={() => setChanging({ subscription, what: 'limit' })}
              />
            ))}
          </ul>
        </>
      ) : null}
      <Dialog
        open={changing !== null}
        onOpenChange={(open) => {
          if (!open) done();
        }}
        title={
          changing?.what === 'limit'
            ? `Change the spending limit of ${subject?.listing.title ?? 'a subscription'}`
            : `Cancel ${subject?.listing.title ?? 'a subscription'} at the end of the period?`
        }
        description={
          !subject
            ? undefined
            : changing?.what === 'limit'
              ? `Now ${formatCredits(subject.usage?.spendingLimitCredits ?? 0)} a month. The limit counts what each period costs; it starts again with the next period.`
              : `It works until ${formatDateTime(subject.periodEnd)} (${relativeTime(subject.periodEnd, now, 'long')}), then ends: it is not charged again, and what was installed from it is paused. Until then you can keep it.`
        }
      >
        {subject && changing?.what === 'cancel' ? <CancelSubscriptionForm subscription={subject} onDone={done} /> : null}
        {subject && changing?.what === 'limit' ? <ChangeLimitForm subscription={subject} onDone={done} /> : null}
      </Dialog>
    </div>
  );
}
