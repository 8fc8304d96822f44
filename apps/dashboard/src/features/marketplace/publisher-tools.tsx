import { type Listing, type ListingProblem, semverSchema, updateListingSchema } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { type FormEvent, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { Dialog } from '../../components/dialog';
import { FieldError } from '../../components/field-error';
import { collectFieldErrors, serverIssuesOn } from '../../lib/form-errors';
import { showToast } from '../../lib/toasts';
import { ContentProblems, contentProblemsOf } from './content-problems';
import {
  describeListingIssue,
  fieldValuesOf,
  type ListingFieldErrors,
  type ListingFieldValues,
  toListingBody,
  withoutChangedErrors,
} from './listing-field-values';
import { ListingFields } from './listing-fields';
import { useDeleteListing, useListingVersion, usePublishVersion, useUpdateListing } from './marketplace-api';
import { describeMarketplaceFailure, nextVersions } from './marketplace-wording';

const listingFields = ['title', 'summary', 'description', 'category', 'tags', 'visibility', 'pricing'];

function FormAlert({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
      {message}
    </p>
  );
}

/** A form's submit button beside Cancel. */
function FormButtons({ submitLabel, pending, onCancel }: { submitLabel: string; pending: boolean; onCancel: () => void }) {
  return (
    <div className="flex flex-wrap gap-2">
      <button type="submit" className="brutal-button" data-variant="primary" disabled={pending}>
        {submitLabel}
      </button>
      <button type="button" className="brutal-button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** Changes a listing's text, category, tags, visibility and price: only what changed is sent. */
function EditListingForm({ listing, onDone }: { listing: Listing; onDone: () => void }) {
  const id = useId();
  const update = useUpdateListing(listing.id);
  const [values, setValues] = useState<ListingFieldValues>(() => fieldValuesOf(listing));
  const [errors, setErrors] = useState<ListingFieldErrors>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wanted = toListingBody(values);
    const before = toListingBody(fieldValuesOf(listing));
    const body = Object.fromEntries(
      Object.entries(wanted).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key as keyof typeof before])),
    );
    if (Object.keys(body).length === 0) {
      setErrors({ form: 'Nothing to save: change a field first.' });
      return;
    }
    const parsed = updateListingSchema.safeParse(body);
    if (!parsed.success) {
      setErrors(collectFieldErrors(parsed.error.issues, describeListingIssue));
      return;
    }
    setErrors({});
    try {
      await update.mutateAsync(parsed.data);
      showToast(`Saved ${parsed.data.title ?? listing.title}.`, 'success');
      onDone();
    } catch (failure) {
      const located = serverIssuesOn(failure, listingFields);
      setErrors(
        located.length > 0 ? collectFieldErrors(located, describeListingIssue) : { form: describeMarketplaceFailure(failure, 'edit') },
      );
    }
  };

  return (
    <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-3" aria-label={`Edit ${listing.title}`}>
      <ListingFields
        idPrefix={`${id}-edit`}
        values={values}
        errors={errors}
        onChange={(next) => {
          setErrors(withoutChangedErrors(errors, values, next));
          setValues(next);
        }}
      />
      <FormAlert message={errors.form} />
      <FormButtons submitLabel="Save listing" pending={update.isPending} onCancel={onDone} />
    </form>
  );
}

