import type { Listing, Review } from '@mission-control/contracts';
import { type FormEvent, useId, useState } from 'react';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatDateTime, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useSession } from '../auth/use-session';
import { Markdown } from '../markdown/markdown';
import { useInstallations, useListingReviews, useReplyToReview, useReportReview } from './marketplace-api';
import { describeMarketplaceFailure, plainLoadError } from './marketplace-wording';
import { ReviewStars } from './rating-stars';
import { ReviewForm } from './review-form';

function Alert({ children }: { children: string }) {
  return (
    <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
      {children}
    </p>
  );
}

/** A small form under a review: the reason for a report, or the publisher's answer. */
function ReviewAction({
  label,
  submitLabel,
  initial = '',
  onSubmit,
  onCancel,
}: {
  label: string;
  submitLabel: string;
  initial?: string;
  onSubmit: (text: string) => Promise<void>;
  onCancel: () => void;
}) {
  const id = useId();
  const [text, setText] = useState(initial);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) {
      setFailure(`${label.replace(/\?$/, '')}: write a few words first.`);
      return;
    }
    setPending(true);
    try {
      await onSubmit(text.trim());
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setPending(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-2 border-2 border-ink p-2" aria-label={label}>
      <label className="brutal-label" htmlFor={`${id}-text`}>
        {label}
      </label>
      <textarea
        id={`${id}-text`}
        rows={3}
        className="brutal-input font-sans"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      {failure ? <Alert>{failure}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="brutal-button" data-variant="primary" disabled={pending}>
          {submitLabel}
        </button>
        <button type="button" className="brutal-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ReviewItem({ listing, review, yours, now }: { listing: Listing; review: Review; yours: boolean; now: number }) {
  const report = useReportReview(listing.id);
  const reply = useReplyToReview(listing.id);
  const [open, setOpen] = useState<'report' | 'reply' | null>(null);
  const sendReport = async (reason: string) => {
    try {
      await report.mutateAsync({ reviewId: review.id, reason });
    } catch (error) {
      throw new Error(describeMarketplaceFailure(error, 'report'));
    }
    setOpen(null);
    showToast('Reported: a moderator will look at it. Until then the review does not count.', 'success');
  };
  const sendReply = async (body: string) => {
    try {
      await reply.mutateAsync({ reviewId: review.id, body });
    } catch (error) {
      throw new Error(describeMarketplaceFailure(error, 'reply'));
    }
    setOpen(null);
    showToast('Your answer is published under the review.', 'success');
  };
  return (
    <li className="flex min-w-0 flex-col gap-2 border-2 border-ink p-3" data-testid="review">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-bold break-words">{review.author.name}</span>
        <ReviewStars rating={review.rating} />
        <span className="text-sm">
          on version {review.version},{' '}
          <time dateTime={review.createdAt} title={formatDateTime(review.createdAt)}>
            {relativeTime(review.updatedAt, now, 'long')}
          </time>
        </span>
      </div>
      {review.status === 'pending' ? (
        <p className="border-2 border-dashed border-ink p-1 text-sm font-bold">Waiting for a moderator: it does not count yet.</p>
      ) : null}
      {review.body ? <Markdown>{review.body}</Markdown> : <p className="text-sm text-ink-muted">No text, only a rating.</p>}
      {review.reply ? (
        <div className="ml-3 flex min-w-0 flex-col gap-1 border-l-[6px] border-ink pl-3" data-testid="review-reply">
          <p className="text-sm">
            <span className="font-bold">{listing.publisher.name}</span> (publisher) answered {relativeTime(review.reply.at, now, 'long')}:
          </p>
          <Markdown>{review.reply.body}</Markdown>
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {listing.canEdit ? (
          <button type="button" className="brutal-button" onClick={() => setOpen(open === 'reply' ? null : 'reply')}>
            {review.reply ? 'Change your answer' : 'Answer'}
          </button>
        ) : null}
        {yours ? null : (
          <button
            type="button"
            className="brutal-button"
            aria-label={`Report the review by ${review.author.name}`}
            onClick={() => setOpen(open === 'report' ? null : 'report')}
          >
            Report
          </button>
        )}
      </div>
      {open === 'report' ? (
        <ReviewAction label="Why report this review?" submitLabel="Send report" onSubmit={sendReport} onCancel={() => setOpen(null)} />
      ) : null}
      {open === 'reply' ? (
        <ReviewAction
          label={`Your answer to ${review.author.name}`}
          submitLabel="Publish answer"
          initial={review.reply?.body ?? ''}
          onSubmit={sendReply}
          onCancel={() => setOpen(null)}
        />
      ) : null}
    </li>
  );
}

/**
 * Reviews of a listing, newest first, with the publisher's answers; anyone may report one, the
 * publisher answers them, and someone whose workspace installed it may write their own.
 */
export function ListingReviews({ listing, now }: { listing: Listing; now: number }) {
  const reviews = useListingReviews(listing.id);
  const installations = useInstallations('all');
  const session = useSession();
  const all = reviews.data?.pages.flatMap((page) => page.data) ?? [];
  const yours = all.find((review) => review.author.id === session?.user.id);
  const installedHere = installations.data?.some((installation) => installation.listingId === listing.id) ?? false;
  const headingId = `reviews-${listing.id}`;
  return (
    <section className="flex min-w-0 flex-col gap-3 border-[3px] border-ink p-3" aria-labelledby={headingId}>
      <h2 id={headingId} className="text-xl font-black uppercase">
        Reviews
      </h2>
      {listing.canEdit ? (
        <p className="text-sm">You publish this listing: people who install it review it, and you can answer them.</p>
      ) : installedHere ? (
        <ReviewForm listing={listing} replaces={yours !== undefined} />
      ) : (
        <p className="text-sm">Install it to rate and review it.</p>
      )}
      {reviews.isPending ? <SkeletonList rows={2} className="h-20" /> : null}
      {reviews.isError ? (
        <ErrorState error={plainLoadError(reviews.error)} what="the reviews" onRetry={() => void reviews.refetch()} />
      ) : null}
      {reviews.data && all.length === 0 ? <EmptyState title="No reviews yet" /> : null}
      <ul className="flex flex-col gap-3">
        {all.map((review) => (
          <ReviewItem key={review.id} listing={listing} review={review} yours={review.author.id === session?.user.id} now={now} />
        ))}
      </ul>
      {reviews.hasNextPage ? (
        <button type="button" className="brutal-button self-start" onClick={() => void reviews.fetchNextPage()}>
          More reviews
        </button>
      ) : null}
    </section>
  );
}
