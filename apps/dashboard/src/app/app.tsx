import { isMissionControlError } from '@mission-control/sdk';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { useSession } from '../features/auth/use-session';
import { noteMfaEnrolmentFailure } from '../features/identity/mfa-enrolment';
import { RealtimeBridge } from '../features/realtime/realtime-provider';
import { type AppServices, ServicesProvider } from '../lib/services-context';
import { Toaster } from '../lib/toasts';
import { createRouter } from './router';

/**
 * Whether a failed query is worth asking again. The SDK already retries what passes with time
 * (no connection, a timeout, 429 and 503, with backoff and Retry-After), so asking again here
 * would multiply those waits. A 4xx will not get better, nor will an answer the dashboard cannot
 * read. What is left is a 5xx the SDK does not retry (500, or a proxy's 502/504 during a
 * deploy): worth two more tries. Errors that are not the SDK's are bugs in the page, not the network.
 */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  if (!isMissionControlError(error)) return false;
  const retriedBySdk = error.code === 'NETWORK_ERROR' || error.code === 'TIMEOUT' || error.status === 429 || error.status === 503;
  return error.status >= 500 && !retriedBySdk && failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    // Any answer can say the person's organisation requires a second factor first: the shell then sends them to set one up.
    queryCache: new QueryCache({ onError: noteMfaEnrolmentFailure }),
    mutationCache: new MutationCache({ onError: noteMfaEnrolmentFailure }),
    defaultOptions: {
      queries: {
        // Live events keep the cache fresh; no polling and no refetch storms on focus.
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        retry: shouldRetryQuery,
        retryDelay: (count) => Math.min(1_000 * 2 ** count, 10_000),
      },
    },
  });
}

function Realtime() {
  const session = useSession();
  return <RealtimeBridge signedIn={session !== null} />;
}

export function App({ services }: { services: AppServices }) {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createRouter);
  return (
    <ServicesProvider services={services}>
      <QueryClientProvider client={queryClient}>
        <Realtime />
        <RouterProvider router={router} />
        <Toaster />
      </QueryClientProvider>
    </ServicesProvider>
  );
}