/** A new, higher version with its changelog, built again from the sources unless the person keeps the content. */
function NewVersionForm({ listing, onDone }: { listing: Listing; onDone: () => void }) {
  const id = useId();
  const publish = usePublishVersion(listing.id);
  const latest = useListingVersion(listing.id, listing.latestVersion);
  const [version, setVersion] = useState('');
  const [changelog, setChangelog] = useState('');
  const [refresh, setRefresh] = useState(true);
  const [errors, setErrors] = useState<{ version?: string; changelog?: string; form?: string }>({});
  const [problems, setProblems] = useState<ListingProblem[] | null>(null);
  const suggestions = nextVersions(listing.latestVersion);
  const content = latest.data?.content;
  const names = {
    agents: content?.agents.map((agent) => agent.name) ?? [],
    workflows: content?.workflows.map((workflow) => workflow.definition.name) ?? [],
    skills: content?.skills.map((skill) => skill.name) ?? [],
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!semverSchema.safeParse(version.trim()).success)
      found.version = `A version is three numbers such as ${suggestions[1] ?? '1.1.0'} (a pre-release such as 2.0.0-beta.1 is fine).`;
    if (!changelog.trim()) found.changelog = 'Say what changed, so people know whether to upgrade.';
    setErrors(found);
    setProblems(null);
    if (Object.keys(found).length > 0) return;
    try {
      const saved = await publish.mutateAsync({ version: version.trim(), changelog: changelog.trim(), refreshFromSource: refresh });
      showToast(`Published version ${saved.latestVersion} of ${listing.title}.`, 'success');
      onDone();
    } catch (failure) {
      const unsafe = contentProblemsOf(failure);
      if (unsafe) setProblems(unsafe);
      else if (isMissionControlError(failure) && failure.code === 'LISTING_VERSION_NOT_HIGHER')
        setErrors({ version: describeMarketplaceFailure(failure, 'version') });
      else setErrors({ form: describeMarketplaceFailure(failure, 'version') });
    }
  };

  return (
    <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-3" aria-label={`New version of ${listing.title}`}>
      <p className="text-sm">
        The latest is version {listing.latestVersion}. Installed copies keep their version until their workspace upgrades.
      </p>
      <div>
        <label className="brutal-label" htmlFor={`${id}-version`}>
          Version
        </label>
        <input
          id={`${id}-version`}
          className="brutal-input"
          value={version}
          placeholder={suggestions[1] ?? '1.1.0'}
          aria-invalid={Boolean(errors.version)}
          aria-describedby={errors.version ? `${id}-version-error` : undefined}
          onChange={(event) => setVersion(event.target.value)}
        />
        <FieldError id={`${id}-version-error`} message={errors.version} />
      </div>
      <div>
        <label className="brutal-label" htmlFor={`${id}-changelog`}>
          What changed (markdown)
        </label>
        <textarea
          id={`${id}-changelog`}
          rows={4}
          className="brutal-input"
          value={changelog}
          aria-invalid={Boolean(errors.changelog)}
          aria-describedby={errors.changelog ? `${id}-changelog-error` : undefined}
          onChange={(event) => setChangelog(event.target.value)}
        />
        <FieldError id={`${id}-changelog-error`} message={errors.changelog} />
      </div>
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          className="mt-1 accent-[var(--color-signal)]"
          checked={refresh}
          onChange={(event) => setRefresh(event.target.checked)}
        />
        <span>Build it again from the agents, workflows and skills it was published from (untick to keep the latest content).</span>
      </label>
      {problems ? <ContentProblems problems={problems} names={names} /> : null}
      <FormAlert message={errors.form} />
      <FormButtons submitLabel="Publish version" pending={publish.isPending} onCancel={onDone} />
    </form>
  );
}

/** For the publisher: edit the listing, publish a new version, or delete it (after confirming). */
export function PublisherTools({ listing }: { listing: Listing }) {
  const [open, setOpen] = useState<'edit' | 'version' | 'delete' | null>(null);
  const remove = useDeleteListing(listing.id);
  const navigate = useNavigate();
  const [deleteFailure, setDeleteFailure] = useState<string | undefined>();
  const close = () => setOpen(null);
  const confirmDelete = () =>
    remove.mutate(undefined, {
      onSuccess: () => {
        showToast(`${listing.title} is off the marketplace.`, 'success');
        navigate('/marketplace/mine');
      },
      onError: (failure) => setDeleteFailure(describeMarketplaceFailure(failure, 'delete')),
    });

  return (
    <section className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" aria-labelledby={`tools-${listing.id}`}>
      <h2 id={`tools-${listing.id}`} className="text-xl font-black uppercase">
        Your listing
      </h2>
      <p className="text-sm">You publish it, so you can change it, publish new versions and take it off the marketplace.</p>
      <div className="flex flex-wrap gap-2">
        <button type="button" className="brutal-button" onClick={() => setOpen('edit')}>
          Edit listing
        </button>
        <button type="button" className="brutal-button" onClick={() => setOpen('version')}>
          Publish a new version
        </button>
        <button type="button" className="brutal-button" data-variant="danger" onClick={() => setOpen('delete')}>
          Delete listing
        </button>
      </div>
      <Dialog open={open === 'edit'} onOpenChange={(next) => setOpen(next ? 'edit' : null)} title={`Edit ${listing.title}`}>
        <EditListingForm listing={listing} onDone={close} />
      </Dialog>
      <Dialog open={open === 'version'} onOpenChange={(next) => setOpen(next ? 'version' : null)} title="Publish a new version">
        <NewVersionForm listing={listing} onDone={close} />
      </Dialog>
      <Dialog
        open={open === 'delete'}
        onOpenChange={(next) => {
          setDeleteFailure(undefined);
          setOpen(next ? 'delete' : null);
        }}
        title={`Delete ${listing.title}?`}
        description="Nobody can find or install it any more. What was installed stays in those workspaces, and forks keep their credit."
      >
        <div className="flex flex-col gap-3">
          <FormAlert message={deleteFailure} />
          <div className="flex flex-wrap gap-2">
            <button type="button" className="brutal-button" data-variant="danger" onClick={confirmDelete} disabled={remove.isPending}>
              Delete {listing.title}
            </button>
            <button type="button" className="brutal-button" onClick={close}>
              Keep it
            </button>
          </div>
        </div>
      </Dialog>
    </section>
  );
}
