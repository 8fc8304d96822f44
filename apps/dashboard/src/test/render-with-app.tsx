import { MissionControl } from '@mission-control/sdk';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { SessionStore } from '../features/auth/session-store';
import type { AppServices } from '../lib/services-context';
import { ServicesProvider } from '../lib/services-context';

/** A JSON answer, or a whole Response for answers that are not JSON (a server-sent event stream). */
export type RouteAnswer = { status: number; body?: unknown } | Response;

export type RouteHandler = (request: {
  method: string;
  path: string;
  body: unknown;
  /** The request's headers, to check the credential a request carried. */
  headers: Headers;
}) => RouteAnswer | Promise<RouteAnswer>;

/** A fetch that answers from a table of 'METHOD /path' handlers (paths under /api/v1), recording every call. */
export function createFakeFetch(routes: Record<string, RouteHandler>) {
  const calls: Array<{ method: string; path: string; body: unknown }> = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), 'http://dashboard.test');
    const method = init?.method ?? 'GET';
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, path, body });
    const handler = routes[`${method} ${path}`];
    if (!handler)
      return new Response(JSON.stringify({ error: { code: 'ROUTE_NOT_FOUND', message: `No route ${method} ${path}` } }), { status: 404 });
    const answer = await handler({ method, path, body, headers: new Headers(init?.headers) });
    if (answer instanceof Response) return answer;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/**
 * The app's services with the SDK client over a fake fetch, so every request a component makes
 * goes through the real SDK (paths, query, headers, schema parsing, error mapping); the event
 * stream is never started (component tests have no server).
 */
export function createTestServices(fetch: typeof globalThis.fetch): AppServices {
  const baseUrl = 'http://dashboard.test';
  const session = new SessionStore({ client: new MissionControl({ baseUrl, fetch, credential: () => undefined }) });
  const client = new MissionControl({ baseUrl, fetch, credential: () => 'test-token', retry: { retries: 0 } });
  return { client, session, realtime: client.events.connect({ connectNow: false }) };
}

export function createTestQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY }, mutations: { retry: false } },
  });
}

export function Providers({
  services,
  queryClient,
  children,
  initialEntries,
}: {
  services: AppServices;
  queryClient: QueryClient;
  children: ReactNode;
  /** Where the router starts, such as "/?priority=high" for a shared link. */
  initialEntries?: string[];
}) {
  return (
    <ServicesProvider services={services}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter {...(initialEntries ? { initialEntries } : {})}>{children}</MemoryRouter>
      </QueryClientProvider>
    </ServicesProvider>
  );
}

export function renderWithApp(ui: ReactNode, routes: Record<string, RouteHandler>) {
  const fake = createFakeFetch(routes);
  const services = createTestServices(fake.fetch);
  const queryClient = createTestQueryClient();
  const result = render(
    <Providers services={services} queryClient={queryClient}>
      {ui}
    </Providers>,
  );
  return { ...result, calls: fake.calls, queryClient, services };
}
