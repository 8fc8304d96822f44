import type { Installation, UpgradeChange } from '@mission-control/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { Dialog } from '../../components/dialog';
import { Skeleton } from '../../components/states';
import { plural } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { VersionDiff } from '../documents/version-diff';
import { itemPath } from './install-panel';
import { useUpgradeInstallation, useUpgradePreview } from './marketplace-api';
import { changeFieldLabel, changeInWords, describeMarketplaceFailure, isLongValue, valueAsText } from './marketplace-wording';

const outcomeTone: Record<UpgradeChange['outcome'], string> = {
  update: 'border-ink',
  'keep-yours': 'border-dashed border-ink',
  add: 'border-ink bg-paper-alt',
};

/** One field's change in words, and for long text a line diff behind a disclosure. */
function ChangeRow({ change }: { change: UpgradeChange }) {
  const long = change.outcome !== 'add' && (isLongValue(change.next) || isLongValue(change.installed) || isLongValue(change.current));
  return (
    <li className={`flex min-w-0 flex-col gap-1 border-2 p-2 break-words ${outcomeTone[change.outcome]}`} data-testid="upgrade-change">
      <p>{changeInWords(change)}</p>
      {long ? (
        <details>
          <summary className="cursor-pointer text-sm font-bold underline">
            Show the {changeFieldLabel(change.field).toLowerCase()} change
          </summary>
          {change.outcome === 'update' ? (
            <VersionDiff
              before={valueAsText(change.installed)}
              after={valueAsText(change.next)}
              beforeLabel="Now"
              afterLabel="After the upgrade"
            />
          ) : (
            <VersionDiff
              before={valueAsText(change.current)}
              after={valueAsText(change.next)}
              beforeLabel="Yours (kept)"
              afterLabel="The new version"
            />
          )}
        </details>
      ) : null}
    </li>
  );
}

/** The changes grouped by the item they touch, in the order the server gave them. */
function groupByItem(changes: readonly UpgradeChange[]) {
  const groups = new Map<string, { item: UpgradeChange['item']; changes: UpgradeChange[] }>();
  for (const change of changes) {
    const key = `${change.item.kind}:${change.item.id ?? change.item.name}`;
    const group = groups.get(key) ?? { item: change.item, changes: [] };
    group.changes.push(change);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function summary(changes: readonly UpgradeChange[]): string {
  const count = (outcome: UpgradeChange['outcome']) => changes.filter((change) => change.outcome === outcome).length;
  const parts = [
    count('update') ? `${plural(count('update'), 'field')} will update` : '',
    count('keep-yours') ? `${plural(count('keep-yours'), 'change')} of yours will stay` : '',
    count('add') ? `${plural(count('add'), 'new item')} will be added` : '',
  ].filter(Boolean);
  return `${parts.join(', ')}.`;
}

/**
 * What upgrading an installation to a version does, before it does it: each field of each item
 * as a readable diff ("Role: Researcher → Senior researcher — will update", "Capabilities: kept
 * yours"), then Upgrade applies exactly that.
 */
export function UpgradeDialog({
  installation,
  version,
  open,
  onOpenChange,
}: {
  installation: Installation;
  version: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const preview = useUpgradePreview(installation.id, version, open);
  const upgrade = useUpgradeInstallation();
  const [failure, setFailure] = useState<string | null>(null);
  const confirm = () =>
    upgrade.mutate(
      { installationId: installation.id, version },
      {
        onSuccess: (upgraded) => {
          showToast(`Upgraded ${installation.listingTitle} to version ${upgraded.version}.`, 'success');
          onOpenChange(false);
        },
        onError: (error) => setFailure(describeMarketplaceFailure(error)),
      },
    );
  const groups = preview.data ? groupByItem(preview.data.changes) : [];

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setFailure(null);
        onOpenChange(next);
      }}
      title={`Upgrade ${installation.listingTitle}?`}
      description={`From version ${installation.version} to ${version}. What you changed yourself stays yours.`}
    >
      <div className="flex min-w-0 flex-col gap-3" data-testid="upgrade-preview">
        {preview.isPending ? <Skeleton className="h-32" label="Working out what the upgrade changes" /> : null}
        {preview.isError ? (
          <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
            {describeMarketplaceFailure(preview.error)}
          </p>
        ) : null}
        {preview.data ? (
          preview.data.changes.length === 0 ? (
            <p>Nothing installed here changes: only the version number moves to {preview.data.to}.</p>
          ) : (
            <>
              <p className="font-bold">{summary(preview.data.changes)}</p>
              {groups.map((group) => (
                <section key={`${group.item.kind}:${group.item.id ?? group.item.name}`} className="flex min-w-0 flex-col gap-2">
                  <h3 className="font-black break-words uppercase">
                    {group.item.kind}{' '}
                    {group.item.id ? (
                      <Link to={itemPath({ kind: group.item.kind, id: group.item.id })} className="underline">
                        {group.item.name}
                      </Link>
                    ) : (
                      group.item.name
                    )}
                  </h3>
                  <ul className="flex flex-col gap-2">
                    {group.changes.map((change) => (
                      <ChangeRow key={`${change.field}-${change.outcome}`} change={change} />
                    ))}
                  </ul>
                </section>
              ))}
            </>
          )
        ) : null}
        {failure ? (
          <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
            {failure}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            className="brutal-button"
            data-variant="primary"
            disabled={!preview.data || upgrade.isPending}
            onClick={confirm}
          >
            Upgrade to {version}
          </button>
          <button type="button" className="brutal-button" onClick={() => onOpenChange(false)}>
            Cancel
          </button>
        </div>
      </div>
    </Dialog>
  );
}
