import type { CreateRoutineOptions, CreateTriggerOptions, UpdateRoutineOptions, UpdateTriggerOptions } from '@mission-control/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

export function useRoutines() {
  const client = useClient();
  return useQuery({ queryKey: queryKeys.routines, queryFn: () => client.automation.routines() });
}

/** Create, change, delete and fire routines; each refreshes the list. */
export function useRoutineActions() {
  const client = useClient();
  const queryClient = useQueryClient();
  const onSuccess = () => void queryClient.invalidateQueries({ queryKey: queryKeys.routines });
  return {
    create: useMutation({ mutationFn: (input: CreateRoutineOptions) => client.automation.createRoutine(input), onSuccess }),
    update: useMutation({
      mutationFn: ({ id, input }: { id: string; input: UpdateRoutineOptions }) => client.automation.updateRoutine(id, input),
      onSuccess,
    }),
    remove: useMutation({ mutationFn: (id: string) => client.automation.deleteRoutine(id), onSuccess }),
    trigger: useMutation({
      mutationFn: (id: string) => client.automation.triggerRoutine(id),
      onSuccess: () => {
        onSuccess();
        void queryClient.invalidateQueries({ queryKey: queryKeys.workflowRuns });
      },
    }),
  };
}

export function useTriggers() {
  const client = useClient();
  return useQuery({ queryKey: queryKeys.triggers, queryFn: () => client.automation.triggers() });
}

/** Create, change and delete triggers; each refreshes the list. */
export function useTriggerActions() {
  const client = useClient();
  const queryClient = useQueryClient();
  const onSuccess = () => void queryClient.invalidateQueries({ queryKey: queryKeys.triggers });
  return {
    create: useMutation({ mutationFn: (input: CreateTriggerOptions) => client.automation.createTrigger(input), onSuccess }),
    update: useMutation({
      mutationFn: ({ id, input }: { id: string; input: UpdateTriggerOptions }) => client.automation.updateTrigger(id, input),
      onSuccess,
    }),
    remove: useMutation({ mutationFn: (id: string) => client.automation.deleteTrigger(id), onSuccess }),
  };
}
