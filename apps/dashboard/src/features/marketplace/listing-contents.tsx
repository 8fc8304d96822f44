import type { AgentTemplate, Listing } from '@mission-control/contracts';
import { ErrorState, SkeletonList } from '../../components/states';
import { formatDateTime, plural, relativeTime } from '../../lib/format';
import { Markdown } from '../markdown/markdown';
import { useListingVersion } from './marketplace-api';
import { plainLoadError } from './marketplace-wording';

function Tags({ values, label }: { values: readonly string[]; label: string }) {
  if (values.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-1" aria-label={label}>
      {values.map((value) => (
        <li key={value} className="border border-ink px-1 font-mono text-xs uppercase">
          {value}
        </li>
      ))}
    </ul>
  );
}

function runtimeInWords(agent: AgentTemplate): string {
  if (!agent.runtime) return 'Runs outside Mission Control: you connect it with a key of your own.';
  const model = agent.runtime.model ? `the model ${agent.runtime.model}` : 'a model you choose';
  return `Runs on the built-in runtime with ${model}; you connect your own model key.`;
}

/** Exactly what installing the latest version creates: its agents (role, capabilities), workflows and skills. */
export function ListingContents({ listing }: { listing: Listing }) {
  const version = useListingVersion(listing.id, listing.latestVersion);
  const headingId = `contents-${listing.id}`;
  return (
    <section className="flex min-w-0 flex-col gap-3 border-[3px] border-ink p-3" aria-labelledby={headingId}>
      <h2 id={headingId} className="text-xl font-black uppercase">
        What version {listing.latestVersion} installs
      </h2>
      {version.isPending ? <SkeletonList rows={2} className="h-12" /> : null}
      {version.isError ? (
        <ErrorState error={plainLoadError(version.error)} what="what it installs" onRetry={() => void version.refetch()} />
      ) : null}
      {version.data ? (
        <>
          {version.data.content.agents.length + version.data.content.workflows.length + version.data.content.skills.length === 0 ? (
            <p>This version installs nothing.</p>
          ) : null}
          {version.data.content.agents.length > 0 ? (
            <div className="flex min-w-0 flex-col gap-2">
              <h3 className="font-black uppercase">{plural(version.data.content.agents.length, 'agent')}</h3>
              <ul className="flex flex-col gap-2">
                {version.data.content.agents.map((agent) => (
                  <li key={agent.name} className="flex min-w-0 flex-col gap-1 border-2 border-ink p-2" data-testid="content-agent">
                    <p className="break-words">
                      <span className="font-bold">{agent.name}</span> — {agent.role} ({agent.kind})
                    </p>
                    <Tags values={agent.capabilities} label={`Capabilities of ${agent.name}`} />
                    <p className="text-sm">{runtimeInWords(agent)}</p>
                    {agent.skills.length > 0 ? <p className="text-sm break-words">Uses the skills {agent.skills.join(', ')}.</p> : null}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {version.data.content.workflows.length > 0 ? (
            <div className="flex min-w-0 flex-col gap-2">
              <h3 className="font-black uppercase">{plural(version.data.content.workflows.length, 'workflow')}</h3>
              <ul className="flex flex-col gap-2">
                {version.data.content.workflows.map(({ definition }) => (
                  <li key={definition.name} className="flex min-w-0 flex-col gap-1 border-2 border-ink p-2" data-testid="content-workflow">
                    <p className="break-words">
                      <span className="font-bold">{definition.name}</span> — {plural(definition.steps.length, 'step')}
                    </p>
                    {definition.description ? <p className="text-sm break-words">{definition.description}</p> : null}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {version.data.content.skills.length > 0 ? (
            <div className="flex min-w-0 flex-col gap-2">
              <h3 className="font-black uppercase">{plural(version.data.content.skills.length, 'skill')}</h3>
              <ul className="flex flex-col gap-2">
                {version.data.content.skills.map((skill) => (
                  <li key={skill.name} className="flex min-w-0 flex-col gap-1 border-2 border-ink p-2" data-testid="content-skill">
                    <p className="font-bold break-words">{skill.name}</p>
                    {skill.description ? <p className="text-sm break-words">{skill.description}</p> : null}
                    <Tags values={skill.capabilities} label={`Capabilities of ${skill.name}`} />
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** Every version, newest first, with when it came out and its changelog. */
export function ListingVersions({ listing, now }: { listing: Listing; now: number }) {
  const headingId = `versions-${listing.id}`;
  return (
    <section className="flex min-w-0 flex-col gap-3 border-[3px] border-ink p-3" aria-labelledby={headingId}>
      <h2 id={headingId} className="text-xl font-black uppercase">
        Versions
      </h2>
      <ol className="flex flex-col gap-3">
        {listing.versions.map((version) => (
          <li key={version.version} className="flex min-w-0 flex-col gap-1 border-l-[6px] border-ink pl-3" data-testid="listing-version">
            <p className="flex flex-wrap items-baseline gap-x-2">
              <span className="font-black">Version {version.version}</span>
              {version.version === listing.latestVersion ? <span className="font-mono text-xs uppercase"> (latest)</span> : null}
              {' · '}
              <time dateTime={version.createdAt} title={formatDateTime(version.createdAt)} className="text-sm">
                {relativeTime(version.createdAt, now, 'long')}
              </time>
            </p>
            <Markdown>{version.changelog || 'No changelog.'}</Markdown>
          </li>
        ))}
      </ol>
    </section>
  );
}
