import type { Listing, ListingPricing, Purchase, PurchaseListingInput } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { Dialog } from '../../components/dialog';
import { formatDateTime, plural } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useCreditBalance, usePurchaseListing } from '../credits/credits-api';
import { describeCreditsFailure } from '../credits/credits-wording';
import { afterRentalChange } from '../rentals/rentals-api';
import { rentInWords } from '../rentals/rentals-wording';
import { SpendingLimitForm } from '../subscriptions/spending-limit-form';
import { afterSubscriptionChange } from '../subscriptions/subscriptions-api';
import { perUnitInWords, subscribeInWords, usageTermsInWords } from '../subscriptions/subscriptions-wording';
import { formatCredits } from './marketplace-wording';

/** A price that is paid for: what the Buy button offers. */
export type PaidPricing = Exclude<ListingPricing, { model: 'free' }>;

/** What buying means under each pricing model, in the words of the button, its hint and its confirmation. */
interface Terms {
  /** Credits charged at once: none for paying by use. */
  chargedNow: number;
  button: string;
  hint: string;
  title: string;
  /** How the dialog says the cost, before the balance after it. */
  cost: string;
  confirm: string;
  pending: string;
}

function termsOf(pricing: PaidPricing, title: string, workspaceName: string): Terms {
  switch (pricing.model) {
    case 'one-off':
      return {
        chargedNow: pricing.priceCredits,
        button: `Buy for ${formatCredits(pricing.priceCredits)}`,
        hint: `You pay once; then it installs into ${workspaceName} as often as you like.`,
        title: `Buy ${title}?`,
        cost: `It costs ${formatCredits(pricing.priceCredits)}`,
        confirm: `Confirm: buy for ${formatCredits(pricing.priceCredits)}`,
        pending: 'Buying…',
      };
    case 'rental':
      return {
        chargedNow: pricing.priceCredits,
        button: rentInWords(pricing.days, pricing.priceCredits),
        hint: `It installs into ${workspaceName} for ${plural(pricing.days, 'day')}. The price is held in escrow until the period ends, so you can dispute it meanwhile on the Rentals page.`,
        title: `Rent ${title}?`,
        cost: `It costs ${formatCredits(pricing.priceCredits)} for ${plural(pricing.days, 'day')}`,
        confirm: `Confirm: rent for ${formatCredits(pricing.priceCredits)}`,
        pending: 'Renting…',
      };
    case 'subscription':
      return {
        chargedNow: pricing.monthlyCredits,
        button: subscribeInWords(pricing.monthlyCredits),
        hint: `The first month is charged now, then every month until you cancel it on the Subscriptions page. It installs into ${workspaceName} while the subscription is active.`,
        title: `Subscribe to ${title}?`,
        cost: `The first month, ${formatCredits(pricing.monthlyCredits)}, is charged now, then ${formatCredits(pricing.monthlyCredits)} every month until you cancel`,
        confirm: `Confirm: subscribe for ${formatCredits(pricing.monthlyCredits)} a month`,
        pending: 'Subscribing…',
      };
    case 'usage':
      return {
        chargedNow: 0,
        button: 'Subscribe, pay per use',
        hint: `${perUnitInWords(pricing.unit, pricing.creditsPerUnit)}, charged as what ${workspaceName} installs from it works, up to a monthly spending limit you choose.`,
        title: `Subscribe to ${title}?`,
        cost: `Nothing is charged now: ${usageTermsInWords(pricing)}`,
        confirm: 'Confirm: subscribe',
        pending: 'Subscribing…',
      };
  }
}

/** "Bought Scout for 300 credits: Acme has 700 credits left." and the like, once the server said yes. */
function doneInWords(pricing: PaidPricing, title: string, workspaceName: string, answer: Purchase, limit?: number): string {
  const left = `${workspaceName} has ${formatCredits(answer.balance)} left.`;
  switch (pricing.model) {
    case 'one-off':
      return `Bought ${title} for ${formatCredits(pricing.priceCredits)}: ${left}`;
    case 'rental':
      return answer.rental
        ? `Rented ${title} until ${formatDateTime(answer.rental.endsAt)}, ${formatCredits(pricing.priceCredits)} held in escrow: ${left}`
        : `Rented ${title}: ${left}`;
    case 'subscription':
      return `Subscribed to ${title} for ${formatCredits(pricing.monthlyCredits)} a month${answer.subscription ? `, renews ${formatDateTime(answer.subscription.periodEnd)}` : ''}: ${left}`;
    case 'usage':
      return `Subscribed to ${title}, paid by use${limit === undefined ? '' : ` up to ${formatCredits(limit)} a month`}: nothing is charged until it is used.`;
  }
}

