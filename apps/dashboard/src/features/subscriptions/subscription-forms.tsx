import type { Subscription } from '@mission-control/contracts';
import { useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { FormAlert } from '../credits/credit-forms';
import { formatCredits } from '../marketplace/marketplace-wording';
import { SpendingLimitForm } from './spending-limit-form';
import { useUpdateSubscription } from './subscriptions-api';
import { describeSubscriptionsFailure } from './subscriptions-wording';

/** Confirms a cancellation at the end of the period: nothing is charged again, and it works until then. */
export function CancelSubscriptionForm({ subscription, onDone }: { subscription: Subscription; onDone: () => void }) {
  const update = useUpdateSubscription();
  const [failure, setFailure] = useState<string | null>(null);
  const title = subscription.listing.title;

  const confirm = () => {
    setFailure(null);
    update.mutate(
      { subscription, input: { cancelAtPeriodEnd: true } },
      {
        onSuccess: (answer) => {
          showToast(`Cancelled ${title}: it works until ${formatDateTime(answer.periodEnd)}, then ends.`, 'success');
          onDone();
        },
        onError: (error) => setFailure(describeSubscriptionsFailure(error, 'cancel')),
      },
    );
  };

  return (
    <div className="flex min-w-0 flex-col gap-2">
      <FormAlert message={failure} />
      <div className="flex flex-wrap gap-2">
        <button type="button" className="brutal-button" data-variant="danger" onClick={confirm} disabled={update.isPending}>
          {update.isPending ? 'Cancelling…' : 'Confirm: cancel at the end of the period'}
        </button>
        <button type="button" className="brutal-button" onClick={onDone}>
          Not now
        </button>
      </div>
    </div>
  );
}

/** A new monthly spending limit for a subscription paid by use; one above what was spent resumes a stopped one. */
export function ChangeLimitForm({ subscription, onDone }: { subscription: Subscription; onDone: () => void }) {
  const update = useUpdateSubscription();
  const [failure, setFailure] = useState<string | null>(null);
  const title = subscription.listing.title;
  const spent = subscription.usage?.spentThisPeriod ?? 0;

  const save = (limit: number) => {
    setFailure(null);
    update.mutate(
      { subscription, input: { spendingLimitCredits: limit } },
      {
        onSuccess: (answer) => {
          const resumed = subscription.status === 'stopped' && answer.status === 'active';
          showToast(
            `The spending limit of ${title} is now ${formatCredits(limit)} a month.${resumed ? ' It resumed: what was installed from it works again.' : ''}`,
            'success',
          );
          onDone();
        },
        onError: (error) => setFailure(describeSubscriptionsFailure(error, 'limit')),
      },
    );
  };

  return (
    <SpendingLimitForm
      name={`Change the spending limit of ${title}`}
      initial={String(subscription.usage?.spendingLimitCredits ?? '')}
      hint={
        subscription.status === 'stopped' && subscription.stoppedReason === 'spending-limit'
          ? `This period cost ${formatCredits(spent)} so far: a limit above that resumes it now.`
          : `This period cost ${formatCredits(spent)} so far. The owners are warned at 80 % and it stops at 100 %.`
      }
      submitLabel="Save the limit"
      pendingLabel="Saving…"
      pending={update.isPending}
      failure={failure}
      onSubmit={save}
      onCancel={onDone}
    />
  );
}
