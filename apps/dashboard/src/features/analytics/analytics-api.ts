import { type AnalyticsInterval, endpoints } from '@mission-control/contracts';
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../../lib/services-context';

/** The person's own IANA time zone, so days start at their midnight. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The last `days` days up to the next minute (so the cache key stays put within a minute). */
export function rangeOfDays(days: number, now = Date.now()): { from: string; to: string } {
  const to = Math.ceil(now / 60_000) * 60_000;
  return { from: new Date(to - days * 86_400_000).toISOString(), to: new Date(to).toISOString() };
}

/** The ranges the Analytics and Costs pages offer, in days. */
export const rangeChoices = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
] as const;

export const analyticsKeys = {
  throughput: (range: object, interval: string, byAgent: boolean) => ['analytics', 'throughput', range, interval, byAgent] as const,
  agents: (range: object) => ['analytics', 'agents', range] as const,
  costs: (range: object, groupBy: string) => ['analytics', 'costs', range, groupBy] as const,
};

export function useThroughput(range: { from: string; to: string }, interval: AnalyticsInterval, byAgent: boolean) {
  const client = useClient();
  return useQuery({
    queryKey: analyticsKeys.throughput(range, interval, byAgent),
    queryFn: ({ signal }) =>
      client.request(endpoints.getAnalyticsThroughput, {
        query: { ...range, interval, timeZone: localTimeZone(), ...(byAgent ? { groupBy: 'agent' as const } : {}) },
        signal,
      }),
  });
}

export function useAgentAnalytics(range: { from: string; to: string }) {
  const client = useClient();
  return useQuery({
    queryKey: analyticsKeys.agents(range),
    queryFn: ({ signal }) => client.request(endpoints.getAnalyticsAgents, { query: { ...range, timeZone: localTimeZone() }, signal }),
  });
}

export function useCosts(range: { from: string; to: string }, groupBy: 'agent' | 'task' | 'model' | 'day') {
  const client = useClient();
  return useQuery({
    queryKey: analyticsKeys.costs(range, groupBy),
    queryFn: ({ signal }) =>
      client.request(endpoints.getAnalyticsCosts, { query: { ...range, groupBy, timeZone: localTimeZone() }, signal }),
  });
}

export function useCycleTime(range: { from: string; to: string }) {
  const client = useClient();
  return useQuery({
    queryKey: ['analytics', 'cycle-time', range] as const,
    queryFn: ({ signal }) => client.request(endpoints.getAnalyticsCycleTime, { query: { ...range, timeZone: localTimeZone() }, signal }),
  });
}
