import { endpoints } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient, useServices } from '../../lib/services-context';
import { clearMfaEnrolmentRequired, mfaEnrolmentRequired } from './mfa-enrolment';

/** The sign-in options this server offers (password, and single sign-on when set up). */
export function useAuthProviders() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.authProviders,
    queryFn: ({ signal }) => client.request(endpoints.listAuthProviders, { signal }),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** Trades the one-time code single sign-on put in the address for a session. */
export function useExchangeOidcCode() {
  const { client, session } = useServices();
  return useMutation({
    mutationFn: (code: string) => client.request(endpoints.exchangeOidcCode, { body: { code } }),
    onSuccess: (tokens) => session.set(tokens),
  });
}

export function useMfaStatus() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.mfaStatus,
    queryFn: ({ signal }) => client.request(endpoints.getMfaStatus, { signal }),
  });
}

export function useBeginTotp() {
  const client = useClient();
  return useMutation({ mutationFn: () => client.request(endpoints.beginTotpEnrolment) });
}

export function useConfirmTotp() {
  const { client, session, realtime } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => client.request(endpoints.confirmTotpEnrolment, { body: { code } }),
    onSuccess: async () => {
      if (!mfaEnrolmentRequired()) return queryClient.invalidateQueries({ queryKey: queryKeys.mfaStatus });
      // The organisation's requirement is met: a fresh access token (the server may still hold the old one's
      // refusal for a moment), then everything that was refused loads again, and the event stream restarts.
      await session.refresh();
      clearMfaEnrolmentRequired();
      realtime.start();
      void queryClient.invalidateQueries();
    },
  });
}

export function useDisableTotp() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (proof: { code?: string; recoveryCode?: string }) => client.request(endpoints.disableTotp, { body: proof }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.mfaStatus }),
  });
}
