import { type CreditTransaction, type CreditTransactionKind, creditTransactionKindSchema } from '@mission-control/contracts';
import { Fragment, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatDateTime, plural, relativeTime } from '../../lib/format';
import { useServices } from '../../lib/services-context';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { useSession } from '../auth/use-session';
import { usePageTitle } from '../layout/use-page-title';
import { formatCredits } from '../marketplace/marketplace-wording';
import { BuyCreditsForm, GrantCreditsForm, RefundForm } from './credit-forms';
import { downloadCreditsCsv, useCreditBalance, useCreditTransactions, useIsServerAdmin } from './credits-api';
import { describeCreditsFailure, signedCredits, transactionKindLabels } from './credits-wording';

const kindOptions: (CreditTransactionKind | 'all')[] = ['all', ...creditTransactionKindSchema.options];

const checkoutMessages: Record<string, string> = {
  done: 'Thank you: the payment went through. The credits arrive as soon as Stripe confirms it, usually within a minute.',
  cancelled: 'The payment was cancelled: nothing was charged.',
};

const cell = 'block px-2 py-1 align-top sm:table-cell sm:border-b-2 sm:border-ink';
const phoneLabel = 'font-bold sm:hidden';

/**
 * Settings → Credits: the workspace's balance, what it received and spent; buying credits with a
 * card; the history with every entry, a kind filter and a CSV file; for server administrators,
 * granting credits and refunding purchases.
 */
