import { endpoints } from '@mission-control/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

/** A feed of activities, newest first, loaded page by page; live events are prepended by the realtime bridge. */
export function useActivityFeed(scope: { taskId?: string | undefined; agentId?: string | undefined } = {}) {
  const client = useClient();
  const { taskId, agentId } = scope;
  const queryKey = taskId ? queryKeys.taskActivities(taskId) : agentId ? queryKeys.agentActivities(agentId) : queryKeys.feed;
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => {
      const query = { limit: 50, cursor: pageParam };
      if (taskId) return client.request(endpoints.listTaskActivities, { params: { taskId }, query, signal });
      if (agentId) return client.request(endpoints.listAgentActivities, { params: { agentId }, query, signal });
      return client.request(endpoints.listActivities, { query, signal });
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
