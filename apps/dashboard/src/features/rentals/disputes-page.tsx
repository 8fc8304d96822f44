import type { Dispute } from '@mission-control/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { ViewButtons } from '../../components/decision-controls';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatDateTime, plural, relativeTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useSession } from '../auth/use-session';
import { useIsServerAdmin } from '../credits/credits-api';
import { usePageTitle } from '../layout/use-page-title';
import { MarketplaceHeader } from '../marketplace/marketplace-tabs';
import { formatCredits } from '../marketplace/marketplace-wording';
import { useMyWorkspaces } from '../organizations/organizations-api';
import { Moment } from './moment';
import { type DisputeView, useDisputes } from './rentals-api';
import { describeRentalsFailure, disputeStatusLabels, rentalStatusLabels } from './rentals-wording';
import { ResolveDisputeForm } from './resolve-dispute-form';

const views: { status: DisputeView; label: string }[] = [
  { status: 'all', label: 'All' },
  { status: 'open', label: 'Open' },
  { status: 'resolved', label: 'Resolved' },
];

function Resolution({ resolution, now }: { resolution: NonNullable<Dispute['resolution']>; now: number }) {
  return (
    <div className="flex min-w-0 flex-col gap-1 border-2 border-ink bg-paper-alt p-2 text-sm" data-testid="dispute-resolution">
      <p className="font-bold">
        {resolution.refunded > 0 ? `Refunded ${formatCredits(resolution.refunded)} to the workspace` : 'Nothing refunded'}
        {', '}
        {resolution.released > 0 ? `released ${formatCredits(resolution.released)} to the publisher` : 'nothing released to the publisher'}.
      </p>
      <p>
        By {resolution.by.name},{' '}
        <time dateTime={resolution.at} title={formatDateTime(resolution.at)}>
          {relativeTime(resolution.at, now, 'long')}
        </time>
        : “{resolution.reason}”
      </p>
    </div>
  );
}

function DisputeCard({
  dispute,
  now,
  admin,
  workspaceName,
}: {
  dispute: Dispute;
  now: number;
  admin: boolean;
  workspaceName: string | undefined;
}) {
  return (
    <li className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" data-testid="dispute">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="min-w-0 text-lg font-black break-words">
          <Link to={`/marketplace/listings/${dispute.listing.id}`} className="underline hover:no-underline">
            {dispute.listing.title}
          </Link>
        </h2>
        <span className="border-2 border-ink px-1.5 font-mono text-xs font-bold uppercase" data-testid="dispute-status">
          {disputeStatusLabels[dispute.status]}
        </span>
      </div>
      <p className="text-sm break-words">
        Opened by <span className="font-bold">{dispute.openedBy.name}</span>
        {workspaceName ? <> of {workspaceName}</> : null},{' '}
        <time dateTime={dispute.createdAt} title={formatDateTime(dispute.createdAt)}>
          {relativeTime(dispute.createdAt, now, 'long')}
        </time>
        :
      </p>
      <blockquote className="border-l-4 border-ink pl-2 break-words whitespace-pre-wrap">{dispute.reason}</blockquote>
      <dl className="grid min-w-0 grid-cols-1 gap-2 text-sm sm:grid-cols-2">
        <div className="min-w-0">
          <dt className="font-bold uppercase">Rented</dt>
          <dd>
            <Moment at={dispute.rental.startsAt} now={now} /> until <Moment at={dispute.rental.endsAt} now={now} />
          </dd>
        </div>
        <div>
          <dt className="font-bold uppercase">Price</dt>
          <dd>
            {formatCredits(dispute.rental.priceCredits)} · {rentalStatusLabels[dispute.rental.status].toLowerCase()}
          </dd>
        </div>
      </dl>
      {dispute.resolution ? <Resolution resolution={dispute.resolution} now={now} /> : null}
      {admin && dispute.status === 'open' ? <ResolveDisputeForm dispute={dispute} /> : null}
    </li>
  );
}

/**
 * Marketplace → Disputes: the workspace's disputes over rentals, with their reason, period, price
 * and resolution; server administrators see every workspace's and resolve the open ones.
 */
export default function DisputesPage() {
  usePageTitle('Disputes');
  const session = useSession();
  const admin = useIsServerAdmin();
  const isAdmin = admin.data === true;
  const [view, setView] = useState<DisputeView>('all');
  const disputes = useDisputes(view);
  // An administrator sees other workspaces' disputes: named by the workspaces they belong to, never by id.
  const workspaces = useMyWorkspaces(isAdmin);
  const now = useNow();
  const list = disputes.data ?? [];
  const names = new Map((workspaces.data ?? []).map((each) => [each.workspace.id, each.workspace.name]));
  const workspaceName = session?.workspace.name ?? 'this workspace';

  return (
    <div className="mx-auto flex w-full max-w-5xl min-w-0 flex-col gap-4">
      <MarketplaceHeader title="Disputes" />
      <p>
        {isAdmin
          ? 'As a server administrator you see the disputes of every workspace, and resolve the open ones: refund the workspace all or part of the price, or release it to the publisher.'
          : `Disputes over ${workspaceName}’s rentals. A server administrator (an owner of the organisation this server started with) resolves each one; until then the price stays in escrow.`}
      </p>
      <ViewButtons views={views} value={view} onChange={setView} />
      {disputes.isPending ? <SkeletonList rows={2} className="h-40" /> : null}
      {disputes.isError ? (
        <ErrorState error={new Error(describeRentalsFailure(disputes.error))} what="the disputes" onRetry={() => void disputes.refetch()} />
      ) : null}
      {disputes.data && list.length === 0 ? (
        <EmptyState title={view === 'all' ? 'No disputes' : `No ${disputeStatusLabels[view].toLowerCase()} disputes`}>
          A running rental is disputed from the{' '}
          <Link to="/marketplace/rentals" className="underline">
            Rentals
          </Link>{' '}
          page while its price is held in escrow.
        </EmptyState>
      ) : null}
      {list.length > 0 ? (
        <>
          <p className="text-sm" aria-live="polite">
            {plural(list.length, 'dispute')}, newest first.
          </p>
          <ul className="flex min-w-0 flex-col gap-3" aria-label="Disputes">
            {list.map((dispute) => (
              <DisputeCard
                key={dispute.id}
                dispute={dispute}
                now={now}
                admin={isAdmin}
                workspaceName={isAdmin ? names.get(dispute.workspaceId) : undefined}
              />
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
