import type { Listing, ListingKind } from '@mission-control/contracts';
import { Link } from 'react-router';
import { relativeTime } from '../../lib/format';
import { installsInWords, kindLabels, priceInWords, visibilityLabels } from './marketplace-wording';
import { RatingStars } from './rating-stars';

export function KindBadge({ kind }: { kind: ListingKind }) {
  return <span className="inline-block border-2 border-ink px-1.5 font-mono text-[0.7rem] font-bold uppercase">{kindLabels[kind]}</span>;
}

/** The price as a solid tag: free ones plain, paid ones on the idle yellow (black on yellow reads in both themes). */
export function PriceTag({ listing }: { listing: Pick<Listing, 'pricing'> }) {
  const paid = listing.pricing.model !== 'free';
  return (
    <span
      className={`inline-block border-2 border-ink px-1.5 text-sm font-bold ${paid ? 'bg-status-idle text-black' : 'bg-paper'}`}
      data-testid="price"
    >
      {priceInWords(listing.pricing)}
    </span>
  );
}

/**
 * One listing in a list: its title (the link), summary, publisher, kind, price, rating and
 * installs; `mine` adds who can find it, its latest version and when it last changed.
 */
export function ListingCard({ listing, now, mine = false }: { listing: Listing; now: number; mine?: boolean }) {
  return (
    <li className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3 shadow-[var(--shadow-hard-small)]" data-testid="listing-card">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 className="min-w-0 text-lg font-black break-words">
          <Link to={`/marketplace/listings/${listing.id}`} className="hover:underline">
            {listing.title}
          </Link>
        </h2>
        <KindBadge kind={listing.kind} />
      </div>
      <p className="text-sm break-words">{listing.summary}</p>
      <p className="text-sm break-words">
        by <span className="font-bold">{listing.publisher.name}</span>
      </p>
      <div className="mt-auto flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <PriceTag listing={listing} /> <RatingStars average={listing.rating.average} count={listing.rating.count} compact />{' '}
        <span>{installsInWords(listing.installs)}</span>
      </div>
      {mine ? (
        <p className="font-mono text-xs break-words">
          Version {listing.latestVersion} · {visibilityLabels[listing.visibility]} · changed {relativeTime(listing.updatedAt, now, 'long')}
        </p>
      ) : null}
    </li>
  );
}
