import type { Installation, InstalledItem, Listing, Subscription } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { type FormEvent, useId, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { FieldError } from '../../components/field-error';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { useSession } from '../auth/use-session';
import { useBoughtListings } from '../credits/credits-api';
import { useCurrentRental } from '../rentals/rentals-api';
import { momentInWords } from '../rentals/rentals-wording';
import { StoppedNote, SubscribedNote } from '../subscriptions/subscription-notes';
import { useCurrentSubscription } from '../subscriptions/subscriptions-api';
import { useWorkspace } from '../workspace-settings/workspace-api';
import { BuyButton } from './buy-button';
import { PriceTag } from './listing-card';
import { useForkListing, useInstallListing } from './marketplace-api';
import { describeMarketplaceFailure } from './marketplace-wording';

/** Where an installed item lives in the dashboard. */
export function itemPath(item: Pick<InstalledItem, 'kind' | 'id'>): string {
  return item.kind === 'agent' ? `/agents/${item.id}` : item.kind === 'skill' ? `/skills/${item.id}` : `/workflows/${item.id}`;
}

/** What an installation created, each a link to its page. */
export function InstalledItems({ items, label }: { items: readonly InstalledItem[]; label: string }) {
  if (items.length === 0) return <p className="text-sm">Nothing was created.</p>;
  return (
    <ul className="flex flex-col gap-1" aria-label={label}>
      {items.map((item) => (
        <li key={`${item.kind}-${item.id}`} className="break-words">
          <span className="font-mono text-xs uppercase">{item.kind}</span>{' '}
          <Link to={itemPath(item)} className="font-bold underline">
            {item.name}
          </Link>
          {item.name !== item.templateName ? <span className="text-sm"> (from {item.templateName})</span> : null}
        </li>
      ))}
    </ul>
  );
}

const prefixPattern = /^[A-Za-z0-9._-]*$/;

/**
 * Install (into the workspace the person is signed in to, with an optional name prefix for its
 * agents) and Fork. A one-off listing the workspace has not bought shows Buy first, a rental one
 * not rented now shows Rent (and, once rented, until when), and one priced monthly or by use
 * without a live subscription shows Subscribe (once subscribed, until when; stopped, why).
 */
export function InstallPanel({ listing }: { listing: Listing }) {
  const id = useId();
  const session = useSession();
  const workspace = useWorkspace();
  const install = useInstallListing(listing.id);
  const fork = useForkListing(listing.id);
  const navigate = useNavigate();
  const [prefix, setPrefix] = useState('');
  const [prefixError, setPrefixError] = useState<string | undefined>();
  const [shareFigures, setShareFigures] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [installed, setInstalled] = useState<Installation | null>(null);
  const workspaceName = workspace.data?.name ?? session?.workspace.name ?? 'this workspace';
  const paid = listing.pricing.model !== 'free';
  const oneOff = listing.pricing.model === 'one-off' ? listing.pricing : null;
  const rental = listing.pricing.model === 'rental' ? listing.pricing : null;
  const viewer = session?.role === 'viewer';
  const manages = session?.role === 'owner' || session?.role === 'admin';
  const owned = useBoughtListings(oneOff !== null && !listing.canEdit && manages);
  const [justBought, setJustBought] = useState(false);
  const bought = justBought || Boolean(owned.data?.has(listing.id));
  const currentRental = useCurrentRental(listing.id, rental !== null && !listing.canEdit && !viewer);
  const [justRentedUntil, setJustRentedUntil] = useState<string | null>(null);
  const rentedUntil = justRentedUntil ?? currentRental.data?.endsAt ?? null;
  const subscribable = listing.pricing.model === 'subscription' || listing.pricing.model === 'usage' ? listing.pricing : null;
  const currentSubscription = useCurrentSubscription(listing.id, subscribable !== null && !listing.canEdit && !viewer);
  const [justSubscribed, setJustSubscribed] = useState<Subscription | null>(null);
  // The server's list once it has the new subscription (it may have stopped since), the purchase's answer until then.
  const subscription = currentSubscription.data ?? justSubscribed;
  const now = useNow();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const namePrefix = prefix.trim();
    if (namePrefix.length > 20 || !prefixPattern.test(namePrefix)) {
      setPrefixError('A prefix is up to 20 letters, digits, dots, dashes or underscores, such as my-.');
      return;
    }
    setPrefixError(undefined);
    setFailure(null);
    try {
      const installation = await install.mutateAsync({ namePrefix, shareFigures });
      setInstalled(installation);
      showToast(`Installed ${listing.title} into ${workspaceName}.`, 'success');
    } catch (error) {
      const accessOver = isMissionControlError(error) && error.code === 'LISTING_PAYMENT_REQUIRED';
      if (accessOver && rental !== null) {
        setJustRentedUntil(null);
        void currentRental.refetch();
      }
      if (accessOver && subscribable !== null) {
        setJustSubscribed(null);
        void currentSubscription.refetch();
      }
      setFailure(
        accessOver && rental !== null
          ? 'The rental has ended meanwhile: rent it again to install it.'
          : accessOver && subscribable !== null
            ? 'The subscription stopped or ended meanwhile: what to do now is shown above.'
            : describeMarketplaceFailure(error, 'install'),
      );
    }
  };

  const forkIt = () =>
    fork.mutate(undefined, {
      onSuccess: (copy) => {
        showToast(`Forked ${listing.title}: your copy is unlisted and free until you change it.`, 'success');
        navigate(`/marketplace/listings/${copy.id}`);
      },
      onError: (error) => showToast(describeMarketplaceFailure(error, 'fork'), 'error'),
    });

  return (
    <section className="flex min-w-0 flex-col gap-3 border-[3px] border-ink bg-paper-alt p-3" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="text-xl font-black uppercase">
        Install
      </h2>
      <p>
        <PriceTag listing={listing} />
      </p>
      {viewer ? (
        <p>Viewers of a workspace cannot buy or install into it: ask one of its members or admins.</p>
      ) : oneOff !== null && !listing.canEdit && !bought ? (
        owned.isPending && manages ? (
          <p className="text-sm">Checking whether {workspaceName} bought it already…</p>
        ) : (
          <BuyButton listing={listing} pricing={oneOff} workspaceName={workspaceName} onBought={() => setJustBought(true)} />
        )
      ) : rental !== null && !listing.canEdit && rentedUntil === null ? (
        currentRental.isPending ? (
          <p className="text-sm">Checking whether {workspaceName} rents it already…</p>
        ) : (
          <BuyButton
            listing={listing}
            pricing={rental}
            workspaceName={workspaceName}
            onBought={(answer) => {
              if (answer?.rental) setJustRentedUntil(answer.rental.endsAt);
            }}
          />
        )
      ) : subscribable !== null && !listing.canEdit && subscription?.status !== 'active' ? (
        currentSubscription.isPending ? (
          <p className="text-sm">Checking whether {workspaceName} subscribes to it already…</p>
        ) : subscription?.status === 'stopped' ? (
          <StoppedNote subscription={subscription} />
        ) : (
          <BuyButton
            listing={listing}
            pricing={subscribable}
            workspaceName={workspaceName}
            onBought={(answer) => {
              if (answer?.subscription) setJustSubscribed(answer.subscription);
            }}
          />
        )
      ) : (
        <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-2" aria-label={`Install ${listing.title}`}>
          {paid && listing.canEdit ? <p className="text-sm">You publish this listing, so you install it without buying it.</p> : null}
          {oneOff !== null && !listing.canEdit ? <p className="text-sm font-bold">{workspaceName} owns it: install it.</p> : null}
          {rental !== null && rentedUntil !== null && !listing.canEdit ? (
            <p className="text-sm" data-testid="rental-period">
              <span className="font-bold">Rented until {momentInWords(rentedUntil, now)}.</span> Then what it installed is paused.{' '}
              <Link to="/marketplace/rentals" className="underline">
                The workspace’s rentals
              </Link>
            </p>
          ) : null}
          {subscribable !== null && subscription !== null && !listing.canEdit ? (
            <SubscribedNote subscription={subscription} now={now} />
          ) : null}
          <div>
            <label className="brutal-label" htmlFor={`${id}-prefix`}>
              Name prefix (optional)
            </label>
            <input
              id={`${id}-prefix`}
              className="brutal-input"
              value={prefix}
              maxLength={40}
              placeholder="my-"
              aria-invalid={Boolean(prefixError)}
              aria-describedby={`${id}-prefix-hint${prefixError ? ` ${id}-prefix-error` : ''}`}
              onChange={(event) => setPrefix(event.target.value)}
            />
            <p id={`${id}-prefix-hint`} className="mt-1 text-xs">
              Put before the name of each agent it creates. A name already taken gets a number (writer-2).
            </p>
            <FieldError id={`${id}-prefix-error`} message={prefixError} />
          </div>
          <label className="flex items-start gap-2 text-sm" htmlFor={`${id}-share`}>
            <input
              id={`${id}-share`}
              type="checkbox"
              className="mt-0.5 size-4 shrink-0 accent-[var(--color-signal)]"
              checked={shareFigures}
              onChange={(event) => setShareFigures(event.target.checked)}
            />
            <span>
              Share this installation’s results (tasks done, success rate, cost per task) on the listing’s page, without naming your
              workspace
            </span>
          </label>
          <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={install.isPending}>
            {install.isPending ? 'Installing…' : `Install into ${workspaceName}`}
          </button>
          <p className="text-xs">Agents start without keys or model connections: you add your own.</p>
        </form>
      )}
      {failure ? (
        <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {failure}
        </p>
      ) : null}
      {installed ? (
        <div className="flex min-w-0 flex-col gap-1 border-2 border-ink bg-paper p-2" data-testid="installed-result">
          <p className="font-bold">
            Installed version {installed.version} into {workspaceName}. It created:
          </p>
          <InstalledItems items={installed.items} label="What the installation created" />
          <Link to="/marketplace/installed" className="text-sm underline">
            Everything installed in this workspace
          </Link>
        </div>
      ) : null}
      <div className="flex min-w-0 flex-col gap-1 border-t-2 border-ink pt-3">
        <button type="button" className="brutal-button self-start" onClick={forkIt} disabled={fork.isPending}>
          Fork
        </button>
        <p className="text-xs">Makes a copy of your own to change and publish, crediting {listing.title}. It starts unlisted and free.</p>
      </div>
    </section>
  );
}
