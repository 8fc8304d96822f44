import { createListingSchema, type ListingKind, type ListingProblem, listingKindSchema } from '@mission-control/contracts';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ErrorState, SkeletonList } from '../../components/states';
import { collectFieldErrors, type FormIssue, serverIssuesOn } from '../../lib/form-errors';
import { showToast } from '../../lib/toasts';
import { useAgents } from '../agents/agents-api';
import { usePageTitle } from '../layout/use-page-title';
import { useSkills } from '../skills/skills-api';
import { useWorkflows } from '../workflows/workflows-api';
import { ContentProblems, contentProblemsOf } from './content-problems';
import {
  describeListingIssue,
  emptyListingFields,
  type ListingField,
  type ListingFieldValues,
  toListingBody,
  withoutChangedErrors,
} from './listing-field-values';
import { ListingFields } from './listing-fields';
import { usePublishListing } from './marketplace-api';
import { MarketplaceHeader } from './marketplace-tabs';
import { type ContentNames, describeMarketplaceFailure, kindExplanations, kindLabels } from './marketplace-wording';
import { BundlePicker, SingleSourcePicker, type SourceKey, type SourceKind, sourceOptions, type WorkspaceSources } from './source-picker';

type Field = ListingField | 'source';

const bodyFields = ['title', 'summary', 'description', 'category', 'tags', 'visibility', 'pricing', 'sourceId', 'sourceIds'];

function describeIssue(issue: FormIssue, kind: ListingKind): [Field, string] {
  const field = String(issue.path[0] ?? '');
  if (field === 'sourceId' || field === 'sourceIds')
    return ['source', kind === 'bundle' ? 'Choose what the bundle holds.' : `Choose the ${kind} to publish.`];
  return describeListingIssue(issue);
}

/**
 * Marketplace → Publish: an agent, workflow or skill of this workspace (or a bundle of them) as a
 * listing, with its text, category, tags, visibility and price. Opened from an agent's page it
 * starts with that agent. Content holding a secret or an id is refused with every problem named.
 */
