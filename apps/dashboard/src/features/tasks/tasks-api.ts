import {
  boardColumns,
  type CreateTaskInput,
  endpoints,
  type PrincipalReference,
  type Task,
  type TaskStatus,
  type UpdateTaskInput,
} from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchAllPages } from '../../lib/fetch-all-pages';
import { queryKeys, type TaskFilters } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

/** The statuses a person must see beside the five columns: the board shows them in a strip above. */
export const attentionStatuses: readonly TaskStatus[] = ['blocked', 'failed'];
/** What the board query holds: the five columns and the tasks that need attention. */
export const boardStatuses: readonly TaskStatus[] = [...boardColumns, ...attentionStatuses];

/** Every task on the five board columns, and the blocked and failed ones. */
export function useBoardTasks() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.board,
    queryFn: ({ signal }) =>
      fetchAllPages((page) => client.request(endpoints.listTasks, { query: { status: [...boardStatuses], ...page }, signal })),
  });
}

export function useTaskList(filters: TaskFilters) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.taskList(filters),
    queryFn: ({ signal }) =>
      client.request(endpoints.listTasks, {
        query: { limit: 200, q: filters.q, status: filters.status, priority: filters.priority, assigneeId: filters.assigneeId },
        signal,
      }),
    placeholderData: (previous) => previous,
  });
}

export function useTask(reference: string | null | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.task(reference ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.getTask, { params: { id: reference ?? '' }, signal }),
    enabled: Boolean(reference),
  });
}

export function useSubtasks(taskId: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.subtasks(taskId ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.listTasks, { query: { parentId: taskId, limit: 200 }, signal }),
    enabled: Boolean(taskId),
  });
}

/** Puts a task the server returned into every cache that shows it. */
export function storeTask(queryClient: ReturnType<typeof useQueryClient>, task: Task): void {
  queryClient.setQueryData<Task[]>(queryKeys.board, (tasks) => {
    if (!tasks) return tasks;
    const onBoard = boardStatuses.includes(task.status);
    const others = tasks.filter((each) => each.id !== task.id);
    return onBoard ? [task, ...others] : others;
  });
  queryClient.setQueryData(queryKeys.task(task.id), task);
  queryClient.setQueryData(queryKeys.task(task.key), task);
}

export function useCreateTask() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<CreateTaskInput> & { title: string }) => client.request(endpoints.createTask, { body: input }),
    onSuccess: (task) => {
      storeTask(queryClient, task);
      void queryClient.invalidateQueries({ queryKey: queryKeys.tasks });
    },
  });
}

export function useUpdateTask(reference: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateTaskInput) => client.request(endpoints.updateTask, { params: { id: reference }, body: input }),
    onSuccess: (task) => {
      storeTask(queryClient, task);
      void queryClient.invalidateQueries({ queryKey: queryKeys.tasks });
    },
  });
}

export function useAssignTask(reference: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (assignees: PrincipalReference[]) =>
      client.request(endpoints.assignTask, { params: { id: reference }, body: { assignees } }),
    onSuccess: (task) => {
      storeTask(queryClient, task);
      void queryClient.invalidateQueries({ queryKey: queryKeys.tasks });
    },
  });
}

export function useDeleteTask() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reference: string) => client.request(endpoints.deleteTask, { params: { id: reference } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.tasks }),
  });
}
