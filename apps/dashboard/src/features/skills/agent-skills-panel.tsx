import { Link } from 'react-router';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { relativeTime } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { describeUsage, useAgentSkills } from './skills-api';

/** The skills an agent read for its tasks, and how those tasks ended. */
export function AgentSkillsPanel({ agentId, agentName }: { agentId: string; agentName: string }) {
  const skills = useAgentSkills(agentId);
  const now = useNow();
  return (
    <section aria-label="Skills used" className="flex flex-col gap-2 border-[3px] border-ink p-3">
      <h2 className="text-xl font-black uppercase">Skills used</h2>
      {skills.isPending ? <SkeletonList rows={2} /> : null}
      {skills.isError ? <ErrorState error={skills.error} what="the skills used" onRetry={() => void skills.refetch()} /> : null}
      {skills.data?.length === 0 ? (
        <EmptyState title="No skills used yet">{agentName} has not read a skill for a task yet.</EmptyState>
      ) : null}
      <ul className="flex flex-col gap-2">
        {skills.data?.map((entry) => (
          <li key={entry.skillId} className="flex flex-wrap items-baseline gap-x-3 border-2 border-ink p-2">
            <Link to={`/skills/${entry.skillId}`} className="font-bold break-words underline">
              {entry.name}
            </Link>
            <span className="font-mono text-xs">
              {describeUsage(entry.usage)} · last {relativeTime(entry.lastUsedAt, now)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
