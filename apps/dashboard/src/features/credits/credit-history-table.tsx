import type { CreditTransaction } from '@mission-control/contracts';
import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import { formatDateTime, relativeTime } from '../../lib/format';
import { useServices } from '../../lib/services-context';
import { showToast } from '../../lib/toasts';
import { downloadCsv } from './credits-api';
import { describeCreditsFailure, signedCredits, transactionKindLabels } from './credits-wording';

const cell = 'block px-2 py-1 align-top sm:table-cell sm:border-b-2 sm:border-ink';
const phoneLabel = 'font-bold sm:hidden';

/**
 * A credit history, newest first: kind in words, signed amount, description, listing, who, when
 * (relative and local), and each transaction's entries on demand. On a phone every row is a card.
 * Used by Settings → Credits (the workspace's history) and My listings (a publisher's earnings).
 */
export function CreditHistoryTable({
  transactions,
  now,
  label,
  canRefund = false,
  onRefund,
}: {
  transactions: readonly CreditTransaction[];
  now: number;
  /** The table's accessible name, such as "Credit history". */
  label: string;
  /** Whether purchases offer a Refund button (server administrators on the credits page). */
  canRefund?: boolean;
  onRefund?: (purchase: CreditTransaction) => void;
}) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <table className="block w-full min-w-0 text-left sm:table" aria-label={label}>
      <thead className="sr-only sm:not-sr-only sm:table-header-group">
        <tr>
          <th className="px-2 py-1">Kind</th>
          <th className="px-2 py-1 text-right">Amount</th>
          <th className="px-2 py-1">Description</th>
          <th className="px-2 py-1">Listing</th>
          <th className="px-2 py-1">Who</th>
          <th className="px-2 py-1">When</th>
          <th className="px-2 py-1">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody className="flex flex-col gap-2 sm:table-row-group">
        {transactions.map((transaction) => (
          <Fragment key={transaction.id}>
            <tr className="block min-w-0 border-2 border-ink p-1 sm:table-row sm:border-0 sm:p-0" data-testid="credit-transaction">
              <td className={`${cell} font-bold`}>{transactionKindLabels[transaction.kind]}</td>
              <td className={`${cell} font-mono font-bold whitespace-nowrap sm:text-right`}>
                <span className={phoneLabel}>Amount: </span>
                {signedCredits(transaction.amount)}
              </td>
              <td className={`${cell} break-words`}>{transaction.description}</td>
              <td className={`${cell} break-words`}>
                {transaction.listing ? (
                  <>
                    <span className={phoneLabel}>Listing: </span>
                    <Link to={`/marketplace/listings/${transaction.listing.id}`} className="underline">
                      {transaction.listing.title}
                    </Link>
                  </>
                ) : (
                  <span className="hidden sm:inline">—</span>
                )}
              </td>
              <td className={`${cell} break-words`}>
                <span className={phoneLabel}>By: </span>
                {transaction.by.kind === 'system' ? 'Mission Control' : transaction.by.name}
              </td>
              <td className={cell}>
                <time dateTime={transaction.createdAt} className="block whitespace-nowrap">
                  {relativeTime(transaction.createdAt, now, 'long')}
                </time>
                <span className="block text-xs">{formatDateTime(transaction.createdAt)}</span>
              </td>
              <td className={cell}>
                <div className="flex flex-wrap gap-1">
                  <button
                    type="button"
                    className="brutal-button text-xs"
                    aria-expanded={open.has(transaction.id)}
                    aria-controls={`entries-${transaction.id}`}
                    onClick={() => toggle(transaction.id)}
                  >
                    Entries<span className="sr-only"> of {transaction.description}</span>
                  </button>
                  {canRefund && onRefund && transaction.kind === 'purchase' ? (
                    <button type="button" className="brutal-button text-xs" onClick={() => onRefund(transaction)}>
                      Refund<span className="sr-only"> {transaction.listing?.title ?? transaction.description}</span>
                    </button>
                  ) : null}
                </div>
              </td>
            </tr>
            {open.has(transaction.id) ? (
              <tr id={`entries-${transaction.id}`} className="block sm:table-row">
                <td colSpan={7} className="block px-2 pb-2 sm:table-cell sm:border-b-2 sm:border-ink">
                  <ul className="flex flex-col gap-0.5 text-sm" aria-label={`Entries of ${transaction.description}`}>
                    {transaction.entries.map((entry, index) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id; their order is the server's
                      <li key={index} className="flex flex-wrap justify-between gap-2 border-b border-ink/30">
                        <span className="min-w-0 break-words">{entry.account.name}</span>
                        <span className="font-mono">{signedCredits(entry.amount)}</span>
                      </li>
                    ))}
                  </ul>
                  {transaction.refundOf ? <p className="mt-1 text-xs">Refunds an earlier purchase.</p> : null}
                </td>
              </tr>
            ) : null}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

/**
 * "Download CSV": fetches `href` (an API path and query answering a CSV file) with the session's
 * credential and saves it as `filename`; a refusal shows as a toast in words.
 */
export function CsvDownloadButton({
  href,
  filename,
  forbidden,
  label,
}: {
  href: string;
  filename: string;
  /** Why a 403 refused it, in words. */
  forbidden: string;
  /** An accessible name when the page has several, such as "Download CSV of Ada’s earnings". */
  label?: string;
}) {
  const { session } = useServices();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      await downloadCsv(await session.accessToken(), { href, filename, forbidden });
    } catch (failure) {
      showToast(`Could not download the history: ${describeCreditsFailure(failure)}`, 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" className="brutal-button" aria-label={label} disabled={busy} onClick={() => void download()}>
      Download CSV
    </button>
  );
}
