import { type AgentRun, type AgentRunDetail, endpoints } from '@mission-control/contracts';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys, type RunFilters } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

/** Recent runs, newest first, narrowed to a task, an agent or an outcome. */
export function useRuns(filters: RunFilters, limit = 50) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.runList(filters),
    queryFn: ({ signal }) =>
      client.request(endpoints.listRuns, {
        query: {
          limit,
          ...(filters.taskId ? { taskId: filters.taskId } : {}),
          ...(filters.agentId ? { agentId: filters.agentId } : {}),
          ...(filters.status ? { status: filters.status } : {}),
        },
        signal,
      }),
    select: (page) => page.data,
  });
}

/** One run with its transcript; live events append steps to it (see apply-run-activity). */
export function useRunDetail(runId: string | null) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.run(runId ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.getRun, { params: { id: runId ?? '' }, signal }),
    enabled: Boolean(runId),
  });
}

/** The workspace's runners (or one agent's), with their live state. */
export function useRunners(agentId?: string) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.runnerList(agentId),
    queryFn: ({ signal }) => client.request(endpoints.listRunners, { query: { limit: 100, ...(agentId ? { agentId } : {}) }, signal }),
    select: (page) => page.data,
    // Online and offline follow heartbeats, which are not events: look again now and then.
    refetchInterval: 15_000,
  });
}

/** A runner's name by its id, for run rows that only carry the id. */
export function useRunnerNames(): (runnerId: string | null) => string {
  const runners = useRunners();
  return (runnerId) => {
    if (!runnerId) return 'built in';
    return runners.data?.find((runner) => runner.id === runnerId)?.name ?? 'a removed runner';
  };
}

/** Asks the runner to stop a run; the answer is the run as it is now. */
export function useCancelRun() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) => client.runs.cancel(runId),
    onSuccess: (run) => {
      storeRun(queryClient, run);
      void queryClient.invalidateQueries({ queryKey: queryKeys.runners });
    },
  });
}

/** Writes a run's new state into its detail and into every list that shows it. */
export function storeRun(queryClient: QueryClient, run: AgentRun): void {
  patchRun(queryClient, run.id, run);
}

/** Changes fields of one run wherever it is cached, leaving its transcript as it is. */
export function patchRun(queryClient: QueryClient, runId: string, change: Partial<AgentRun>): void {
  queryClient.setQueryData<AgentRunDetail>(queryKeys.run(runId), (detail) => (detail ? { ...detail, ...change } : detail));
  queryClient.setQueriesData<{ data: AgentRun[]; nextCursor: string | null }>({ queryKey: queryKeys.runLists }, (page) =>
    page ? { ...page, data: page.data.map((each) => (each.id === runId ? { ...each, ...change } : each)) } : page,
  );
}
