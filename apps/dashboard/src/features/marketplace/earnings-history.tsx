import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { plural } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { CreditHistoryTable, CsvDownloadButton } from '../credits/credit-history-table';
import { type EarningsPublisher, publisherCsvPath, usePublisherTransactions } from '../credits/credits-api';
import { describeCreditsFailure } from '../credits/credits-wording';

/** A file name from a publisher's name: "earnings-acme-labs.csv". */
function csvFilename(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `earnings-${slug || 'history'}.csv`;
}

/**
 * One publisher's earnings history (the person's own, or an organisation's they administer):
 * sales, charges, releases, refunds and payouts, newest first, with "Load more" and a CSV file.
 */
export function EarningsHistory({ publisher, name, headingId }: { publisher: EarningsPublisher; name: string; headingId: string }) {
  const history = usePublisherTransactions(publisher);
  const now = useNow();
  const transactions = history.data?.pages.flatMap((page) => page.data) ?? [];
  const what = publisher.kind === 'organization' ? `the earnings history of ${name}` : 'your earnings history';
  return (
    <section className="flex min-w-0 flex-col gap-2" aria-labelledby={headingId}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={headingId} className="text-lg font-black uppercase">
          Earnings history
        </h3>
        <CsvDownloadButton
          href={publisherCsvPath(publisher)}
          filename={csvFilename(name)}
          forbidden="Only owners and admins of the organisation download what its listings earned."
          label={`Download CSV of ${what}`}
        />
      </div>
      {history.isPending ? (
        <SkeletonList rows={2} />
      ) : history.isError ? (
        <ErrorState
          error={new Error(describeCreditsFailure(history.error, 'earnings'))}
          what={what}
          onRetry={() => void history.refetch()}
        />
      ) : transactions.length === 0 ? (
        <EmptyState title="Nothing yet">
          Sales of {publisher.kind === 'organization' ? 'its' : 'your'} listings, refunds and payouts land here.
        </EmptyState>
      ) : (
        <>
          <p className="text-sm" aria-live="polite">
            {plural(transactions.length, 'transaction')}
            {history.hasNextPage ? ' so far' : ''}, newest first.
          </p>
          <CreditHistoryTable transactions={transactions} now={now} label={`Earnings history of ${name}`} />
          {history.hasNextPage ? (
            <button
              type="button"
              className="brutal-button self-start"
              disabled={history.isFetchingNextPage}
              onClick={() => void history.fetchNextPage()}
            >
              {history.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
