import { type Team, type TeamWorkspaceAccess, type TeamWorkspaceRole, teamWorkspaceRoleSchema } from '@mission-control/contracts';
import { type FormEvent, useId, useState } from 'react';
import { showToast } from '../../lib/toasts';
import { describeTeamFailure, teamRoleExplanations, teamRoleLabel } from './organization-wording';
import { useGrantTeamWorkspace, useRevokeTeamWorkspace } from './organizations-api';

/** "Member", or "Triage · narrows member" when the team holds a custom role there. */
function accessLabel(access: TeamWorkspaceAccess): string {
  return access.customRole ? `${access.customRole.name} · narrows ${access.role}` : teamRoleLabel(access.role);
}

/**
 * The workspaces a team's people reach through it, with the role they get there; owners and
 * admins give it a role on one of the organisation's workspaces they belong to, or take one away.
 */
export function TeamWorkspaces({
  organizationId,
  team,
  manages,
  workspaces,
}: {
  organizationId: string;
  team: Team;
  manages: boolean;
  /** The organisation's workspaces the person belongs to, by name. */
  workspaces: readonly { id: string; name: string }[];
}) {
  const id = useId();
  const grant = useGrantTeamWorkspace(organizationId);
  const revoke = useRevokeTeamWorkspace(organizationId);
  const [workspaceId, setWorkspaceId] = useState('');
  const [role, setRole] = useState<TeamWorkspaceRole>('member');
  const [problem, setProblem] = useState<string | null>(null);
  const held = new Map(team.workspaces.map((access) => [access.workspaceId, access]));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const workspace = workspaces.find((each) => each.id === workspaceId);
    if (!workspace) {
      setProblem('Choose a workspace first.');
      return;
    }
    setProblem(null);
    grant.mutate(
      { teamId: team.id, workspaceId: workspace.id, role },
      {
        onSuccess: () => {
          setWorkspaceId('');
          showToast(`${team.name} is now ${teamRoleLabel(role).toLowerCase()} on ${workspace.name}.`, 'success');
        },
        onError: (error) => setProblem(describeTeamFailure(error, { team: team.name, subject: workspace.name })),
      },
    );
  };

  const takeAway = (access: TeamWorkspaceAccess) =>
    revoke.mutate(
      { teamId: team.id, workspaceId: access.workspaceId },
      {
        onSuccess: () => showToast(`${team.name} no longer reaches ${access.workspaceName}.`, 'success'),
        onError: (error) => showToast(describeTeamFailure(error, { team: team.name, subject: access.workspaceName }), 'error'),
      },
    );

  return (
    <div className="flex min-w-0 flex-col gap-2">
      <h4 className="font-black uppercase">Workspaces</h4>
      {team.workspaces.length === 0 ? <p className="text-sm">No workspace yet: its people get nothing through it.</p> : null}
      <ul className="flex flex-col gap-1" aria-label={`Workspaces of ${team.name}`}>
        {team.workspaces.map((access) => (
          <li
            key={access.workspaceId}
            className="flex min-w-0 flex-wrap items-center justify-between gap-2 border-2 border-ink px-2 py-1"
            data-testid="team-workspace"
          >
            <span className="min-w-0 break-words">
              <span className="font-bold">{access.workspaceName}</span> as {accessLabel(access)}
            </span>
            {manages ? (
              <button
                type="button"
                className="brutal-button"
                aria-label={`Take away ${access.workspaceName} from ${team.name}`}
                disabled={revoke.isPending}
                onClick={() => takeAway(access)}
              >
                Take away
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {manages ? (
        <form onSubmit={submit} className="flex min-w-0 flex-col gap-2" aria-label={`Give ${team.name} a workspace`}>
          <div className="flex min-w-0 flex-wrap items-end gap-2">
            <div className="min-w-0 flex-1 basis-48">
              <label className="brutal-label" htmlFor={`${id}-workspace`}>
                Workspace<span className="sr-only"> for {team.name}</span>
              </label>
              <select
                id={`${id}-workspace`}
                className="brutal-input w-full"
                value={workspaceId}
                aria-invalid={Boolean(problem)}
                aria-describedby={problem ? `${id}-workspace-error` : undefined}
                onChange={(event) => setWorkspaceId(event.target.value)}
              >
                <option value="">Choose…</option>
                {workspaces.map((workspace) => {
                  const access = held.get(workspace.id);
                  return (
                    <option key={workspace.id} value={workspace.id}>
                      {workspace.name}
                      {access ? ` (now ${accessLabel(access).toLowerCase()})` : ''}
                    </option>
                  );
                })}
              </select>
            </div>
            <div className="min-w-0 basis-36">
              <label className="brutal-label" htmlFor={`${id}-role`}>
                Role<span className="sr-only"> of {team.name} there</span>
              </label>
              <select
                id={`${id}-role`}
                className="brutal-input w-full"
                value={role}
                aria-describedby={`${id}-role-hint`}
                onChange={(event) => setRole(teamWorkspaceRoleSchema.parse(event.target.value))}
              >
                {teamWorkspaceRoleSchema.options.map((option) => (
                  <option key={option} value={option}>
                    {teamRoleLabel(option)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="brutal-button" disabled={grant.isPending}>
              Give access
            </button>
          </div>
          <p id={`${id}-role-hint`} className="text-xs">
            {teamWorkspaceRoleSchema.options.map((option) => `${teamRoleLabel(option)}: ${teamRoleExplanations[option]}.`).join(' ')}{' '}
            Someone with a higher role of their own keeps it.
          </p>
          {problem ? (
            <p id={`${id}-workspace-error`} role="alert" className="font-mono text-xs font-bold text-danger">
              {problem}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