export default function PublishPage() {
  usePageTitle('Publish to marketplace');
  const id = useId();
  const [parameters] = useSearchParams();
  const navigate = useNavigate();
  const agents = useAgents();
  const workflows = useWorkflows();
  const skills = useSkills({});
  const publish = usePublishListing();
  const [kind, setKind] = useState<ListingKind>(() => listingKindSchema.safeParse(parameters.get('kind')).data ?? 'agent');
  const [sourceId, setSourceId] = useState(() => parameters.get('source') ?? '');
  const [bundle, setBundle] = useState<Set<SourceKey>>(() => new Set());
  const [values, setValues] = useState<ListingFieldValues>(emptyListingFields);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [problems, setProblems] = useState<{ list: ListingProblem[]; names: ContentNames } | null>(null);

  const sources: WorkspaceSources = useMemo(
    () => ({ agents: agents.data ?? [], workflows: workflows.data ?? [], skills: skills.data?.data ?? [] }),
    [agents.data, workflows.data, skills.data],
  );
  const loading = agents.isPending || workflows.isPending || skills.isPending;
  const failed = [agents, workflows, skills].find((query) => query.isError);

  const chooseSource = (next: string) => {
    setSourceId(next);
    setErrors(({ source: _, ...rest }) => rest);
    // The name is a good first title; a title already typed stays.
    const chosen = kind === 'bundle' ? undefined : sourceOptions(sources, kind).find((option) => option.id === next);
    if (chosen && !values.title.trim()) setValues({ ...values, title: chosen.name });
  };

  /** The sources in the order the server builds the content (agents, workflows, skills), with their names. */
  const chosenSources = () => {
    if (kind !== 'bundle') return sourceId ? [{ kind: kind as SourceKind, id: sourceId }] : [];
    return (['agent', 'workflow', 'skill'] as const).flatMap((each) =>
      sourceOptions(sources, each)
        .filter((option) => bundle.has(`${each}:${option.id}`))
        .map((option) => ({ kind: each, id: option.id })),
    );
  };
  const namesOf = (chosen: { kind: SourceKind; id: string }[]): ContentNames => {
    const name = (each: { kind: SourceKind; id: string }) =>
      sourceOptions(sources, each.kind).find((option) => option.id === each.id)?.name ?? each.kind;
    return {
      agents: chosen.filter((each) => each.kind === 'agent').map(name),
      workflows: chosen.filter((each) => each.kind === 'workflow').map(name),
      skills: chosen.filter((each) => each.kind === 'skill').map(name),
    };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblems(null);
    const chosen = chosenSources();
    const body = {
      kind,
      ...(kind === 'bundle' ? (chosen.length > 0 ? { sourceIds: chosen } : {}) : sourceId ? { sourceId } : {}),
      ...toListingBody(values),
    };
    const parsed = createListingSchema.safeParse(body);
    const found: Partial<Record<Field, string>> = parsed.success
      ? {}
      : collectFieldErrors(parsed.error.issues, (issue) => describeIssue(issue, kind));
    if (chosen.length === 0)
      found.source = kind === 'bundle' ? 'Choose at least one agent, workflow or skill for the bundle.' : `Choose the ${kind} to publish.`;
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      const listing = await publish.mutateAsync(body);
      showToast(`Published ${listing.title} to the marketplace.`, 'success');
      navigate(`/marketplace/listings/${listing.id}`);
    } catch (failure) {
      const unsafe = contentProblemsOf(failure);
      if (unsafe) {
        setProblems({ list: unsafe, names: namesOf(chosen) });
        return;
      }
      const located = serverIssuesOn(failure, bodyFields);
      setErrors(
        located.length > 0
          ? collectFieldErrors(located, (issue) => describeIssue(issue, kind))
          : { form: describeMarketplaceFailure(failure, 'publish') },
      );
    }
  };

  return (
    <div className="mx-auto flex w-full max-w-4xl min-w-0 flex-col gap-4">
      <MarketplaceHeader title="Publish to marketplace" />
      <p className="max-w-3xl">
        What you publish is a template: names, roles, capabilities, memory, instructions and steps travel; keys, model connections, ids and
        history never do. Anything that still looks like a secret stops publishing, and you are told where.
      </p>
      {loading ? <SkeletonList rows={2} className="h-16" /> : null}
      {failed ? (
        <ErrorState error={failed.error} what="this workspace’s agents, workflows and skills" onRetry={() => void failed.refetch()} />
      ) : null}
      <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-4 border-[3px] border-ink p-3" aria-label="Publish a listing">
        <fieldset className="min-w-0">
          <legend className="brutal-label">What to publish</legend>
          <div className="grid min-w-0 grid-cols-1 gap-2 sm:grid-cols-2">
            {listingKindSchema.options.map((option) => (
              <label key={option} className="flex min-w-0 items-start gap-2 border-2 border-ink p-2 text-sm">
                <input
                  type="radio"
                  name={`${id}-kind`}
                  value={option}
                  checked={kind === option}
                  onChange={() => {
                    setKind(option);
                    setSourceId('');
                    setErrors({});
                  }}
                  className="mt-1 accent-[var(--color-signal)]"
                />
                <span className="min-w-0">
                  <span className="font-bold">{kindLabels[option]}</span> — {kindExplanations[option]}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {kind === 'bundle' ? (
          <BundlePicker
            id={`${id}-bundle`}
            sources={sources}
            chosen={bundle}
            error={errors.source}
            onToggle={(key) => {
              setErrors(({ source: _, ...rest }) => rest);
              setBundle((current) => {
                const next = new Set(current);
                if (next.has(key)) next.delete(key);
                else next.add(key);
                return next;
              });
            }}
          />
        ) : (
          <SingleSourcePicker
            id={`${id}-source`}
            kind={kind}
            sources={sources}
            value={sourceId}
            error={errors.source}
            onChange={chooseSource}
          />
        )}
        <ListingFields
          idPrefix={`${id}-listing`}
          values={values}
          errors={errors}
          onChange={(next) => {
            setErrors(withoutChangedErrors(errors, values, next));
            setValues(next);
          }}
        />
        {problems ? <ContentProblems problems={problems.list} names={problems.names} /> : null}
        {errors.form ? (
          <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
            {errors.form}
          </p>
        ) : null}
        <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={publish.isPending}>
          {publish.isPending ? 'Publishing…' : 'Publish'}
        </button>
      </form>
    </div>
  );
}
