import { Link } from 'react-router';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { useNow } from '../../lib/use-now';
import { usePageTitle } from '../layout/use-page-title';
import { ListingCard } from './listing-card';
import { useMyListings } from './marketplace-api';
import { MarketplaceHeader } from './marketplace-tabs';
import { plainLoadError } from './marketplace-wording';

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
