import { endpoints, loginRequestSchema } from '@mission-control/contracts';
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
    async (email: string, password: string) => {
      const body = loginRequestSchema.parse({ email, password });
      const tokens = await client.request(endpoints.logIn, { body });
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
