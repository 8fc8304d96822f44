import { endpoints } from '@mission-control/contracts';
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../../lib/services-context';

/** The ranges the System page offers, in hours. */
export const systemRangeChoices = [
  { value: '1', label: 'Last hour' },
  { value: '6', label: 'Last 6 hours' },
  { value: '24', label: 'Last 24 hours' },
  { value: '168', label: 'Last 7 days' },
] as const;

/** The last `hours` hours up to the next 10 seconds (so the cache key stays put between samples). */
export function rangeOfHours(hours: number, now = Date.now()): { from: string; to: string } {
  const to = Math.ceil(now / 10_000) * 10_000;
  return { from: new Date(to - hours * 3_600_000).toISOString(), to: new Date(to).toISOString() };
}

export function useSystemMetrics(hours: number) {
  const client = useClient();
  return useQuery({
    queryKey: ['system', 'metrics', hours] as const,
    queryFn: ({ signal }) => client.request(endpoints.getSystemMetrics, { query: rangeOfHours(hours), signal }),
    // Instances sample themselves every 10 s.
    refetchInterval: 10_000,
  });
}
