import { type AgentState, endpoints } from '@mission-control/contracts';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

/** The start of the person's day, in their own time zone. */
export function startOfToday(now = new Date()): string {
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  return start.toISOString();
}

/** The server's numbers: tasks per status, agents' derived state, messages today (GET /overview). */
export function useOverview() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.overview,
    queryFn: ({ signal }) => client.request(endpoints.getOverview, { query: { since: startOfToday() }, signal }),
  });
}

/** Each agent's derived state by agent id (empty while loading). */
export function useAgentStates(): Map<string, AgentState> {
  const overview = useOverview();
  return useMemo(() => new Map((overview.data?.agents ?? []).map((state) => [state.agentId, state])), [overview.data]);
}

/** The command center's numbers (GET /analytics/overview): every status, agents, messages and spend today in the person's time zone. */
export function useAnalyticsOverview() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.analyticsOverview,
    queryFn: ({ signal }) =>
      client.request(endpoints.getAnalyticsOverview, {
        query: { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' },
        signal,
      }),
  });
}
