import { activitySchema, pageSchema } from '@mission-control/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useApi } from '../../lib/services-context';

const activityPageSchema = pageSchema(activitySchema);

/** A feed of activities, newest first, loaded page by page; live events are prepended by the realtime bridge. */
export function useActivityFeed(scope: { taskId?: string | undefined; agentId?: string | undefined } = {}) {
  const api = useApi();
  const path = scope.taskId ? `/activities/task/${scope.taskId}` : scope.agentId ? `/activities/agent/${scope.agentId}` : '/activities';
  const queryKey = scope.taskId
    ? queryKeys.taskActivities(scope.taskId)
    : scope.agentId
      ? queryKeys.agentActivities(scope.agentId)
      : queryKeys.feed;
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => api.get(path, { schema: activityPageSchema, query: { limit: 50, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
