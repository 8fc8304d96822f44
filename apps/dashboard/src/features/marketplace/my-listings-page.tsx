import type { PublisherEarnings as PublisherEarningsSummary } from '@mission-control/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { plural } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useEarnings } from '../credits/credits-api';
import { usePageTitle } from '../layout/use-page-title';
import { EarningsHistory } from './earnings-history';
import { ListingCard } from './listing-card';
import { useMyListings } from './marketplace-api';
import { MarketplaceHeader } from './marketplace-tabs';
import { formatCredits, plainLoadError } from './marketplace-wording';

/** Marketplace → My listings: the ones the person may edit (theirs and their organisations’), unlisted ones and forks included. */
export default function MyListingsPage() {
  usePageTitle('My listings');
  const listings = useMyListings();
  const now = useNow();
  const all = listings.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <div className="mx-auto flex w-full max-w-6xl min-w-0 flex-col gap-4">
      <MarketplaceHeader title="My listings">
        <Link to="/marketplace/publish" className="brutal-button" data-variant="primary">
          Publish to marketplace
        </Link>
      </MarketplaceHeader>
      <p>
        What you publish, yourself or for an organisation you are an owner or admin of. Open one to change it, publish a new version or
        answer its reviews.
      </p>
      <Earnings />
      {listings.isPending ? <SkeletonList rows={2} className="h-32" /> : null}
      {listings.isError ? (
        <ErrorState error={plainLoadError(listings.error)} what="your listings" onRetry={() => void listings.refetch()} />
      ) : null}
      {listings.data && all.length === 0 ? (
        <EmptyState title="You have not published anything yet">
          <Link to="/marketplace/publish" className="font-bold underline">
            Publish an agent, workflow or skill
          </Link>{' '}
          of this workspace for others on this server.
        </EmptyState>
      ) : null}
      <ul className="grid min-w-0 grid-cols-1 gap-3 md:grid-cols-2" aria-label="Your listings">
        {all.map((listing) => (
          <ListingCard key={listing.id} listing={listing} now={now} mine />
        ))}
      </ul>
      {listings.hasNextPage ? (
        <button
          type="button"
          className="brutal-button self-start"
          disabled={listings.isFetchingNextPage}
          onClick={() => void listings.fetchNextPage()}
        >
          More listings
        </button>
      ) : null}
    </div>
  );
}

/** What the person's listings earned: per publisher (them and organisations they administer), with the platform's fee. */
function Earnings() {
  const earnings = useEarnings();
  if (earnings.isPending) return <SkeletonList rows={1} className="h-20" />;
  if (earnings.isError)
    return <ErrorState error={plainLoadError(earnings.error)} what="your earnings" onRetry={() => void earnings.refetch()} />;
  const { publishers, feePercent } = earnings.data;
  return (
    <section className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" aria-labelledby="earnings-title">
      <h2 id="earnings-title" className="text-xl font-black uppercase">
        Earnings
      </h2>
      <p className="text-sm">
        What sales, rentals, subscriptions and use earned, after the platform’s fee of {feePercent.toLocaleString()}% and any refunds, less
        what was paid out. Pay out with <code>mission marketplace payout --amount 1000</code> (a Stripe transfer to your connected account,
        or a record for a server administrator to pay).
      </p>
      {publishers.length === 0 ? (
        <p>No sales yet.</p>
      ) : (
        <ul className="grid min-w-0 grid-cols-1 gap-2 sm:grid-cols-2" aria-label="Earnings by publisher">
          {publishers.map((publisher) => (
            <PublisherEarnings key={`${publisher.kind}-${publisher.id}`} publisher={publisher} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** One publisher's balance and sales, with its earnings history behind "Show history". */
function PublisherEarnings({ publisher }: { publisher: PublisherEarningsSummary['publishers'][number] }) {
  const [open, setOpen] = useState(false);
  const key = `${publisher.kind}-${publisher.id}`;
  return (
    <li className={`flex min-w-0 flex-col gap-2 border-2 border-ink p-2 ${open ? 'sm:col-span-2' : ''}`} data-testid="earnings">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="font-bold break-words">
            {publisher.name}
            {publisher.kind === 'organization' ? ' (organisation)' : ' (you)'}
          </p>
          <p>
            {formatCredits(publisher.balance)} from {plural(publisher.sales, 'sale')}
          </p>
        </div>
        <button
          type="button"
          className="brutal-button text-xs"
          aria-expanded={open}
          aria-controls={`history-${key}`}
          onClick={() => setOpen((current) => !current)}
        >
          {open ? 'Hide history' : 'Show history'}
          <span className="sr-only"> of {publisher.kind === 'organization' ? publisher.name : 'your earnings'}</span>
        </button>
      </div>
      <div id={`history-${key}`} hidden={!open} className="min-w-0">
        {open ? (
          <EarningsHistory
            publisher={publisher.kind === 'organization' ? { kind: 'organization', id: publisher.id } : { kind: 'user' }}
            name={publisher.name}
            headingId={`history-title-${key}`}
          />
        ) : null}
      </div>
    </li>
  );
}
