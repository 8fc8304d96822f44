import type { ModerationItem } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { DecisionButtons, ViewButtons } from '../../components/decision-controls';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatDateTime, plural, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { usePageTitle } from '../layout/use-page-title';
import { Markdown } from '../markdown/markdown';
import { BlockedWordsEditor } from './blocked-words-editor';
import { type ModerationStatus, useModerateReview, useModerationQueue } from './marketplace-api';
import { MarketplaceHeader } from './marketplace-tabs';
import { describeMarketplaceFailure, plainLoadError } from './marketplace-wording';
import { ReviewStars } from './rating-stars';

const views: { status: ModerationStatus; label: string }[] = [
  { status: 'pending', label: 'Waiting' },
  { status: 'decided', label: 'Decided' },
];

function ModerationCard({ item, now }: { item: ModerationItem; now: number }) {
  const id = useId();
  const moderate = useModerateReview();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const decide = (decision: 'approve' | 'reject') => {
    if (!reason.trim()) {
      setError('Say why in a few words: the reason is kept with the review.');
      return;
    }
    setError(null);
    moderate.mutate(
      { reviewId: item.id, input: { decision, reason: reason.trim() } },
      {
        onSuccess: () =>
          showToast(
            decision === 'approve'
              ? `Approved the review by ${item.author.name}: it counts again.`
              : `Rejected the review by ${item.author.name}: it is hidden.`,
            'success',
          ),
        onError: (failure) => setError(describeMarketplaceFailure(failure, 'moderate')),
      },
    );
  };
  return (
    <li className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" data-testid="moderation-item">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="min-w-0 text-lg font-black break-words">
          <Link to={`/marketplace/listings/${item.listingId}`} className="hover:underline">
            {item.listingTitle}
          </Link>
        </h2>
        <span className="border-2 border-ink px-1.5 font-mono text-xs font-bold uppercase">
          {item.status === 'pending' ? 'waiting' : item.status === 'published' ? 'approved' : 'rejected'}
        </span>
      </div>
      <p className="flex flex-wrap items-center gap-x-3 text-sm">
        <span className="font-bold">{item.author.name}</span>
        <ReviewStars rating={item.rating} />
        <span>
          on version {item.version},{' '}
          <time dateTime={item.updatedAt} title={formatDateTime(item.updatedAt)}>
            {relativeTime(item.updatedAt, now, 'long')}
          </time>
        </span>
      </p>
      {item.body ? <Markdown>{item.body}</Markdown> : <p className="text-sm text-ink-muted">No text, only a rating.</p>}
      {item.reportReasons.length > 0 ? (
        <div className="min-w-0">
          <p className="text-sm font-bold">Reported {item.reports === 1 ? 'once' : `${item.reports.toLocaleString()} times`}:</p>
          <ul className="list-[square] pl-5 text-sm break-words" aria-label="Reasons it was reported">
            {item.reportReasons.map((each, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: two people can give the same reason
              <li key={`${index}-${each}`}>{each}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {item.matchedWords.length > 0 ? (
        <p className="text-sm break-words">
          <span className="font-bold">Holds {item.matchedWords.length === 1 ? 'a word' : 'words'} of the list:</span>{' '}
          {item.matchedWords.map((word) => (
            <mark key={word} className="mr-1 border border-ink bg-status-idle px-1 font-mono text-black">
              {word}
            </mark>
          ))}
        </p>
      ) : null}
      {item.moderation ? (
        <p className="text-sm break-words">
          {item.moderation.decision === 'approved' ? 'Approved' : 'Rejected'} by {item.moderation.by}{' '}
          {relativeTime(item.moderation.at, now, 'long')}: “{item.moderation.reason}”
        </p>
      ) : null}
      {item.status === 'pending' ? (
        <div className="flex min-w-0 flex-col gap-2 border-t-2 border-ink pt-2">
          <label className="brutal-label" htmlFor={`${id}-reason`}>
            Reason for your decision
          </label>
          <input
            id={`${id}-reason`}
            className="brutal-input"
            value={reason}
            maxLength={1_000}
            aria-invalid={Boolean(error)}
            onChange={(event) => setReason(event.target.value)}
          />
          {error ? (
            <p role="alert" className="border-2 border-ink bg-status-blocked p-2 text-sm font-bold text-black">
              {error}
            </p>
          ) : null}
          <DecisionButtons pending={moderate.isPending} onDecide={decide} />
        </div>
      ) : null}
    </li>
  );
}

/**
 * Marketplace → Moderation, for the server's administrators: reviews waiting for a decision
 * (reported, or holding a word of the list) with the reports' reasons and the matched words,
 * approve or reject with a reason; the decided ones; and the word list. Everyone else is told who
 * moderates instead of being shown an error.
 */
export default function ModerationPage() {
  usePageTitle('Marketplace moderation');
  const [status, setStatus] = useState<ModerationStatus>('pending');
  const queue = useModerationQueue(status);
  const now = useNow();
  const notAdmin = isMissionControlError(queue.error) && queue.error.code === 'INSTANCE_ADMIN_REQUIRED';
  const items = queue.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <div className="mx-auto flex w-full max-w-5xl min-w-0 flex-col gap-4">
      <MarketplaceHeader title="Moderation" />
      {notAdmin ? (
        <EmptyState title="Only server administrators moderate the marketplace">
          They are the owners of the organisation this server started with. A review you report waits for them, and stops counting until
          they decide.
        </EmptyState>
      ) : (
        <>
          <ViewButtons views={views} value={status} onChange={setStatus} />
          {queue.isPending ? <SkeletonList rows={2} className="h-32" /> : null}
          {queue.isError ? (
            <ErrorState error={plainLoadError(queue.error)} what="the moderation queue" onRetry={() => void queue.refetch()} />
          ) : null}
          {queue.data ? (
            <p className="font-bold" aria-live="polite">
              {items.length === 0
                ? status === 'pending'
                  ? 'Nothing waits for a moderator.'
                  : 'No review was decided yet.'
                : status === 'pending'
                  ? `${plural(items.length, 'review')} waiting, oldest first.`
                  : `${plural(items.length, 'review')} decided.`}
            </p>
          ) : null}
          {queue.data && items.length === 0 ? (
            <EmptyState title={status === 'pending' ? 'The queue is empty' : 'No decisions yet'}>
              Reported reviews and reviews holding a word of the list land here.
            </EmptyState>
          ) : null}
          <ul className="flex flex-col gap-3" aria-label="Reviews to moderate">
            {items.map((item) => (
              <ModerationCard key={item.id} item={item} now={now} />
            ))}
          </ul>
          {queue.hasNextPage ? (
            <button type="button" className="brutal-button self-start" onClick={() => void queue.fetchNextPage()}>
              More reviews
            </button>
          ) : null}
          {queue.isSuccess ? <BlockedWordsEditor /> : null}
        </>
      )}
    </div>
  );
}
