import { endpoints } from '@mission-control/contracts';
import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

/** One search over tasks, messages, documents and memories; idle until there is a query. */
export function useWorkspaceSearch(q: string, types: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.search(q, types ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.searchWorkspace, { query: { q, limit: 50, ...(types ? { types } : {}) }, signal }),
    enabled: q.trim().length > 0,
    placeholderData: (previous) => previous,
  });
}
