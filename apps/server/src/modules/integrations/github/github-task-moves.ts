import type { TaskStatus } from '@mission-control/contracts';
import type { Principal } from '../../../auth/principal.js';
import type { DatabaseExecutor } from '../../../db/database.js';
import { AppError } from '../../../http/app-error.js';
import type { MessageService } from '../../messages/message.service.js';
import type { TaskService } from '../../tasks/task.service.js';
import { type GithubIssueLinkRow, setIssueLinkState } from './github.repository.js';
import type { GithubIssue } from './github-client.js';

const isEnded = (status: TaskStatus) => status === 'done' || status === 'cancelled';

/**
 * How GitHub moves tasks on the board: a merged pull request or a closed issue finishes the task,
 * an issue closed as not planned cancels it, a reopened issue sends it back. A task the board
 * will not move that way stays where it is and its thread says why.
 */
export function createGithubTaskMoves(dependencies: { db: DatabaseExecutor; tasks: TaskService; messages: MessageService }) {
  const { db, tasks, messages } = dependencies;

  async function moveTask(actor: Principal, taskId: string, target: TaskStatus, reason: string): Promise<void> {
    const task = await tasks.getTask(actor, taskId);
    if (task.status === target) return;
    // Nothing jumps to done from before the work started: it goes through in_progress.
    const steps: TaskStatus[] =
      target === 'done' && (task.status === 'assigned' || task.status === 'blocked') ? ['in_progress', 'done'] : [target];
    try {
      for (const status of steps) await tasks.changeTaskStatus(actor, taskId, { status, reason });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await messages.postMessage(actor, taskId, {
        content: `${reason}, but ${task.key} could not move to ${target}: ${error.message}`,
        type: 'status_update',
        attachments: [],
      });
    }
  }

  /**
   * Moves the linked task when the issue was closed or reopened on GitHub since this server last
   * saw or set its state; answers whether it was.
   */
  async function followIssueState(actor: Principal, link: GithubIssueLinkRow, issue: GithubIssue): Promise<boolean> {
    const state = issue.state === 'closed' ? 'closed' : 'open';
    if (state === link.issue_state) return false;
    await setIssueLinkState(db, link.id, state);
    const task = await tasks.getTask(actor, link.task_id);
    if (state === 'closed' && !isEnded(task.status)) {
      const notPlanned = issue.state_reason === 'not_planned';
      await moveTask(actor, task.id, notPlanned ? 'cancelled' : 'done', `Issue #${issue.number} was closed on GitHub`);
    } else if (state === 'open' && isEnded(task.status)) {
      // Back to work for a finished task, back to the inbox for a cancelled one: the only ways the board allows.
      await moveTask(actor, task.id, task.status === 'done' ? 'in_progress' : 'inbox', `Issue #${issue.number} was reopened on GitHub`);
    }
    return true;
  }

  return { moveTask, followIssueState };
}
