import type { Agent, OrganizationMember, Team, TeamMember } from '@mission-control/contracts';
import { type FormEvent, useId, useState } from 'react';
import { showToast } from '../../lib/toasts';
import { describeTeamFailure } from './organization-wording';
import { useAddTeamMember, useRemoveTeamMember } from './organizations-api';

/** "agent" next to an agent's name: people and agents share a team. */
export function AgentBadge() {
  return <span className="border-2 border-ink bg-paper-alt px-1 font-mono text-xs font-bold uppercase">agent</span>;
}

/**
 * Who is in a team, people and agents by name, and (for owners and admins) a picker to add one
 * of the organisation's people or one of this workspace's agents, and a button to take one out.
 */
export function TeamMembers({
  organizationId,
  team,
  manages,
  people,
  agents,
  workspaceName,
  currentWorkspaceId,
}: {
  organizationId: string;
  team: Team;
  manages: boolean;
  people: readonly OrganizationMember[] | undefined;
  agents: readonly Agent[] | undefined;
  /** The name of a workspace the person can see, for an agent of another workspace. */
  workspaceName: (workspaceId: string) => string | undefined;
  currentWorkspaceId: string | undefined;
}) {
  const id = useId();
  const add = useAddTeamMember(organizationId);
  const remove = useRemoveTeamMember(organizationId);
  const [choice, setChoice] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const inTeam = new Set(team.members.map((member) => `${member.kind}:${member.id}`));
  const freePeople = (people ?? []).filter((person) => !inTeam.has(`user:${person.userId}`));
  const freeAgents = (agents ?? []).filter((agent) => !inTeam.has(`agent:${agent.id}`));
  const here = currentWorkspaceId ? workspaceName(currentWorkspaceId) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const [kind, memberId] = choice.split(':');
    if ((kind !== 'user' && kind !== 'agent') || !memberId) {
      setProblem('Choose a person or an agent first.');
      return;
    }
    const name =
      kind === 'user'
        ? (freePeople.find((person) => person.userId === memberId)?.name ?? 'They')
        : (freeAgents.find((agent) => agent.id === memberId)?.name ?? 'The agent');
    setProblem(null);
    add.mutate(
      { teamId: team.id, kind, id: memberId },
      {
        onSuccess: () => {
          setChoice('');
          showToast(`Added ${name} to ${team.name}.`, 'success');
        },
        onError: (error) => setProblem(describeTeamFailure(error, { team: team.name, subject: name })),
      },
    );
  };

  const takeOut = (member: TeamMember) =>
    remove.mutate(
      { teamId: team.id, kind: member.kind, id: member.id },
      {
        onSuccess: () => showToast(`Took ${member.name} out of ${team.name}.`, 'success'),
        onError: (error) => showToast(describeTeamFailure(error, { team: team.name, subject: member.name }), 'error'),
      },
    );

  return (
    <div className="flex min-w-0 flex-col gap-2">
      <h4 className="font-black uppercase">Members</h4>
      {team.members.length === 0 ? <p className="text-sm">Nobody yet.</p> : null}
      <ul className="flex flex-col gap-1" aria-label={`Members of ${team.name}`}>
        {team.members.map((member) => {
          const elsewhere =
            member.kind === 'agent' && member.workspaceId && member.workspaceId !== currentWorkspaceId
              ? workspaceName(member.workspaceId)
              : undefined;
          return (
            <li
              key={`${member.kind}:${member.id}`}
              className="flex min-w-0 flex-wrap items-center justify-between gap-2 border-2 border-ink px-2 py-1"
              data-testid="team-member"
            >
              <span className="flex min-w-0 flex-wrap items-center gap-2 break-words">
                <span className="font-bold">{member.name}</span>
                {member.kind === 'agent' ? <AgentBadge /> : null}
                {elsewhere ? <span className="text-sm">in {elsewhere}</span> : null}
              </span>
              {manages ? (
                <button
                  type="button"
                  className="brutal-button"
                  aria-label={`Remove ${member.name} from ${team.name}`}
                  disabled={remove.isPending}
                  onClick={() => takeOut(member)}
                >
                  Remove
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
      {manages ? (
        <form onSubmit={submit} className="flex min-w-0 flex-wrap items-end gap-2" aria-label={`Add to ${team.name}`}>
          <div className="min-w-0 flex-1 basis-56">
            <label className="brutal-label" htmlFor={`${id}-member`}>
              Person or agent<span className="sr-only"> to add to {team.name}</span>
            </label>
            <select
              id={`${id}-member`}
              className="brutal-input w-full"
              value={choice}
              aria-invalid={Boolean(problem)}
              aria-describedby={problem ? `${id}-member-error` : undefined}
              onChange={(event) => setChoice(event.target.value)}
            >
              <option value="">Choose…</option>
              {freePeople.length > 0 ? (
                <optgroup label="People of the organisation">
                  {freePeople.map((person) => (
                    <option key={person.userId} value={`user:${person.userId}`}>
                      {person.name} ({person.email})
                    </option>
                  ))}
                </optgroup>
              ) : null}
              {freeAgents.length > 0 ? (
                <optgroup label={here ? `Agents of ${here}` : 'Agents of this workspace'}>
                  {freeAgents.map((agent) => (
                    <option key={agent.id} value={`agent:${agent.id}`}>
                      {agent.name} (agent, {agent.role})
                    </option>
                  ))}
                </optgroup>
              ) : null}
            </select>
          </div>
          <button type="submit" className="brutal-button" disabled={add.isPending}>
            Add to team
          </button>
          {problem ? (
            <p id={`${id}-member-error`} role="alert" className="w-full font-mono text-xs font-bold text-danger">
              {problem}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
