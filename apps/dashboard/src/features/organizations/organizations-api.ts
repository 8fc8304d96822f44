import {
  endpoints,
  type Organization,
  type OrganizationMember,
  type OrganizationRole,
  type PrincipalKind,
  type Team,
  type TeamWorkspaceRole,
} from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { queryKeys } from '../../lib/query-keys';
import { useClient, useServices } from '../../lib/services-context';
import { useWorkspace } from '../workspace-settings/workspace-api';

export type UpdateOrganizationBody = z.input<typeof endpoints.updateOrganization.body>;
export type CreateTeamBody = z.input<typeof endpoints.createTeam.body>;
export type UpdateTeamBody = z.input<typeof endpoints.updateTeam.body>;

/** Whether an organisation role may change its name, limits, sign-in rules and people's roles (the server's rule: owners). */
export function canEditOrganization(role: OrganizationRole | undefined): boolean {
  return role === 'owner';
}

/** Whether an organisation role may create, change and delete teams (the server's rule: owners and admins). */
export function canManageTeams(role: OrganizationRole | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

/** The organisations the person belongs to, each with their role, its limits and this month's usage. */
export function useOrganizations() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.organizations,
    queryFn: ({ signal }) => client.request(endpoints.listOrganizations, { signal }),
    select: (answer) => answer.data,
  });
}

/**
 * The organisation of the workspace the person works in now. A server older than workspaces'
 * `organizationId` has one organisation at most: the first one stands in for it.
 */
export function useCurrentOrganization() {
  const { session } = useServices();
  const workspace = useWorkspace();
  const organizations = useOrganizations();
  const organizationId = workspace.data?.organizationId ?? session.current?.workspace.organizationId;
  const organization = organizations.data
    ? organizationId
      ? organizations.data.find((each) => each.id === organizationId)
      : organizations.data[0]
    : undefined;
  return { organizations, organization };
}

export function useOrganizationMembers(organizationId: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.organizationMembers(organizationId ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.listOrganizationMembers, { params: { id: organizationId ?? '' }, signal }),
    select: (answer) => answer.data,
    enabled: organizationId !== undefined,
  });
}

/** Every workspace the person belongs to (in any organisation), with their role in each. */
export function useMyWorkspaces(enabled = true) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.myWorkspaces,
    queryFn: ({ signal }) => client.request(endpoints.listWorkspaces, { signal }),
    select: (answer) => answer.data,
    enabled,
  });
}

/** Writes an organisation the server answered into the list, so the page shows it at once. */
function storeOrganization(queryClient: ReturnType<typeof useQueryClient>, organization: Organization): void {
  queryClient.setQueryData<{ data: Organization[] }>(queryKeys.organizations, (list) =>
    list ? { ...list, data: list.data.map((each) => (each.id === organization.id ? organization : each)) } : list,
  );
}

export function useUpdateOrganization() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateOrganizationBody }) =>
      client.request(endpoints.updateOrganization, { params: { id }, body }),
    onSuccess: (organization) => storeOrganization(queryClient, organization),
    // A refusal may come from a change made meanwhile (someone else is owner now): read it again.
    onError: () => void queryClient.invalidateQueries({ queryKey: queryKeys.organizations }),
  });
}

export function useUpdateOrganizationMember(organizationId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: OrganizationRole }) =>
      client.request(endpoints.updateOrganizationMember, { params: { id: organizationId, userId }, body: { role } }),
    onSuccess: (member) => {
      queryClient.setQueryData<{ data: OrganizationMember[] }>(queryKeys.organizationMembers(organizationId), (list) =>
        list ? { ...list, data: list.data.map((each) => (each.userId === member.userId ? member : each)) } : list,
      );
      // One's own role is on the organisation itself: stepping down turns the page read-only.
      void queryClient.invalidateQueries({ queryKey: queryKeys.organizations, exact: true });
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: queryKeys.organizationMembers(organizationId) }),
  });
}

export function useTeams(organizationId: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.teams(organizationId ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.listTeams, { params: { id: organizationId ?? '' }, signal }),
    select: (answer) => answer.data,
    enabled: organizationId !== undefined,
  });
}

/**
 * The team changes the server answers with the team as it is now: the list shows it at once.
 * Teams give roles on workspaces, so the members of this workspace may have changed too.
 */
function useTeamMutation<Input>(organizationId: string, call: (input: Input) => Promise<Team>, removes = false) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (team) => {
      queryClient.setQueryData<{ data: Team[] }>(queryKeys.teams(organizationId), (list) => {
        if (!list) return list;
        if (removes) return { ...list, data: list.data.filter((each) => each.id !== team.id) };
        const known = list.data.some((each) => each.id === team.id);
        const data = known ? list.data.map((each) => (each.id === team.id ? team : each)) : [...list.data, team];
        return { ...list, data: data.sort((left, right) => left.name.localeCompare(right.name)) };
      });
      void queryClient.invalidateQueries({ queryKey: queryKeys.members });
    },
    // A refusal (deleted meanwhile, a name taken by someone else) means the list may be stale.
    onError: () => void queryClient.invalidateQueries({ queryKey: queryKeys.teams(organizationId) }),
  });
}

export function useCreateTeam(organizationId: string) {
  const client = useClient();
  return useTeamMutation(organizationId, (body: CreateTeamBody) =>
    client.request(endpoints.createTeam, { params: { id: organizationId }, body }),
  );
}

export function useUpdateTeam(organizationId: string) {
  const client = useClient();
  return useTeamMutation(organizationId, ({ teamId, body }: { teamId: string; body: UpdateTeamBody }) =>
    client.request(endpoints.updateTeam, { params: { id: organizationId, teamId }, body }),
  );
}

export function useDeleteTeam(organizationId: string) {
  const client = useClient();
  return useTeamMutation(
    organizationId,
    (teamId: string) => client.request(endpoints.deleteTeam, { params: { id: organizationId, teamId } }),
    true,
  );
}

export interface TeamMemberChange {
  teamId: string;
  kind: PrincipalKind;
  id: string;
}

export function useAddTeamMember(organizationId: string) {
  const client = useClient();
  return useTeamMutation(organizationId, ({ teamId, kind, id }: TeamMemberChange) =>
    client.request(endpoints.addTeamMember, { params: { id: organizationId, teamId }, body: { kind, id } }),
  );
}

export function useRemoveTeamMember(organizationId: string) {
  const client = useClient();
  return useTeamMutation(organizationId, ({ teamId, kind, id }: TeamMemberChange) =>
    client.request(endpoints.removeTeamMember, { params: { id: organizationId, teamId, kind, memberId: id } }),
  );
}

export function useGrantTeamWorkspace(organizationId: string) {
  const client = useClient();
  return useTeamMutation(
    organizationId,
    ({ teamId, workspaceId, role }: { teamId: string; workspaceId: string; role: TeamWorkspaceRole }) =>
      client.request(endpoints.grantTeamAccess, { params: { id: organizationId, teamId, workspaceId }, body: { role } }),
  );
}

export function useRevokeTeamWorkspace(organizationId: string) {
  const client = useClient();
  return useTeamMutation(organizationId, ({ teamId, workspaceId }: { teamId: string; workspaceId: string }) =>
    client.request(endpoints.revokeTeamAccess, { params: { id: organizationId, teamId, workspaceId } }),
  );
}
