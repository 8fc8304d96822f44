import type { PrincipalReference, TaskStatus } from '@mission-control/contracts';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { outcomeOfStatusChange, recordTaskOutcome } from '../skills/outcome.service.js';

/**
 * Records a move on the board; every path that changes a task's status goes through here, so the
 * task's outcome (done, failed, sent back) is recorded here too, in the same transaction.
 */
export async function appendTaskStatusChanged(
  executor: DatabaseExecutor,
  change: {
    workspaceId: string;
    actor: PrincipalReference | null;
    taskId: string;
    key: string;
    from: TaskStatus;
    to: TaskStatus;
    reason?: string | undefined;
    at: Date;
  },
): Promise<void> {
  await appendEvent(executor, {
    workspaceId: change.workspaceId,
    type: 'task-status-changed',
    actor: change.actor,
    taskId: change.taskId,
    summary: `${change.key} moved from ${change.from} to ${change.to}${change.reason ? `: ${change.reason}` : ''}`,
    data: {
      key: change.key,
      from: change.from,
      to: change.to,
      ...(change.reason ? { reason: change.reason } : {}),
    },
    at: change.at,
  });
  const outcome = outcomeOfStatusChange(change.from, change.to);
  if (outcome)
    await recordTaskOutcome(executor, {
      workspaceId: change.workspaceId,
      taskId: change.taskId,
      ...outcome,
      reason: change.reason,
      at: change.at,
    });
}
