import type { StartWorkflowRunOptions } from '@mission-control/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';
import { useRealtimeTopic } from '../realtime/realtime-provider';

export function useWorkflows() {
  const client = useClient();
  return useQuery({ queryKey: queryKeys.workflows, queryFn: () => client.workflows.list() });
}

export function useWorkflow(id: string) {
  const client = useClient();
  return useQuery({ queryKey: queryKeys.workflow(id), queryFn: () => client.workflows.get(id) });
}

export function useWorkflowVersions(id: string, enabled = true) {
  const client = useClient();
  return useQuery({ queryKey: queryKeys.workflowVersions(id), queryFn: () => client.workflows.versions(id), enabled });
}

/** Runs, success rate and median duration per version: how an A/B test is read. */
export function useWorkflowStats(id: string) {
  const client = useClient();
  return useQuery({ queryKey: queryKeys.workflowStats(id), queryFn: () => client.workflows.stats(id) });
}

export function useDeleteWorkflow(workflowId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => client.workflows.delete(workflowId),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.workflows }),
  });
}

export function useWorkflowTemplates() {
  const client = useClient();
  return useQuery({ queryKey: queryKeys.workflowTemplates, queryFn: () => client.workflows.templates(), staleTime: 300_000 });
}

/** How many runs a list reads: the server's largest page. */
export const runPageSize = 200;

/** The newest 200 runs, of one workflow when given: enough for "last run" and a count on the list. */
export function useWorkflowRuns(workflowId?: string) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.workflowRunList(workflowId),
    queryFn: () => client.workflows.runs({ limit: runPageSize, ...(workflowId ? { workflowId } : {}) }),
  });
}

export function useWorkflowRun(runId: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.workflowRun(runId ?? ''),
    queryFn: () => client.workflows.getRun(runId ?? ''),
    enabled: Boolean(runId),
  });
}

export function useWorkflowRunTimeline(runId: string) {
  const client = useClient();
  return useQuery({ queryKey: queryKeys.workflowRunTimeline(runId), queryFn: () => client.workflows.timeline(runId) });
}

export function useInstantiateTemplate() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ template, name }: { template: string; name?: string }) => client.workflows.instantiateTemplate(template, name),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.workflows }),
  });
}

export function useSaveWorkflowVersion(workflowId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (definition: Record<string, unknown>) => client.workflows.update(workflowId, definition),
    onSuccess: (workflow) => {
      queryClient.setQueryData(queryKeys.workflow(workflowId), workflow);
      void queryClient.invalidateQueries({ queryKey: queryKeys.workflows });
    },
  });
}

export function useStartWorkflowRun(workflowId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: StartWorkflowRunOptions) => client.workflows.run(workflowId, input),
    onSuccess: (run) => {
      queryClient.setQueryData(queryKeys.workflowRun(run.id), run);
      void queryClient.invalidateQueries({ queryKey: queryKeys.workflowRuns });
    },
  });
}

export function useCancelWorkflowRun(runId: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => client.workflows.cancelRun(runId),
    onSuccess: (run) => {
      queryClient.setQueryData(queryKeys.workflowRun(run.id), run);
      void queryClient.invalidateQueries({ queryKey: queryKeys.workflowRuns });
    },
  });
}

/** Keeps run lists and version stats fresh: a run starting or finishing anywhere refetches them. */
export function useLiveWorkflowRuns() {
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.workflowRuns });
    void queryClient.invalidateQueries({ queryKey: queryKeys.allWorkflowStats });
  };
  useRealtimeTopic('type:workflow-run-started', refresh);
  useRealtimeTopic('type:workflow-run-finished', refresh);
}