/**
 * Buy a one-off listing with the workspace's credits, rent one (the price is held in escrow),
 * subscribe monthly (the first month charged now) or subscribe paying by use (with a monthly
 * spending limit, nothing charged now), after confirming; the balance is shown beside it. Not
 * enough credits: how many are missing and where to get them. `onBought` gets the server's answer,
 * none when the workspace had it already.
 */
export function BuyButton({
  listing,
  pricing,
  workspaceName,
  onBought,
}: {
  listing: Listing;
  pricing: PaidPricing;
  workspaceName: string;
  onBought: (purchase?: Purchase) => void;
}) {
  const balance = useCreditBalance();
  const purchase = usePurchaseListing(listing.id);
  const queryClient = useQueryClient();
  const terms = termsOf(pricing, listing.title, workspaceName);
  const subscribing = pricing.model === 'subscription' || pricing.model === 'usage';
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<{ message: string; short: boolean } | null>(null);
  const have = balance.data?.balance;

  // What else changed with the purchase: a rental or a subscription is listed on its own page.
  const refreshOthers = () => {
    if (pricing.model === 'rental') afterRentalChange(queryClient);
    if (subscribing) afterSubscriptionChange(queryClient, listing.id);
  };

  const buy = (input?: PurchaseListingInput) =>
    purchase.mutate(input, {
      onSuccess: (answer) => {
        setConfirming(false);
        refreshOthers();
        showToast(doneInWords(pricing, listing.title, workspaceName, answer, input?.spendingLimitCredits), 'success');
        onBought(answer);
      },
      onError: (error) => {
        setConfirming(false);
        if (isMissionControlError(error) && error.code === 'LISTING_ALREADY_BOUGHT') {
          refreshOthers();
          onBought();
          return;
        }
        setFailure({
          message: describeCreditsFailure(error, 'buy'),
          short: isMissionControlError(error) && error.code === 'CREDITS_INSUFFICIENT',
        });
      },
    });

  return (
    <div className="flex min-w-0 flex-col gap-2" data-testid="buy">
      <p className="text-sm" data-testid="credit-balance">
        {have === undefined ? (
          balance.isError ? (
            'The workspace’s balance could not be read.'
          ) : (
            'Reading the workspace’s balance…'
          )
        ) : (
          <>
            {workspaceName} has {formatCredits(have)}.
          </>
        )}
      </p>
      <button
        type="button"
        className="brutal-button self-start"
        data-variant="primary"
        disabled={purchase.isPending}
        onClick={() => {
          setFailure(null);
          setConfirming(true);
        }}
      >
        {terms.button}
      </button>
      <p className="text-xs">{terms.hint}</p>
      {failure ? (
        <div role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          <p>{failure.message}</p>
          {failure.short ? (
            <Link to="/settings/credits" className="underline">
              Get credits on the credits page
            </Link>
          ) : null}
        </div>
      ) : null}
      <Dialog
        open={confirming}
        onOpenChange={setConfirming}
        title={terms.title}
        description={
          pricing.model === 'usage'
            ? terms.cost
            : have === undefined
              ? `${terms.cost}, from ${workspaceName}’s credits.`
              : have >= terms.chargedNow
                ? `${terms.cost}: ${workspaceName} will have ${formatCredits(have - terms.chargedNow)} left.`
                : `${terms.cost}, and ${workspaceName} has ${formatCredits(have)}.`
        }
      >
        {pricing.model === 'usage' ? (
          <SpendingLimitForm
            name={`Subscribe to ${listing.title}`}
            hint={`The most a month of use may cost ${workspaceName}${have === undefined ? '' : ` (it has ${formatCredits(have)})`}. You can change it later on the Subscriptions page.`}
            submitLabel={terms.confirm}
            pendingLabel={terms.pending}
            pending={purchase.isPending}
            onSubmit={(limit) => buy({ spendingLimitCredits: limit })}
            onCancel={() => setConfirming(false)}
          />
        ) : (
          <div className="flex flex-wrap gap-2">
            <button type="button" className="brutal-button" data-variant="primary" onClick={() => buy()} disabled={purchase.isPending}>
              {purchase.isPending ? terms.pending : terms.confirm}
            </button>
            <button type="button" className="brutal-button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        )}
      </Dialog>
    </div>
  );
}
