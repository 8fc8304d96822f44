import type { Agent, OrganizationMember, Team } from '@mission-control/contracts';
import { useState } from 'react';
import { Dialog } from '../../components/dialog';
import { formatDateTime, plural, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { describeTeamFailure } from './organization-wording';
import { useDeleteTeam } from './organizations-api';
import { TeamMembers } from './team-members';
import { TeamWorkspaces } from './team-workspaces';

/** One team: what it is for, who is in it and which workspaces it reaches; owners and admins change each. */
export function TeamCard({
  organizationId,
  team,
  manages,
  people,
  agents,
  workspaces,
  workspaceName,
  currentWorkspaceId,
  now,
  onEdit,
  onDelete,
}: {
  organizationId: string;
  team: Team;
  manages: boolean;
  people: readonly OrganizationMember[] | undefined;
  agents: readonly Agent[] | undefined;
  workspaces: readonly { id: string; name: string }[];
  workspaceName: (workspaceId: string) => string | undefined;
  currentWorkspaceId: string | undefined;
  now: number;
  onEdit: () => void;
  onDelete: () => void;
}) {
  return (
    <li className="flex min-w-0 flex-col gap-3 border-[3px] border-ink p-3" data-testid="team-card">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="text-lg font-black break-words">{team.name}</h3>
          <p className="text-sm">
            {plural(team.members.length, 'member')} · {plural(team.workspaces.length, 'workspace')} · created{' '}
            <time dateTime={team.createdAt} title={formatDateTime(team.createdAt)}>
              {relativeTime(team.createdAt, now, 'long')}
            </time>
          </p>
        </div>
        {manages ? (
          <div className="flex flex-wrap gap-2">
            <button type="button" className="brutal-button" aria-label={`Edit ${team.name}`} onClick={onEdit}>
              Edit
            </button>
            <button type="button" className="brutal-button" data-variant="danger" aria-label={`Delete ${team.name}`} onClick={onDelete}>
              Delete
            </button>
          </div>
        ) : null}
      </div>
      {team.description ? <p className="break-words">{team.description}</p> : null}
      <div className="grid min-w-0 gap-4 lg:grid-cols-2">
        <TeamMembers
          organizationId={organizationId}
          team={team}
          manages={manages}
          people={people}
          agents={agents}
          workspaceName={workspaceName}
          currentWorkspaceId={currentWorkspaceId}
        />
        <TeamWorkspaces organizationId={organizationId} team={team} manages={manages} workspaces={workspaces} />
      </div>
    </li>
  );
}

/** Asks before deleting a team, saying what its people lose. */
export function DeleteTeamDialog({ organizationId, team, onClose }: { organizationId: string; team: Team; onClose: () => void }) {
  const remove = useDeleteTeam(organizationId);
  const [error, setError] = useState<string | null>(null);
  const people = team.members.filter((member) => member.kind === 'user').length;
  const confirm = async () => {
    setError(null);
    try {
      await remove.mutateAsync(team.id);
      showToast(`Deleted the team ${team.name}.`, 'success');
      onClose();
    } catch (failure) {
      setError(describeTeamFailure(failure, { team: team.name }));
    }
  };
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())} title={`Delete the team ${team.name}?`}>
      <div className="flex flex-col gap-3">
        <p>
          {people === 0
            ? 'Nobody gets anything through it now.'
            : `${people === 1 ? 'Its one person loses' : `Its ${people} people lose`} what the team gave them: a workspace they belong to only through it, they leave.`}{' '}
          Their own memberships stay. Deleting it cannot be undone; the audit log keeps a record.
        </p>
        {error ? (
          <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
            {error}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <button type="button" className="brutal-button" data-variant="danger" disabled={remove.isPending} onClick={() => void confirm()}>
            Delete {team.name}
          </button>
          <button type="button" className="brutal-button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </div>
    </Dialog>
  );
}
