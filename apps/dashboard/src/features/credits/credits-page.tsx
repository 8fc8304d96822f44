import { type CreditTransaction, type CreditTransactionKind, creditTransactionKindSchema } from '@mission-control/contracts';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { plural } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useSession } from '../auth/use-session';
import { usePageTitle } from '../layout/use-page-title';
import { formatCredits } from '../marketplace/marketplace-wording';
import { BuyCreditsForm, GrantCreditsForm, RefundForm } from './credit-forms';
import { CreditHistoryTable, CsvDownloadButton } from './credit-history-table';
import { creditsCsvPath, useCreditBalance, useCreditTransactions, useIsServerAdmin } from './credits-api';
import { describeCreditsFailure, transactionKindLabels } from './credits-wording';

const kindOptions: (CreditTransactionKind | 'all')[] = ['all', ...creditTransactionKindSchema.options];

const checkoutMessages: Record<string, string> = {
  done: 'Thank you: the payment went through. The credits arrive as soon as Stripe confirms it, usually within a minute.',
  cancelled: 'The payment was cancelled: nothing was charged.',
};

/**
 * Settings → Credits: the workspace's balance, what it received and spent; buying credits with a
 * card; the history with every entry, a kind filter and a CSV file; for server administrators,
 * granting credits and refunding purchases.
 */
export default function CreditsPage() {
  usePageTitle('Credits');
  const session = useSession();
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
              <CsvDownloadButton
                href={creditsCsvPath(kind)}
                filename="credit-history.csv"
                forbidden="Only owners and admins of the workspace download its history."
              />
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
            <CreditHistoryTable transactions={transactions} now={now} label="Credit history" canRefund={isAdmin} onRefund={setRefunding} />
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
