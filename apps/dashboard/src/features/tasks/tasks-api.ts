import {
  type AssignTaskInput,
  boardColumns,
  type CreateTaskInput,
  type PrincipalReference,
  pageSchema,
  type Task,
  type TaskStatus,
  taskSchema,
  type UpdateTaskInput,
} from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchAllPages } from '../../lib/fetch-all-pages';
import { queryKeys, type TaskFilters } from '../../lib/query-keys';
import { useApi } from '../../lib/services-context';

/** Every task on the five board columns. */
export function useBoardTasks() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.board,
    queryFn: ({ signal }) => fetchAllPages(api, '/tasks', taskSchema, { status: [...boardColumns] }, { signal }),
  });
}

export function useTaskList(filters: TaskFilters) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.taskList(filters),
    queryFn: ({ signal }) =>
      api.get('/tasks', {
        schema: pageSchema(taskSchema),
        query: { limit: 200, q: filters.q, status: filters.status, priority: filters.priority, assigneeId: filters.assigneeId },
        signal,
      }),
    placeholderData: (previous) => previous,
  });
}

export function useTask(reference: string | null | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.task(reference ?? ''),
    queryFn: ({ signal }) => api.get(`/tasks/${encodeURIComponent(reference ?? '')}`, { schema: taskSchema, signal }),
    enabled: Boolean(reference),
  });
}

export function useSubtasks(taskId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.subtasks(taskId ?? ''),
    queryFn: ({ signal }) => api.get('/tasks', { schema: pageSchema(taskSchema), query: { parentId: taskId, limit: 200 }, signal }),
    enabled: Boolean(taskId),
  });
}

/** Puts a task the server returned into every cache that shows it. */
export function storeTask(queryClient: ReturnType<typeof useQueryClient>, task: Task): void {
  queryClient.setQueryData<Task[]>(queryKeys.board, (tasks) => {
    if (!tasks) return tasks;
    const onBoard = (boardColumns as readonly TaskStatus[]).includes(task.status);
    const others = tasks.filter((each) => each.id !== task.id);
    return onBoard ? [task, ...others] : others;
  });
  queryClient.setQueryData(queryKeys.task(task.id), task);
  queryClient.setQueryData(queryKeys.task(task.key), task);
}

export function useCreateTask() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<CreateTaskInput> & { title: string }) => api.post('/tasks', { schema: taskSchema, body: input }),
    onSuccess: (task) => {
      storeTask(queryClient, task);
      void queryClient.invalidateQueries({ queryKey: queryKeys.tasks });
    },
  });
}

export function useUpdateTask(reference: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateTaskInput) => api.patch(`/tasks/${encodeURIComponent(reference)}`, { schema: taskSchema, body: input }),
    onSuccess: (task) => {
      storeTask(queryClient, task);
      void queryClient.invalidateQueries({ queryKey: queryKeys.tasks });
    },
  });
}

export function useAssignTask(reference: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (assignees: PrincipalReference[]) =>
      api.post(`/tasks/${encodeURIComponent(reference)}/assign`, { schema: taskSchema, body: { assignees } satisfies AssignTaskInput }),
    onSuccess: (task) => {
      storeTask(queryClient, task);
      void queryClient.invalidateQueries({ queryKey: queryKeys.tasks });
    },
  });
}

export function useDeleteTask() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reference: string) => api.delete(`/tasks/${encodeURIComponent(reference)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.tasks }),
  });
}
