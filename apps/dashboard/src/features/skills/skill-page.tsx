import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { EmptyState, ErrorState, Skeleton, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { usePageTitle } from '../layout/use-page-title';
import { Markdown } from '../markdown/markdown';
import { usePrincipalDirectory } from '../people/people-api';
import { SkillForm } from './skill-form';
import { describeUsage, useDeleteSkill, useSkill, useSkillVersions, useUpdateSkill } from './skills-api';

export default function SkillPage() {
  const { skillId = '' } = useParams();
  const skill = useSkill(skillId);
  usePageTitle(skill.data ? skill.data.name : 'Skill');
  const directory = usePrincipalDirectory();
  const now = useNow();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const update = useUpdateSkill(skillId);
  const remove = useDeleteSkill(skillId);
  const navigate = useNavigate();
  if (skill.isPending) return <Skeleton className="h-96" />;
  if (skill.isError) return <ErrorState error={skill.error} what="the skill" onRetry={() => void skill.refetch()} />;
  const data = skill.data;
  return (
    <div className="flex flex-col gap-4">
      <nav className="font-mono text-xs">
        <Link to="/skills" className="underline">
          Skills
        </Link>{' '}
        / {data.name}
      </nav>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-3xl font-black uppercase break-words">{data.name}</h1>
        <div className="flex flex-wrap gap-2">
          <button type="button" className="brutal-button" onClick={() => setEditing((value) => !value)}>
            {editing ? 'Stop editing' : 'Edit'}
          </button>
          <button
            type="button"
            className="brutal-button"
            data-variant="danger"
            disabled={remove.isPending}
            onClick={async () => {
              if (!window.confirm(`Delete the skill "${data.name}" with its versions?`)) return;
              try {
                await remove.mutateAsync();
                showToast('Skill deleted.', 'success');
                navigate('/skills');
              } catch (failure) {
                showToast(`Could not delete the skill: ${describeError(failure)}`, 'error');
              }
            }}
          >
            Delete
          </button>
        </div>
      </div>
      <p className="font-mono text-sm">
        version {data.version} · {describeUsage(data.usage)} · by {directory.nameOf(data.author)}, {relativeTime(data.updatedAt, now)}
        {data.sourceTaskId ? (
          <>
            {' · '}
            <Link to={`/tasks?task=${data.sourceTaskId}`} className="underline">
              learned from a task
            </Link>
          </>
        ) : null}
      </p>
      {data.description ? <p>{data.description}</p> : null}
      {data.capabilities.length > 0 ? (
        <p className="flex flex-wrap gap-2 font-mono text-xs">
          {data.capabilities.map((entry) => (
            <span key={entry} className="border-2 border-ink px-1 uppercase">
              {entry}
            </span>
          ))}
        </p>
      ) : null}
      {editing ? (
        <section aria-label="Edit the skill" className="border-[3px] border-ink p-3">
          <SkillForm
            key={data.version}
            idPrefix="edit-skill"
            initial={data}
            submitLabel="Save as a new version"
            pending={update.isPending}
            error={error}
            onSubmit={async (values) => {
              try {
                await update.mutateAsync({ ...values, baseVersion: data.version });
                setError(null);
                setEditing(false);
                showToast('Saved as a new version.', 'success');
              } catch (failure) {
                setError(describeError(failure));
              }
            }}
          />
        </section>
      ) : (
        <section aria-label="Procedure" className="border-[3px] border-ink p-3">
          <Markdown>{data.body}</Markdown>
        </section>
      )}
      <SkillVersions skillId={data.id} />
    </div>
  );
}

function SkillVersions({ skillId }: { skillId: string }) {
  const versions = useSkillVersions(skillId);
  const directory = usePrincipalDirectory();
  const now = useNow();
  return (
    <section aria-label="Versions" className="flex flex-col gap-2">
      <h2 className="text-xl font-black uppercase">Versions</h2>
      {versions.isPending ? <SkeletonList rows={2} /> : null}
      {versions.isError ? <ErrorState error={versions.error} what="the versions" onRetry={() => void versions.refetch()} /> : null}
      {versions.data?.data.length === 0 ? <EmptyState title="No versions">Saving the skill makes its first version.</EmptyState> : null}
      <ol className="flex flex-col gap-2">
        {versions.data?.data.map((version) => (
          <li key={version.version} className="border-2 border-ink p-2">
            <details>
              <summary className="cursor-pointer font-mono text-sm">
                <span className="font-bold">Version {version.version}</span> · {version.name} · by {directory.nameOf(version.author)},{' '}
                {relativeTime(version.createdAt, now)}
              </summary>
              <div className="mt-2">
                <Markdown>{version.body}</Markdown>
              </div>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
