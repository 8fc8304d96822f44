import type { Listing, Purchase } from '@mission-control/contracts';
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
import { formatCredits } from './marketplace-wording';

/**
 * Buy a one-off listing with the workspace's credits, or rent one for `rentalDays` (the price is
 * held in escrow), after confirming; the balance is shown beside it. Not enough credits: how many
 * are missing and where to get them. `onBought` gets the server's answer, none when the workspace
 * had it already.
 */
export function BuyButton({
  listing,
  price,
  rentalDays,
  workspaceName,
  onBought,
}: {
  listing: Listing;
  price: number;
  rentalDays?: number | undefined;
  workspaceName: string;
  onBought: (purchase?: Purchase) => void;
}) {
  const balance = useCreditBalance();
  const purchase = usePurchaseListing(listing.id);
  const queryClient = useQueryClient();
  const renting = rentalDays !== undefined;
  const verb = renting ? 'rent' : 'buy';
  const cost = renting ? `${formatCredits(price)} for ${plural(rentalDays, 'day')}` : formatCredits(price);
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<{ message: string; short: boolean } | null>(null);
  const have = balance.data?.balance;

  const buy = () =>
    purchase.mutate(undefined, {
      onSuccess: (answer) => {
        setConfirming(false);
        if (renting) afterRentalChange(queryClient);
        const left = `${workspaceName} has ${formatCredits(answer.balance)} left.`;
        showToast(
          answer.rental
            ? `Rented ${listing.title} until ${formatDateTime(answer.rental.endsAt)}, ${formatCredits(price)} held in escrow: ${left}`
            : `Bought ${listing.title} for ${formatCredits(price)}: ${left}`,
          'success',
        );
        onBought(answer);
      },
      onError: (error) => {
        setConfirming(false);
        if (isMissionControlError(error) && error.code === 'LISTING_ALREADY_BOUGHT') {
          if (renting) afterRentalChange(queryClient);
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
        {renting ? rentInWords(rentalDays, price) : `Buy for ${formatCredits(price)}`}
      </button>
      <p className="text-xs">
        {renting
          ? `It installs into ${workspaceName} for ${plural(rentalDays, 'day')}. The price is held in escrow until the period ends, so you can dispute it meanwhile on the Rentals page.`
          : `You pay once; then it installs into ${workspaceName} as often as you like.`}
      </p>
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
        title={`${renting ? 'Rent' : 'Buy'} ${listing.title}?`}
        description={
          have === undefined
            ? `It costs ${cost} from ${workspaceName}’s credits.`
            : have >= price
              ? `It costs ${cost}: ${workspaceName} will have ${formatCredits(have - price)} left.`
              : `It costs ${cost}, and ${workspaceName} has ${formatCredits(have)}.`
        }
      >
        <div className="flex flex-wrap gap-2">
          <button type="button" className="brutal-button" data-variant="primary" onClick={buy} disabled={purchase.isPending}>
            {purchase.isPending ? (renting ? 'Renting…' : 'Buying…') : `Confirm: ${verb} for ${formatCredits(price)}`}
          </button>
          <button type="button" className="brutal-button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      </Dialog>
    </div>
  );
}
