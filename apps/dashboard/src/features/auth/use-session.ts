import { endpoints, isMfaChallenge, type LoginAnswer, loginRequestSchema, type VerifyMfaInput } from '@mission-control/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore } from 'react';
import { useServices } from '../../lib/services-context';
import type { Session } from './session-store';

export function useSession(): Session | null {
  const { session } = useServices();
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

export function useLogin() {
  const { client, session } = useServices();
  return useCallback(
    async (email: string, password: string): Promise<LoginAnswer> => {
      const body = loginRequestSchema.parse({ email, password });
      const answer = await client.request(endpoints.logIn, { body });
      // With MFA on there are no tokens yet: the page asks for a code and finishes with useVerifyMfa.
      if (!isMfaChallenge(answer)) session.set(answer);
      return answer;
    },
    [client, session],
  );
}

/** Finishes a sign-in that asked for an MFA code (or a recovery code). */
export function useVerifyMfa() {
  const { client, session } = useServices();
  return useCallback(
    async (input: VerifyMfaInput) => {
      const tokens = await client.request(endpoints.verifyMfa, { body: input });
      session.set(tokens);
      return tokens;
    },
    [client, session],
  );
}

export function useLogout() {
  const { client, session } = useServices();
  const queryClient = useQueryClient();
  return useCallback(async () => {
    const refreshToken = session.current?.refreshToken;
    try {
      await client.request(endpoints.logOut, { body: { refreshToken } });
    } catch {
      // Signing out locally matters more than telling the server; the token expires anyway.
    }
    session.set(null);
    queryClient.clear();
  }, [client, session, queryClient]);
}
