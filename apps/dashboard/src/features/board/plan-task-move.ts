import { canTransitionTask, statusesNeedingAssignee, type Task, type TaskStatus } from '@mission-control/contracts';
import { statusLabels } from '../../lib/format';

export type MovePlan = { kind: 'unchanged' } | { kind: 'invalid'; message: string } | { kind: 'needs-assignee' } | { kind: 'move' };

/**
 * Decides what a drop means before anything is sent: the same column does nothing, a move the
 * contract forbids is refused with a reason, and a move into a column that needs an assignee
 * asks who when the task has none (the server would refuse it otherwise).
 */
export function planTaskMove(task: Pick<Task, 'status' | 'assignees' | 'key'>, to: TaskStatus): MovePlan {
  if (task.status === to) return { kind: 'unchanged' };
  if (!canTransitionTask(task.status, to)) {
    return { kind: 'invalid', message: `${task.key} cannot move from ${statusLabels[task.status]} to ${statusLabels[to]}.` };
  }
  if (statusesNeedingAssignee.includes(to) && task.assignees.length === 0) return { kind: 'needs-assignee' };
  return { kind: 'move' };
}
