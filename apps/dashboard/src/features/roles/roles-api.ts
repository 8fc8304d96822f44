import { type CustomRole, endpoints, type RoleList, type WorkspaceRole } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

export type CreateRoleBody = z.input<typeof endpoints.createRole.body>;
export type UpdateRoleBody = z.input<typeof endpoints.updateRole.body>;

/** Whether a role may create, change and delete custom roles (the server's rule: owners and admins). */
export function canManageRoles(role: WorkspaceRole | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

/** The built-in roles with their descriptions, and the workspace's custom roles with their member counts. */
export function useRoles(enabled = true) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.roles,
    queryFn: ({ signal }): Promise<RoleList> => client.request(endpoints.listRoles, { signal }),
    enabled,
  });
}

/** Every permission a custom role can list; it only changes with the server's version. */
export function usePermissions() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.permissions,
    queryFn: ({ signal }) => client.request(endpoints.listPermissions, { signal }),
    select: (answer) => answer.data,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** A role's name shows on the members page too: a change refreshes both lists. */
function useRefreshRoles() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.roles });
    void queryClient.invalidateQueries({ queryKey: queryKeys.members });
  };
}

export function useCreateRole() {
  const client = useClient();
  const refresh = useRefreshRoles();
  return useMutation({
    mutationFn: (body: CreateRoleBody): Promise<CustomRole> => client.request(endpoints.createRole, { body }),
    onSuccess: refresh,
  });
}

export function useUpdateRole() {
  const client = useClient();
  const refresh = useRefreshRoles();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateRoleBody }): Promise<CustomRole> =>
      client.request(endpoints.updateRole, { params: { id }, body }),
    onSuccess: refresh,
  });
}

export function useDeleteRole() {
  const client = useClient();
  const refresh = useRefreshRoles();
  return useMutation({
    mutationFn: (id: string): Promise<CustomRole> => client.request(endpoints.deleteRole, { params: { id } }),
    // A refusal (ROLE_IN_USE) means the member counts shown were stale: refresh either way.
    onSettled: refresh,
  });
}
