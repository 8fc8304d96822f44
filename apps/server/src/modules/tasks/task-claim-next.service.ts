import { randomBytes } from 'node:crypto';
import { type ClaimResult, type ClaimTaskInput, describeDuration, type PrincipalReference } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AgentService } from '../agents/agent.service.js';
import { deleteTaskAssignee, insertTaskAssignee, loadTaskRelations, type TaskRow, toTask } from './task.repository.js';
import type { TaskService } from './task.service.js';
import { countLiveLeasesOfHolder } from './task-claim.repository.js';
import { claimNextTask, type PreviousClaim } from './task-claim-next.repository.js';
import { appendTaskStatusChanged } from './task-events.js';

/**
 * claim-next: the agent's best next task taken in one conditional statement (see
 * task-claim-next.repository.ts), its relations read once, and the answer built from them.
 */
export function createClaimNext(context: ServiceContext, dependencies: { tasks: TaskService; agents: AgentService }) {
  const { db, engine, clock } = context;
  const { tasks } = dependencies;

  function newLease(principal: Principal, leaseSeconds: number) {
    const expiresAt = new Date(clock.now().getTime() + leaseSeconds * 1000).toISOString();
    return { token: randomBytes(24).toString('base64url'), holderKind: principal.kind, holderId: principal.id, expiresAt, leaseSeconds };
  }

  /**
   * After claim-next took the lease in one statement: the claimer joins the assignees (an expired
   * holder leaves them), the events are written, and the answer is built from the relations read
   * once.
   */
  async function finishClaim(
    executor: DatabaseExecutor,
    principal: Principal,
    claimed: TaskRow,
    previous: PreviousClaim,
    lease: ReturnType<typeof newLease>,
  ): Promise<ClaimResult> {
    const prefix = await tasks.prefixOf(principal.workspaceId, executor);
    const key = `${prefix}-${claimed.number}`;
    const now = clock.now();
    const actor = toPrincipalReference(principal);
    const relations = await loadTaskRelations(executor, [claimed.id]);
    const before = relations.assignees.get(claimed.id) ?? [];
    const staleHolder = previous.hadLease
      ? before.find((assignee) => assignee.kind === previous.leaseHolderKind && assignee.id === previous.leaseHolderId)
      : undefined;
    const isClaimer = (assignee: PrincipalReference) => assignee.kind === actor.kind && assignee.id === actor.id;
    const kept = before.filter((assignee) => assignee !== staleHolder);
    if (staleHolder) await deleteTaskAssignee(executor, claimed.id, staleHolder);
    if (!kept.some(isClaimer)) {
      await insertTaskAssignee(executor, claimed, actor, now.toISOString());
      // Alone on the task the answer is known; beside others their stored order decides.
      if (kept.length === 0) relations.assignees.set(claimed.id, [actor]);
      else relations.assignees = (await loadTaskRelations(executor, [claimed.id])).assignees;
    } else {
      relations.assignees.set(claimed.id, kept);
    }
    await appendEvent(executor, {
      workspaceId: principal.workspaceId,
      type: 'task-claimed',
      actor,
      taskId: claimed.id,
      agentId: principal.kind === 'agent' ? principal.id : null,
      summary: `${key} claimed for ${describeDuration(Date.parse(lease.expiresAt) - now.getTime())}`,
      data: { key, holder: actor, expiresAt: lease.expiresAt },
      at: now,
    });
    if (previous.status !== 'in_progress') {
      await appendTaskStatusChanged(executor, {
        workspaceId: principal.workspaceId,
        actor,
        taskId: claimed.id,
        key,
        from: previous.status,
        to: 'in_progress',
        at: now,
      });
    }
    return { task: toTask(claimed, prefix, relations), lease: { token: lease.token, expiresAt: lease.expiresAt, holder: actor } };
  }

  return async function claimNextTaskOfAgent(principal: Principal, input: ClaimTaskInput): Promise<ClaimResult | undefined> {
    assertCan(principal, 'work:write');
    if (principal.kind !== 'agent') {
      throw new AppError('FORBIDDEN', 'Only agents ask for their next task. Use an agent API key.');
    }
    return db.transaction().execute(async (trx) => {
      const agent = await dependencies.agents.lockAgent(trx, principal, principal.id);
      const now = clock.now().toISOString();
      const held = await countLiveLeasesOfHolder(trx, principal.workspaceId, agent.id, now);
      if (held >= agent.concurrencyLimit) {
        throw new AppError(
          'AGENT_AT_CAPACITY',
          `You already hold ${held} task(s), your concurrency limit. Finish or release one before claiming another.`,
        );
      }
      const lease = newLease(principal, input.leaseSeconds);
      const claimed = await claimNextTask(
        trx,
        engine,
        { workspaceId: principal.workspaceId, agentId: agent.id, capabilities: agent.capabilities, now },
        lease,
      );
      if (!claimed) return undefined;
      return finishClaim(trx, principal, claimed.row, claimed.previous, lease);
    });
  };
}