export default function CreditsPage() {
  usePageTitle('Credits');
  const session = useSession();
  const { session: store } = useServices();
  const [params] = useSearchParams();
  const manages = session?.role === 'owner' || session?.role === 'admin';
  const balance = useCreditBalance();
  const admin = useIsServerAdmin();
  const [kind, setKind] = useState<CreditTransactionKind | 'all'>('all');
  const history = useCreditTransactions(kind, manages);
  const [refunding, setRefunding] = useState<CreditTransaction | null>(null);
  const now = useNow();
  const checkout = checkoutMessages[params.get('checkout') ?? ''];
  const transactions = history.data?.pages.flatMap((page) => page.data) ?? [];
  const isAdmin = admin.data === true;

  const download = async () => {
    try {
      await downloadCreditsCsv(await store.accessToken(), kind);
    } catch (failure) {
      showToast(`Could not download the history: ${describeCreditsFailure(failure)}`, 'error');
    }
  };

  return (
    <div className="mx-auto flex w-full max-w-5xl min-w-0 flex-col gap-4">
      <h1 className="text-3xl font-black tracking-tighter uppercase">Credits</h1>
      <p>
        Credits pay for{' '}
        <Link to="/marketplace" className="underline">
          marketplace
        </Link>{' '}
        listings. They belong to {session?.workspace.name ?? 'this workspace'}.
      </p>
      {checkout ? (
        <p role="status" className="border-2 border-ink bg-paper-alt p-2 font-bold" data-testid="checkout-message">
          {checkout}
        </p>
      ) : null}

      <section className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" aria-labelledby="credits-balance">
        <h2 id="credits-balance" className="text-xl font-black uppercase">
          Balance
        </h2>
        {balance.isPending ? <SkeletonList rows={1} /> : null}
        {balance.isError ? (
          <ErrorState error={new Error(describeCreditsFailure(balance.error))} what="the balance" onRetry={() => void balance.refetch()} />
        ) : null}
        {balance.data ? (
          <dl className="grid grid-cols-1 gap-2 sm:grid-cols-3" data-testid="credit-balance">
            <div>
              <dt className="text-sm font-bold uppercase">Balance</dt>
              <dd className="text-2xl font-black">{formatCredits(balance.data.balance)}</dd>
            </div>
            <div>
              <dt className="text-sm font-bold uppercase">Received</dt>
              <dd className="text-lg">{formatCredits(balance.data.received)}</dd>
            </div>
            <div>
              <dt className="text-sm font-bold uppercase">Spent</dt>
              <dd className="text-lg">{formatCredits(balance.data.spent)}</dd>
            </div>
          </dl>
        ) : null}
      </section>

      {manages ? (
        <section className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" aria-labelledby="credits-buy">
          <h2 id="credits-buy" className="text-xl font-black uppercase">
            Buy credits
          </h2>
          <BuyCreditsForm />
        </section>
      ) : null}

      {isAdmin ? (
        <section className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" aria-labelledby="credits-grant">
          <h2 id="credits-grant" className="text-xl font-black uppercase">
            Grant credits
          </h2>
          <p className="text-sm">As a server administrator you can give credits to any workspace you belong to.</p>
          <GrantCreditsForm currentWorkspaceId={session?.workspace.id} />
        </section>
      ) : null}

      <section className="flex min-w-0 flex-col gap-3 border-[3px] border-ink p-3" aria-labelledby="credits-history">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <h2 id="credits-history" className="text-xl font-black uppercase">
            History
          </h2>
          {manages ? (
            <div className="flex flex-wrap items-end gap-2">
              <div>
                <label className="brutal-label" htmlFor="credits-kind">
                  Kind
                </label>
                <select
                  id="credits-kind"
                  className="brutal-input"
                  value={kind}
                  onChange={(event) => setKind(event.target.value as CreditTransactionKind | 'all')}
                >
                  {kindOptions.map((option) => (
                    <option key={option} value={option}>
                      {option === 'all' ? 'Every kind' : transactionKindLabels[option]}
                    </option>
                  ))}
                </select>
              </div>
              <button type="button" className="brutal-button" onClick={() => void download()}>
                Download CSV
              </button>
            </div>
          ) : null}
        </div>
        {!manages ? (
          <p>Only owners and admins of the workspace read its credit history and buy credits.</p>
        ) : history.isPending ? (
          <SkeletonList rows={3} />
        ) : history.isError ? (
          <ErrorState error={new Error(describeCreditsFailure(history.error))} what="the history" onRetry={() => void history.refetch()} />
        ) : transactions.length === 0 ? (
          <EmptyState title={kind === 'all' ? 'Nothing yet' : `No ${transactionKindLabels[kind].toLowerCase()} entries`}>
            Grants, card payments, purchases and refunds land here.
          </EmptyState>
        ) : (
          <>
            <p className="text-sm" aria-live="polite">
              {plural(transactions.length, 'transaction')}
              {history.hasNextPage ? ' so far' : ''}, newest first.
            </p>
            <HistoryTable transactions={transactions} now={now} isAdmin={isAdmin} onRefund={setRefunding} />
            {history.hasNextPage ? (
              <button
                type="button"
                className="brutal-button self-start"
                disabled={history.isFetchingNextPage}
                onClick={() => void history.fetchNextPage()}
              >
                More transactions
              </button>
            ) : null}
          </>
        )}
      </section>
      <Dialog
        open={refunding !== null}
        onOpenChange={(open) => {
          if (!open) setRefunding(null);
        }}
        title={`Refund ${refunding?.listing?.title ?? 'a purchase'}`}
        description="The credits go back to the workspace from the publisher and the platform, in the purchase’s proportions."
      >
        {refunding ? <RefundForm purchase={refunding} onDone={() => setRefunding(null)} /> : null}
      </Dialog>
    </div>
  );
}

function HistoryTable({
  transactions,
  now,
  isAdmin,
  onRefund,
}: {
  transactions: readonly CreditTransaction[];
  now: number;
  isAdmin: boolean;
  onRefund: (purchase: CreditTransaction) => void;
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
    <table className="block w-full min-w-0 text-left sm:table" aria-label="Credit history">
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
              <td className={`${cell} whitespace-nowrap`}>
                <time dateTime={transaction.createdAt} title={formatDateTime(transaction.createdAt)}>
                  {relativeTime(transaction.createdAt, now, 'long')}
                </time>
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
                  {isAdmin && transaction.kind === 'purchase' ? (
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
