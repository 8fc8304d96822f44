import type { Listing } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { useState } from 'react';
import { Link } from 'react-router';
import { Dialog } from '../../components/dialog';
import { showToast } from '../../lib/toasts';
import { useCreditBalance, usePurchaseListing } from '../credits/credits-api';
import { describeCreditsFailure } from '../credits/credits-wording';
import { formatCredits } from './marketplace-wording';

/**
 * Buy a one-off listing with the workspace's credits, after confirming; the balance is shown
 * beside it. Not enough credits: how many are missing and where to get them.
 */
export function BuyButton({
  listing,
  price,
  workspaceName,
  onBought,
}: {
  listing: Listing;
  price: number;
  workspaceName: string;
  onBought: () => void;
}) {
  const balance = useCreditBalance();
  const purchase = usePurchaseListing(listing.id);
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<{ message: string; short: boolean } | null>(null);
  const have = balance.data?.balance;

  const buy = () =>
    purchase.mutate(undefined, {
      onSuccess: (answer) => {
        setConfirming(false);
        showToast(
          `Bought ${listing.title} for ${formatCredits(price)}: ${workspaceName} has ${formatCredits(answer.balance)} left.`,
          'success',
        );
        onBought();
      },
      onError: (error) => {
        setConfirming(false);
        if (isMissionControlError(error) && error.code === 'LISTING_ALREADY_BOUGHT') {
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
        Buy for {formatCredits(price)}
      </button>
      <p className="text-xs">You pay once; then it installs into {workspaceName} as often as you like.</p>
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
        title={`Buy ${listing.title}?`}
        description={
          have === undefined
            ? `It costs ${formatCredits(price)} from ${workspaceName}’s credits.`
            : have >= price
              ? `It costs ${formatCredits(price)}: ${workspaceName} will have ${formatCredits(have - price)} left.`
              : `It costs ${formatCredits(price)}, and ${workspaceName} has ${formatCredits(have)}.`
        }
      >
        <div className="flex flex-wrap gap-2">
          <button type="button" className="brutal-button" data-variant="primary" onClick={buy} disabled={purchase.isPending}>
            {purchase.isPending ? 'Buying…' : `Confirm: buy for ${formatCredits(price)}`}
          </button>
          <button type="button" className="brutal-button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      </Dialog>
    </div>
  );
}
