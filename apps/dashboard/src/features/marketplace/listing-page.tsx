import type { Listing } from '@mission-control/contracts';
import { Link, useParams } from 'react-router';
import { ErrorState, Skeleton } from '../../components/states';
import { formatDateTime, relativeTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { usePageTitle } from '../layout/use-page-title';
import { Markdown } from '../markdown/markdown';
import { InstallPanel } from './install-panel';
import { KindBadge, PriceTag } from './listing-card';
import { ListingContents, ListingVersions } from './listing-contents';
import { ListingFiguresSection } from './listing-figures';
import { ListingReviews } from './listing-reviews';
import { useListing } from './marketplace-api';
import { MarketplaceTabs } from './marketplace-tabs';
import { categoryLabel, installsInWords, plainLoadError, visibilityLabels } from './marketplace-wording';
import { PublisherTools } from './publisher-tools';
import { RatingDistribution, RatingStars } from './rating-stars';

/**
 * Marketplace → a listing: what it is and who publishes it, its price, ratings and installs,
 * the description, what its latest version installs, every version's changelog and the
 * reviews; Install and Fork beside it, and for its publisher edit, new version and delete.
 */
export default function ListingPage() {
  const { listingId } = useParams();
  const listing = useListing(listingId);
  usePageTitle(listing.data ? `${listing.data.title} (marketplace)` : 'Marketplace listing');
  const now = useNow();

  return (
    <div className="mx-auto flex w-full max-w-6xl min-w-0 flex-col gap-4">
      <MarketplaceTabs />
      {listing.isPending ? <Skeleton className="h-96" label="Loading the listing" /> : null}
      {listing.isError ? (
        <ErrorState error={plainLoadError(listing.error)} what="the listing" onRetry={() => void listing.refetch()} />
      ) : null}
      {listing.data ? <ListingView listing={listing.data} now={now} /> : null}
    </div>
  );
}

function ListingView({ listing, now }: { listing: Listing; now: number }) {
  const latest = listing.versions[0];
  return (
    <>
      <header className="flex min-w-0 flex-col gap-2">
        <nav className="font-mono text-xs" aria-label="Breadcrumb">
          <Link to="/marketplace" className="underline">
            Marketplace
          </Link>{' '}
          / {listing.title}
        </nav>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="min-w-0 text-3xl font-black tracking-tighter break-words uppercase sm:text-4xl">{listing.title}</h1>
          <KindBadge kind={listing.kind} />
        </div>
        <p className="text-lg break-words">{listing.summary}</p>
        <p className="break-words">
          by <span className="font-bold">{listing.publisher.name}</span>
          {listing.publisher.kind === 'organization' ? ' (organisation)' : ''} · in{' '}
          <Link to={`/marketplace?category=${encodeURIComponent(listing.category)}`} className="underline">
            {categoryLabel(listing.category)}
          </Link>
          {listing.visibility === 'public' ? null : <> · {visibilityLabels[listing.visibility]}</>}
        </p>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
          <PriceTag listing={listing} />
          <RatingStars average={listing.rating.average} count={listing.rating.count} />
          <span data-testid="installs">
            {installsInWords(listing.installs)}, {listing.activeInstalls.toLocaleString()} still installed
          </span>
        </div>
        <p className="text-sm">
          Version {listing.latestVersion}
          {latest ? (
            <>
              , published{' '}
              <time dateTime={latest.createdAt} title={formatDateTime(latest.createdAt)}>
                {relativeTime(latest.createdAt, now, 'long')}
              </time>
            </>
          ) : null}
        </p>
        {listing.forkedFrom ? (
          <p className="text-sm break-words" data-testid="forked-from">
            Forked from{' '}
            {listing.forkedFrom.listingId ? (
              <Link to={`/marketplace/listings/${listing.forkedFrom.listingId}`} className="font-bold underline">
                {listing.forkedFrom.title}
              </Link>
            ) : (
              <span className="font-bold">{listing.forkedFrom.title}</span>
            )}{' '}
            version {listing.forkedFrom.version}
            {listing.forkedFrom.listingId ? '' : ' (since taken off the marketplace)'}.
          </p>
        ) : null}
        {listing.tags.length > 0 ? (
          <ul className="flex flex-wrap gap-1" aria-label="Tags">
            {listing.tags.map((tag) => (
              <li key={tag}>
                <Link
                  to={`/marketplace?tags=${encodeURIComponent(tag)}`}
                  className="block border border-ink px-1 font-mono text-xs uppercase hover:bg-paper-alt"
                >
                  {tag}
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
      </header>
      <div className="grid min-w-0 grid-cols-1 gap-4 lg:grid-cols-[1fr_22rem]">
        {/* First on a phone, where Install should not wait below the reviews; the right column on a wide screen. */}
        <div className="flex min-w-0 flex-col gap-4 lg:col-start-2 lg:row-start-1">
          <InstallPanel listing={listing} />
          <section className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" aria-labelledby={`ratings-${listing.id}`}>
            <h2 id={`ratings-${listing.id}`} className="text-xl font-black uppercase">
              Ratings
            </h2>
            <RatingStars average={listing.rating.average} count={listing.rating.count} />
            <RatingDistribution distribution={listing.rating.distribution} count={listing.rating.count} />
          </section>
          {listing.canEdit ? <PublisherTools listing={listing} /> : null}
        </div>
        <div className="flex min-w-0 flex-col gap-4 lg:col-start-1 lg:row-start-1">
          <section className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" aria-labelledby={`about-${listing.id}`}>
            <h2 id={`about-${listing.id}`} className="text-xl font-black uppercase">
              About
            </h2>
            {listing.description.trim() ? <Markdown>{listing.description}</Markdown> : <p>The publisher wrote no description.</p>}
          </section>
          <ListingFiguresSection listing={listing} />
          <ListingContents listing={listing} />
          <ListingVersions listing={listing} now={now} />
          <ListingReviews listing={listing} now={now} />
        </div>
      </div>
    </>
  );
}
