import { endpoints, type Member, type WorkspaceRole } from '@mission-control/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

export type UpdateMemberBody = z.input<typeof endpoints.updateMember.body>;

/** Whether a role may change others' roles and remove people (the server's rule: owners and admins). */
export function canManageMembers(role: WorkspaceRole | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

/** The members list answers `{ data }`; the cache holds that answer. */
type MemberList = { data: Member[] };

/** Gives a member a built-in role or a custom one; the list shows the server's answer at once, and the roles' member counts follow. */
export function useUpdateMember() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, body }: { userId: string; body: UpdateMemberBody }) =>
      client.request(endpoints.updateMember, { params: { userId }, body }),
    onSuccess: (member) => {
      queryClient.setQueryData<MemberList>(queryKeys.members, (list) =>
        list ? { ...list, data: list.data.map((each) => (each.user.id === member.user.id ? member : each)) } : list,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.roles });
    },
    // A refusal (someone else changed roles meanwhile) means the list may be stale too.
    onError: () => void queryClient.invalidateQueries({ queryKey: queryKeys.members }),
  });
}

export function useRemoveMember() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => client.request(endpoints.removeMember, { params: { userId } }),
    onSuccess: (_, userId) => {
      queryClient.setQueryData<MemberList>(queryKeys.members, (list) =>
        list ? { ...list, data: list.data.filter((each) => each.user.id !== userId) } : list,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.roles });
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: queryKeys.members }),
  });
}
