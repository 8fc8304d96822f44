import {
  type AcceptedInvitation,
  type CreatedInvitation,
  endpoints,
  isMfaChallenge,
  loginRequestSchema,
  type ReceivedInvitation,
} from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { queryKeys } from '../../lib/query-keys';
import { useClient, useServices } from '../../lib/services-context';

/** What an invitation link carries; no session needed. */
export function useInvitationLink(token: string) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.invitationLink(token),
    queryFn: ({ signal }) => client.request(endpoints.getInvitationByToken, { params: { token }, signal }),
    // A used, revoked or expired link stays so: asking again only spends the per-address limit.
    retry: false,
    refetchOnWindowFocus: false,
  });
}

/** Accepts an invitation link and signs in with the session it answers. */
export function useAcceptInvitationLink(token: string) {
  const { client, session } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; password: string }) =>
      client.request(endpoints.acceptInvitationWithToken, { params: { token }, body: input }),
    onSuccess: (tokens) => {
      // Whatever was cached belongs to the session before this one; the link's own answer stays,
      // or the page still showing it would ask again and be told the link is used.
      const link = queryKeys.invitationLink(token);
      queryClient.removeQueries({ predicate: (query) => query.queryKey.join('/') !== link.join('/') });
      session.set(tokens);
    },
  });
}

/** The signed-in person's pending invitations, from every workspace. */
export function useMyInvitations() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.myInvitations,
    queryFn: ({ signal }) => client.request(endpoints.listMyInvitations, { signal }),
  });
}

export function useAnswerInvitation() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, answer }: { id: string; answer: 'accept' | 'decline' }): Promise<AcceptedInvitation | ReceivedInvitation> =>
      answer === 'accept'
        ? client.request(endpoints.acceptInvitation, { params: { id } })
        : client.request(endpoints.declineInvitation, { params: { id } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.myInvitations }),
  });
}

/** Signs in again, to another workspace the person belongs to (credentials work in one workspace). */
export function useSwitchWorkspace() {
  const { client, session } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ email, password, workspaceId }: { email: string; password: string; workspaceId: string }) => {
      const answer = await client.request(endpoints.logIn, { body: loginRequestSchema.parse({ email, password, workspaceId }) });
      if (isMfaChallenge(answer)) {
        throw new Error('Your account has MFA on: sign out, then sign in to the other workspace with a code from your app.');
      }
      return answer;
    },
    onSuccess: (tokens) => {
      queryClient.clear();
      session.set(tokens);
    },
  });
}

/** The workspace's invitations nobody answered yet, newest first (owners and admins). */
export function useSentInvitations(enabled = true) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.sentInvitations,
    queryFn: ({ signal }) => client.request(endpoints.listInvitations, { query: { status: 'pending', limit: 200 }, signal }),
    select: (answer) => answer.data,
    enabled,
  });
}

export type CreateInvitationBody = z.input<typeof endpoints.createInvitation.body>;

/** Invites an email with a built-in role; the answer carries the link, shown once. */
export function useCreateInvitation() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateInvitationBody): Promise<CreatedInvitation> => client.request(endpoints.createInvitation, { body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.sentInvitations }),
  });
}

export function useRevokeInvitation() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => client.request(endpoints.revokeInvitation, { params: { id } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.sentInvitations }),
  });
}
