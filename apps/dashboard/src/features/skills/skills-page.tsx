import { useDeferredValue, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Dialog } from '../../components/dialog';
import { FilterInput } from '../../components/filter-fields';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { relativeTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useUrlFilters } from '../../lib/use-url-filters';
import { usePageTitle } from '../layout/use-page-title';
import { usePrincipalDirectory } from '../people/people-api';
import { SkillForm } from './skill-form';
import { describeUsage, useCreateSkill, useSkills } from './skills-api';

export default function SkillsPage() {
  usePageTitle('Skills');
  const { parameters, setFilter } = useUrlFilters();
  const q = parameters.get('q') ?? '';
  const capability = parameters.get('capability') ?? '';
  const deferredQuery = useDeferredValue(q);
  const skills = useSkills({ q: deferredQuery.trim() || undefined, capability: capability.trim() || undefined });
  const directory = usePrincipalDirectory();
  const now = useNow();

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-black uppercase">Skills</h1>
        <NewSkillButton />
      </div>
      <p className="text-sm">Procedures that solved work before. Agents find them with find_skill and follow them with read_skill.</p>
      <form
        aria-label="Filters"
        className="grid grid-cols-1 gap-3 border-[3px] border-ink p-3 sm:grid-cols-2"
        onSubmit={(event) => event.preventDefault()}
      >
        <FilterInput
          id="skill-search"
          label="Search"
          value={q}
          placeholder="words to look for"
          onChange={(value) => setFilter('q', value)}
        />
        <FilterInput
          id="skill-capability"
          label="Capability"
          value={capability}
          placeholder="ops"
          onChange={(value) => setFilter('capability', value.trim().toLowerCase())}
        />
      </form>
      {skills.isPending ? <SkeletonList rows={4} /> : null}
      {skills.isError ? <ErrorState error={skills.error} what="skills" onRetry={() => void skills.refetch()} /> : null}
      {skills.data?.data.length === 0 ? (
        <EmptyState title={q ? 'No skill matches' : 'No skills yet'}>
          {q ? 'Try other words: any of them may match.' : 'Write one, or turn a done task into a skill from its page.'}
        </EmptyState>
      ) : null}
      <ul className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3">
        {skills.data?.data.map((skill) => (
          <li key={skill.id} className="border-[3px] border-ink p-3 shadow-[var(--shadow-hard-small)]">
            <Link to={`/skills/${skill.id}`} className="text-lg font-black break-words hover:underline">
              {skill.name}
            </Link>
            {skill.description ? <p className="mt-1 text-sm break-words">{skill.description}</p> : null}
            <p className="mt-1 flex flex-wrap gap-2 font-mono text-xs">
              {skill.capabilities.map((entry) => (
                <span key={entry} className="border border-ink px-1 uppercase">
                  {entry}
                </span>
              ))}
              <span>version {skill.version}</span>
              <span>{describeUsage(skill.usage)}</span>
              <span>
                by {directory.nameOf(skill.author)}, {relativeTime(skill.updatedAt, now)}
              </span>
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}

function NewSkillButton() {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const create = useCreateSkill();
  const navigate = useNavigate();
  return (
    <>
      <button type="button" className="brutal-button" data-variant="primary" onClick={() => setOpen(true)}>
        + New skill
      </button>
      <Dialog open={open} onOpenChange={setOpen} title="New skill">
        <SkillForm
          idPrefix="new-skill"
          initial={{ name: '', description: '', body: '', capabilities: [] }}
          submitLabel="Create"
          pending={create.isPending}
          error={error}
          onSubmit={async (values) => {
            try {
              const skill = await create.mutateAsync(values);
              setOpen(false);
              navigate(`/skills/${skill.id}`);
            } catch (failure) {
              setError(describeError(failure));
            }
          }}
        />
      </Dialog>
    </>
  );
}
