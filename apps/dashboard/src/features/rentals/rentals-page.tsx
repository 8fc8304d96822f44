import type { Rental } from '@mission-control/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { plural } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useSession } from '../auth/use-session';
import { usePageTitle } from '../layout/use-page-title';
import { MarketplaceHeader } from '../marketplace/marketplace-tabs';
import { formatCredits } from '../marketplace/marketplace-wording';
import { Moment } from './moment';
import { OpenDisputeForm } from './open-dispute-form';
import { useRentals } from './rentals-api';
import { describeRentalsFailure, rentalStatusExplanations, rentalStatusLabels } from './rentals-wording';

function RentalCard({ rental, now, manages, onDispute }: { rental: Rental; now: number; manages: boolean; onDispute: () => void }) {
  const over = Date.parse(rental.endsAt) <= now;
  return (
    <li className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" data-testid="rental">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="min-w-0 text-lg font-black break-words">
          <Link to={`/marketplace/listings/${rental.listing.id}`} className="underline hover:no-underline">
            {rental.listing.title}
          </Link>
        </h2>
        <span className="border-2 border-ink px-1.5 font-mono text-xs font-bold uppercase" data-testid="rental-status">
          {rentalStatusLabels[rental.status]}
        </span>
      </div>
      <p className="text-sm">{rentalStatusExplanations[rental.status]}</p>
      <dl className="grid min-w-0 grid-cols-1 gap-2 text-sm sm:grid-cols-2">
        <div className="min-w-0">
          <dt className="font-bold uppercase">From</dt>
          <dd>
            <Moment at={rental.startsAt} now={now} />
          </dd>
        </div>
        <div className="min-w-0">
          <dt className="font-bold uppercase">{over ? 'Ended' : 'Until'}</dt>
          <dd>
            <Moment at={rental.endsAt} now={now} />
          </dd>
        </div>
        <div>
          <dt className="font-bold uppercase">Price</dt>
          <dd>{formatCredits(rental.priceCredits)}</dd>
        </div>
        <div>
          <dt className="font-bold uppercase">Held in escrow</dt>
          <dd data-testid="rental-escrow">{formatCredits(rental.escrowCredits)}</dd>
        </div>
      </dl>
      <p className="text-sm">
        {rental.accessEnded
          ? 'The access has ended: what was installed from it is paused.'
          : over
            ? 'The period is over: what was installed from it is being paused.'
            : 'What was installed from it works until the period ends.'}
      </p>
      {(rental.status === 'active' && manages) || rental.disputeId ? (
        <div className="flex flex-wrap items-center gap-2 border-t-2 border-ink pt-2">
          {rental.status === 'active' && manages ? (
            <button type="button" className="brutal-button" onClick={onDispute}>
              Open a dispute<span className="sr-only"> over {rental.listing.title}</span>
            </button>
          ) : null}
          {rental.disputeId ? (
            <Link to="/marketplace/disputes" className="text-sm underline">
              See the dispute<span className="sr-only"> over {rental.listing.title}</span>
            </Link>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

/**
 * Marketplace → Rentals: the workspace's rentals with their period, price and what is still held
 * in escrow; owners and admins dispute a running one while its price is held.
 */
export default function RentalsPage() {
  usePageTitle('Rentals');
  const session = useSession();
  const rentals = useRentals();
  const now = useNow();
  const [disputing, setDisputing] = useState<Rental | null>(null);
  const manages = session?.role === 'owner' || session?.role === 'admin';
  const list = rentals.data ?? [];
  const workspaceName = session?.workspace.name ?? 'this workspace';

  return (
    <div className="mx-auto flex w-full max-w-5xl min-w-0 flex-col gap-4">
      <MarketplaceHeader title="Rentals" />
      <p>
        Listings {workspaceName} rents for a number of days. The price is held in escrow until the period ends, then paid to the publisher;
        until then {manages ? 'you' : 'its owners and admins'} can dispute it.
      </p>
      {rentals.isPending ? <SkeletonList rows={2} className="h-40" /> : null}
      {rentals.isError ? (
        <ErrorState error={new Error(describeRentalsFailure(rentals.error))} what="the rentals" onRetry={() => void rentals.refetch()} />
      ) : null}
      {rentals.data && list.length === 0 ? (
        <EmptyState title="No rentals yet">
          Rent a listing priced for a number of days from the{' '}
          <Link to="/marketplace?pricing=rental" className="underline">
            marketplace
          </Link>
          : its page says how long and for how many credits. It lands here with its period and escrow.
        </EmptyState>
      ) : null}
      {list.length > 0 ? (
        <>
          <p className="text-sm" aria-live="polite">
            {plural(list.length, 'rental')}, newest first.
          </p>
          <ul className="flex min-w-0 flex-col gap-3" aria-label="Rentals">
            {list.map((rental) => (
              <RentalCard key={rental.id} rental={rental} now={now} manages={manages} onDispute={() => setDisputing(rental)} />
            ))}
          </ul>
        </>
      ) : null}
      <Dialog
        open={disputing !== null}
        onOpenChange={(open) => {
          if (!open) setDisputing(null);
        }}
        title={`Dispute ${disputing?.listing.title ?? 'a rental'}`}
        description={
          disputing
            ? `Its ${formatCredits(disputing.escrowCredits)} stay in escrow, instead of going to the publisher at the end, until a server administrator decides.`
            : undefined
        }
      >
        {disputing ? <OpenDisputeForm rental={disputing} onDone={() => setDisputing(null)} /> : null}
      </Dialog>
    </div>
  );
}
