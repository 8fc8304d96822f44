import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { useSession } from '../features/auth/use-session';
import { RealtimeBridge } from '../features/realtime/realtime-provider';
import { ApiError } from '../lib/api-error';
import { type AppServices, ServicesProvider } from '../lib/services-context';
import { Toaster } from '../lib/toasts';
import { createRouter } from './router';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Live events keep the cache fresh; no polling and no refetch storms on focus.
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        // A 4xx will not get better by asking again, except a rate limit, which passes.
        retry: (count, error) => {
          if (error instanceof ApiError && error.status === 429) return count < 3;
          return !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2;
        },
        retryDelay: (count, error) =>
          error instanceof ApiError && error.status === 429 ? 10_000 * (count + 1) : Math.min(1_000 * 2 ** count, 10_000),
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
