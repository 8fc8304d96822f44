import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorState, Skeleton, SkeletonList } from '../../components/states';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { useAgents } from '../agents/agents-api';
import { useSession } from '../auth/use-session';
import { usePageTitle } from '../layout/use-page-title';
import { useWorkspace } from '../workspace-settings/workspace-api';
import { canManageTeams, useCurrentOrganization, useMyWorkspaces, useOrganizationMembers, useTeams } from './organizations-api';
import { DeleteTeamDialog, TeamCard } from './team-card';
import { TeamForm } from './team-form';

/**
 * Settings → Teams: the organisation's teams, each with its people and agents and the role it
 * gives them on workspaces. Owners and admins of the organisation create, rename and delete
 * teams, add and remove members, and give or take away workspaces; everyone else reads them.
 */
export default function TeamsPage() {
  usePageTitle('Teams');
  const session = useSession();
  const workspace = useWorkspace();
  const { organizations, organization } = useCurrentOrganization();
  const organizationId = organization?.id;
  const manages = canManageTeams(organization?.role);
  const teams = useTeams(organizationId);
  const people = useOrganizationMembers(manages ? organizationId : undefined);
  const agents = useAgents();
  const mine = useMyWorkspaces(manages);
  const now = useNow();
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deletingId, setDeletingId] = useState<string | null>(null);
  const currentWorkspaceId = workspace.data?.id ?? session?.workspace.id;

  // The organisation's workspaces the person belongs to, by name: the ones a team can be given here.
  const workspaces = useMemo(
    () =>
      (mine.data ?? [])
        .map((entry) => entry.workspace)
        .filter((each) => each.organizationId === undefined || each.organizationId === organizationId)
        .map((each) => ({ id: each.id, name: each.name }))
        .sort((left, right) => left.name.localeCompare(right.name)),
    [mine.data, organizationId],
  );
  const names = useMemo(() => {
    const known = new Map(workspaces.map((each) => [each.id, each.name]));
    for (const team of teams.data ?? []) for (const access of team.workspaces) known.set(access.workspaceId, access.workspaceName);
    if (workspace.data) known.set(workspace.data.id, workspace.data.name);
    return known;
  }, [workspaces, teams.data, workspace.data]);
  const deleting = teams.data?.find((team) => team.id === deletingId);

  return (
    <div className="mx-auto flex max-w-5xl min-w-0 flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-black tracking-tighter uppercase">Teams</h1>
        <Link to="/settings/organization" className="brutal-button">
          Organisation
        </Link>
      </div>
      <p className="max-w-3xl">
        A team gives its people a role on workspaces of <span className="font-bold">{organization?.name ?? 'the organisation'}</span>: they
        become members there, and someone with a higher role of their own keeps it. Agents in a team are listed with it.
      </p>
      {organizations.isPending ? <Skeleton className="h-40" label="Loading the teams" /> : null}
      {organizations.isError ? (
        <ErrorState error={organizations.error} what="the organisation" onRetry={() => void organizations.refetch()} />
      ) : null}
      {organizations.data && !organization ? (
        <EmptyState title="No organisation">This workspace belongs to no organisation you are a member of.</EmptyState>
      ) : null}
      {organizationId ? (
        <section className="flex min-w-0 flex-col gap-3" aria-labelledby="teams-title">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="teams-title" className="text-xl font-black uppercase">
              Teams of {organization?.name}
            </h2>
            {manages && !creating ? (
              <button
                type="button"
                className="brutal-button"
                data-variant="primary"
                onClick={() => {
                  setEditingId(null);
                  setCreating(true);
                }}
              >
                + New team
              </button>
            ) : null}
          </div>
          {manages ? null : <p className="font-bold">Only owners and admins of the organisation can create and change teams.</p>}
          {creating ? (
            <TeamForm
              organizationId={organizationId}
              onSaved={(team) => {
                setCreating(false);
                showToast(`Created the team ${team.name}.`, 'success');
              }}
              onCancel={() => setCreating(false)}
            />
          ) : null}
          {teams.isPending ? <SkeletonList rows={2} className="h-40" /> : null}
          {teams.isError ? <ErrorState error={teams.error} what="the teams" onRetry={() => void teams.refetch()} /> : null}
          {people.isError ? (
            <ErrorState error={people.error} what="the organisation’s people" onRetry={() => void people.refetch()} />
          ) : null}
          {teams.data?.length === 0 && !creating ? (
            <EmptyState title="No teams yet">
              {manages
                ? 'Create one to give a group of people the same role on several workspaces at once.'
                : 'An owner or admin of the organisation can create one.'}
            </EmptyState>
          ) : null}
          <ul className="flex flex-col gap-3">
            {teams.data?.map((team) =>
              editingId === team.id ? (
                <li key={team.id}>
                  <TeamForm
                    organizationId={organizationId}
                    team={team}
                    onSaved={(saved) => {
                      setEditingId(null);
                      showToast(`Saved the team ${saved.name}.`, 'success');
                    }}
                    onCancel={() => setEditingId(null)}
                  />
                </li>
              ) : (
                <TeamCard
                  key={team.id}
                  organizationId={organizationId}
                  team={team}
                  manages={manages}
                  people={people.data}
                  agents={agents.data}
                  workspaces={workspaces}
                  workspaceName={(id) => names.get(id)}
                  currentWorkspaceId={currentWorkspaceId}
                  now={now}
                  onEdit={() => {
                    setCreating(false);
                    setEditingId(team.id);
                  }}
                  onDelete={() => setDeletingId(team.id)}
                />
              ),
            )}
          </ul>
        </section>
      ) : null}
      {deleting && organizationId ? (
        <DeleteTeamDialog organizationId={organizationId} team={deleting} onClose={() => setDeletingId(null)} />
      ) : null}
    </div>
  );
}
