import type { Installation, Listing } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { formatDateTime, plural, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { useSession } from '../auth/use-session';
import { usePageTitle } from '../layout/use-page-title';
import { useWorkspace } from '../workspace-settings/workspace-api';
import { InstalledItems } from './install-panel';
import { useInstallations, useListingsById, useShareInstallationFigures, useUninstall } from './marketplace-api';
import { MarketplaceHeader } from './marketplace-tabs';
import { describeMarketplaceFailure, plainLoadError } from './marketplace-wording';
import { UpgradeDialog } from './upgrade-dialog';

function UninstallDialog({ installation, onClose }: { installation: Installation; onClose: () => void }) {
  const uninstall = useUninstall();
  const [failure, setFailure] = useState<string | null>(null);
  const confirm = () =>
    uninstall.mutate(installation.id, {
      onSuccess: () => {
        showToast(`Uninstalled ${installation.listingTitle}: what it created is deleted.`, 'success');
        onClose();
      },
      onError: (error) => setFailure(describeMarketplaceFailure(error)),
    });
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title={`Uninstall ${installation.listingTitle}?`}
      description={`This deletes the ${plural(installation.items.length, 'item')} it created that still exist, with their own history. Reviews you wrote stay.`}
    >
      <div className="flex min-w-0 flex-col gap-3">
        <InstalledItems items={installation.items} label="What uninstalling deletes" />
        {failure ? (
          <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
            {failure}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <button type="button" className="brutal-button" data-variant="danger" onClick={confirm} disabled={uninstall.isPending}>
            Uninstall {installation.listingTitle}
          </button>
          <button type="button" className="brutal-button" onClick={onClose}>
            Keep it
          </button>
        </div>
      </div>
    </Dialog>
  );
}

/** The installer's consent to show this installation's results (never naming the workspace) on its listing's page. */
function ShareFiguresSwitch({ installation }: { installation: Installation }) {
  const id = useId();
  const share = useShareInstallationFigures();
  const [failure, setFailure] = useState<string | null>(null);
  const change = (shareFigures: boolean) => {
    setFailure(null);
    share.mutate(
      { installationId: installation.id, shareFigures },
      {
        onSuccess: (updated) =>
          showToast(
            updated.shareFigures
              ? `The results of ${installation.listingTitle} here are now shared on its listing’s page.`
              : `The results of ${installation.listingTitle} here are no longer shared on its listing’s page.`,
            'success',
          ),
        onError: (error) =>
          setFailure(
            `${shareFigures ? 'Could not start sharing' : 'Could not stop sharing'} the results: ${describeMarketplaceFailure(error, 'share')}`,
          ),
      },
    );
  };
  const checked = share.isPending && share.variables ? share.variables.shareFigures : installation.shareFigures;
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label className="flex items-start gap-2 self-start text-sm font-bold" htmlFor={`${id}-share`}>
        <input
          id={`${id}-share`}
          type="checkbox"
          className="mt-0.5 size-4 shrink-0 accent-[var(--color-signal)]"
          checked={checked}
          disabled={share.isPending}
          aria-describedby={`${id}-share-hint`}
          onChange={(event) => change(event.target.checked)}
        />
        Share results on the listing’s page
      </label>
      <p id={`${id}-share-hint`} className="text-xs">
        Tasks done, success rate and cost per task of what it installed count in the listing’s figures, without naming your workspace.
      </p>
      {failure ? (
        <p role="alert" className="border-2 border-ink bg-status-blocked p-2 text-sm font-bold text-black">
          {failure}
        </p>
      ) : null}
    </div>
  );
}

function InstallationCard({
  installation,
  listing,
  listingGone,
  now,
}: {
  installation: Installation;
  listing: Listing | undefined;
  listingGone: boolean;
  now: number;
}) {
  const [dialog, setDialog] = useState<'upgrade' | 'uninstall' | null>(null);
  const active = installation.status === 'active';
  const newer = listing && listing.latestVersion !== installation.version ? listing.latestVersion : undefined;
  return (
    <li className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" data-testid="installation">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 className="min-w-0 text-lg font-black break-words">
          {listingGone ? (
            installation.listingTitle
          ) : (
            <Link to={`/marketplace/listings/${installation.listingId}`} className="hover:underline">
              {installation.listingTitle}
            </Link>
          )}
        </h2>
        <span className="border-2 border-ink px-1.5 font-mono text-xs font-bold uppercase">
          {active ? `version ${installation.version}` : 'uninstalled'}
        </span>
      </div>
      <p className="text-sm">
        Installed by {installation.installedBy.name},{' '}
        <time dateTime={installation.createdAt} title={formatDateTime(installation.createdAt)}>
          {relativeTime(installation.createdAt, now, 'long')}
        </time>
        {installation.updatedAt !== installation.createdAt ? `; changed ${relativeTime(installation.updatedAt, now, 'long')}` : ''}.
      </p>
      {active ? <InstalledItems items={installation.items} label={`What ${installation.listingTitle} created`} /> : null}
      {listingGone ? (
        <p className="text-sm">The listing was taken off the marketplace: what it installed keeps working, with no more upgrades.</p>
      ) : null}
      {installation.status !== 'uninstalled' ? <ShareFiguresSwitch installation={installation} /> : null}
      {active && newer ? <p className="font-bold">Version {newer} is out.</p> : null}
      {active ? (
        <div className="flex flex-wrap gap-2">
          {newer ? (
            <button type="button" className="brutal-button" data-variant="primary" onClick={() => setDialog('upgrade')}>
              Upgrade to {newer}
            </button>
          ) : listing ? (
            <span className="self-center text-sm">Up to date.</span>
          ) : null}
          <button type="button" className="brutal-button" onClick={() => setDialog('uninstall')}>
            Uninstall
          </button>
        </div>
      ) : null}
      {newer ? (
        <UpgradeDialog
          installation={installation}
          version={newer}
          open={dialog === 'upgrade'}
          onOpenChange={(open) => setDialog(open ? 'upgrade' : null)}
        />
      ) : null}
      {dialog === 'uninstall' ? <UninstallDialog installation={installation} onClose={() => setDialog(null)} /> : null}
    </li>
  );
}

/**
 * Marketplace → Installed: what was installed into this workspace, each with what it created
 * (links to the agents, workflows and skills), Upgrade when a newer version is out (after a
 * preview of every change) and Uninstall (after confirming).
 */
export default function InstalledPage() {
  usePageTitle('Installed from marketplace');
  const id = useId();
  const session = useSession();
  const workspace = useWorkspace();
  const [showUninstalled, setShowUninstalled] = useState(false);
  const installations = useInstallations(showUninstalled ? 'all' : 'active');
  const listingIds = [...new Set((installations.data ?? []).map((installation) => installation.listingId))];
  const listings = useListingsById(listingIds);
  const now = useNow();
  const workspaceName = workspace.data?.name ?? session?.workspace.name ?? 'this workspace';

  return (
    <div className="mx-auto flex w-full max-w-5xl min-w-0 flex-col gap-4">
      <MarketplaceHeader title="Installed" />
      <p>
        What was installed into <span className="font-bold">{workspaceName}</span> from the marketplace. Upgrading keeps what you changed
        yourself.
      </p>
      <label className="flex items-center gap-2 self-start text-sm font-bold" htmlFor={`${id}-all`}>
        <input
          id={`${id}-all`}
          type="checkbox"
          className="size-4 accent-[var(--color-signal)]"
          checked={showUninstalled}
          onChange={(event) => setShowUninstalled(event.target.checked)}
        />
        Show uninstalled ones too
      </label>
      {installations.isPending ? <SkeletonList rows={2} className="h-32" /> : null}
      {installations.isError ? (
        <ErrorState error={plainLoadError(installations.error)} what="the installations" onRetry={() => void installations.refetch()} />
      ) : null}
      {installations.data?.length === 0 ? (
        <EmptyState title="Nothing installed yet">
          <Link to="/marketplace" className="font-bold underline">
            Browse the marketplace
          </Link>{' '}
          and install an agent, workflow or skill.
        </EmptyState>
      ) : null}
      <ul className="flex flex-col gap-3" aria-label="Installations">
        {installations.data?.map((installation) => {
          const listing = listings.get(installation.listingId);
          const gone = isMissionControlError(listing?.error) && listing?.error.code === 'LISTING_NOT_FOUND';
          return (
            <InstallationCard key={installation.id} installation={installation} listing={listing?.data} listingGone={gone} now={now} />
          );
        })}
      </ul>
    </div>
  );
}
