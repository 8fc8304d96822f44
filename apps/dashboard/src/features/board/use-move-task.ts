import { endpoints, type PrincipalReference, type Task, type TaskStatus } from '@mission-control/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../../lib/describe-error';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';
import { showToast } from '../../lib/toasts';
import { storeTask } from '../tasks/tasks-api';

export interface MoveTaskInput {
  task: Task;
  to: TaskStatus;
  /** Given when the move needs someone to do the work (the assign dialog). */
  assignees?: PrincipalReference[];
}

/**
 * Moves a card at once and tells the server; if the server refuses, the card goes back to where
 * it was and the refusal is shown. The board cache is the single source the columns read from.
 */
export function useMoveTask() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ task, to, assignees }: MoveTaskInput): Promise<Task> => {
      let current = task;
      if (assignees) {
        current = await client.request(endpoints.assignTask, { params: { id: task.id }, body: { assignees } });
      }
      if (current.status !== to) {
        current = await client.request(endpoints.changeTaskStatus, { params: { id: task.id }, body: { status: to } });
      }
      return current;
    },
    onMutate: async ({ task, to, assignees }) => {
      await queryClient.cancelQueries({ queryKey: queryKeys.board });
      const previous = queryClient.getQueryData<Task[]>(queryKeys.board);
      queryClient.setQueryData<Task[]>(queryKeys.board, (tasks) =>
        tasks?.map((each) => (each.id === task.id ? { ...each, status: to, assignees: assignees ?? each.assignees } : each)),
      );
      return { previous };
    },
    onError: (error, { task }, context) => {
      if (context?.previous) queryClient.setQueryData(queryKeys.board, context.previous);
      showToast(`${task.key} was not moved: ${describeError(error)}`, 'error');
    },
    onSuccess: (task) => storeTask(queryClient, task),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.board }),
  });
}
