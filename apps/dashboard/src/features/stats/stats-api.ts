import { endpoints } from '@mission-control/contracts';
import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

/** Events per hour over the last 24 hours, oldest first, from the most recent 200 events. */
export function bucketByHour(timestamps: string[], now: number): { hours: number[]; counts: number[] } {
  const hourMs = 3_600_000;
  const end = Math.floor(now / hourMs) * hourMs;
  const hours = Array.from({ length: 24 }, (_, index) => (end - (23 - index) * hourMs) / 1000);
  const counts = hours.map(() => 0);
  for (const timestamp of timestamps) {
    const index = 23 - Math.floor((end - Math.floor(Date.parse(timestamp) / hourMs) * hourMs) / hourMs);
    if (index >= 0 && index < 24) counts[index] = (counts[index] ?? 0) + 1;
  }
  return { hours, counts };
}

export function useRecentActivityStats() {
  const client = useClient();
  return useQuery({
    queryKey: [...queryKeys.activities, 'stats'],
    queryFn: async ({ signal }) => {
      const recent = await client.request(endpoints.listActivities, { query: { limit: 200 }, signal });
      return { timestamps: recent.data.map((activity) => activity.createdAt) };
    },
  });
}
