import { randomBytes } from 'node:crypto';
import {
  type Agent,
  type ClaimResult,
  type ClaimTaskInput,
  defaultLeaseSeconds,
  describeDuration,
  type PrincipalReference,
  principalReferenceSchema,
  type ReleaseTaskInput,
  type Task,
  type TaskStatus,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, systemPrincipal, toPrincipalReference } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AgentService } from '../agents/agent.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { findTasksByIds, loadTaskRelations, replaceTaskAssignees, type TaskRow, updateTaskRow } from './task.repository.js';
import type { TaskService } from './task.service.js';
import {
  clearLease,
  countLiveLeasesOfHolder,
  extendLease,
  listExpiredLeases,
  listLeasesOfHolder,
  listLiveAgentLeases,
  listLiveLeasesOfHolder,
  lockTaskRow,
  takeLease,
} from './task-claim.repository.js';
import { hasNextClaimableTask } from './task-claim-next.repository.js';
import { createClaimNext } from './task-claim-next.service.js';
import { appendTaskStatusChanged } from './task-events.js';

const claimableStatuses: readonly TaskStatus[] = ['inbox', 'assigned', 'in_progress'];

export interface TaskClaimServiceDependencies {
  tasks: TaskService;
  agents: AgentService;
  workspaces: WorkspaceService;
  notifications: NotificationService;
}

export type TaskClaimService = ReturnType<typeof createTaskClaimService>;

/** Claims with leases: who works on what right now, with fencing tokens against stale holders. */
export function createTaskClaimService(context: ServiceContext, dependencies: TaskClaimServiceDependencies) {
  const { db, engine, clock } = context;
  const { tasks } = dependencies;
  const claimNext = createClaimNext(context, dependencies);

  function describeHolder(row: TaskRow) {
    return { kind: row.lease_holder_kind, id: row.lease_holder_id, expiresAt: row.lease_expires_at };
  }

  async function assertClaimable(executor: DatabaseExecutor, principal: Principal, agent: Agent | undefined, row: TaskRow, key: string) {
    const now = clock.now().toISOString();
    if (row.lease_expires_at && row.lease_expires_at > now) {
      throw new AppError(
        'TASK_ALREADY_CLAIMED',
        `${key} is already claimed for another ${describeDuration(Date.parse(row.lease_expires_at) - Date.parse(now))}. Pick another task.`,
        {
          lease: describeHolder(row),
        },
      );
    }
    if (!claimableStatuses.includes(row.status)) {
      throw new AppError('TASK_NOT_CLAIMABLE', `${key} is ${row.status}; only inbox, assigned or in-progress work can be claimed.`);
    }
    const relations = await loadTaskRelations(executor, [row.id]);
    // A holder whose lease ran out (and was not swept yet) has lost the task: it no longer counts.
    const assignees = (relations.assignees.get(row.id) ?? []).filter(
      (assignee) => !(row.lease_token && assignee.kind === row.lease_holder_kind && assignee.id === row.lease_holder_id),
    );
    if (principal.kind === 'agent' && assignees.length > 0 && !assignees.some((assignee) => assignee.id === principal.id)) {
      throw new AppError('TASK_NOT_CLAIMABLE', `${key} is assigned to someone else. Claim your own work or an inbox task.`);
    }
    if (agent) {
      const missing = (relations.capabilities.get(row.id) ?? []).filter((capability) => !agent.capabilities.includes(capability));
      if (missing.length > 0) {
        throw new AppError('TASK_NOT_CLAIMABLE', `${key} needs capabilities you do not have: ${missing.join(', ')}.`, { missing });
      }
    }
    const dependencyIds = relations.dependencyIds.get(row.id) ?? [];
    const open = (await findTasksByIds(executor, row.workspace_id, dependencyIds)).filter((dependency) => dependency.status !== 'done');
    if (open.length > 0) {
      throw new AppError('TASK_NOT_CLAIMABLE', `${key} waits on ${open.length} unfinished dependenc${open.length === 1 ? 'y' : 'ies'}.`, {
        openDependencies: open.map((dependency) => dependency.id),
      });
    }
    return assignees;
  }

  async function claimRow(
    executor: DatabaseExecutor,
    principal: Principal,
    agent: Agent | undefined,
    row: TaskRow,
    leaseSeconds: number,
  ): Promise<ClaimResult> {
    const prefix = await tasks.prefixOf(principal.workspaceId, executor);
    const key = `${prefix}-${row.number}`;
    const assignees = await assertClaimable(executor, principal, agent, row, key);
    if (agent) {
      const held = await countLiveLeasesOfHolder(executor, principal.workspaceId, agent.id, clock.now().toISOString());
      if (held >= agent.concurrencyLimit) {
        throw new AppError(
          'AGENT_AT_CAPACITY',
          `You already hold ${held} task(s), your concurrency limit. Finish or release one before claiming another.`,
        );
      }
    }
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
    const token = randomBytes(24).toString('base64url');
    const claimed = await takeLease(executor, {
      taskId: row.id,
      token,
      holderKind: principal.kind,
      holderId: principal.id,
      expiresAt,
      leaseSeconds,
      now: now.toISOString(),
      claimableStatuses,
    });
    if (!claimed) {
      const current = await tasks.requireTaskRow(executor, principal, row.id);
      throw new AppError('TASK_ALREADY_CLAIMED', `${key} was claimed by someone else a moment ago. Pick another task.`, {
        lease: describeHolder(current),
      });
    }
    const actor = toPrincipalReference(principal);
    const before = (await loadTaskRelations(executor, [row.id])).assignees.get(row.id) ?? [];
    const after = assignees.some((assignee) => assignee.kind === principal.kind && assignee.id === principal.id)
      ? assignees
      : [...assignees, actor];
    if (after.length !== before.length || after.some((assignee, index) => before[index]?.id !== assignee.id)) {
      await replaceTaskAssignees(executor, claimed, after, now.toISOString());
    }
    await appendEvent(executor, {
      workspaceId: principal.workspaceId,
      type: 'task-claimed',
      actor,
      taskId: row.id,
      agentId: principal.kind === 'agent' ? principal.id : null,
      summary: `${key} claimed for ${describeDuration(Date.parse(expiresAt) - now.getTime())}`,
      data: { key, holder: actor, expiresAt },
      at: now,
    });
    if (row.status !== 'in_progress') {
      await appendTaskStatusChanged(executor, {
        workspaceId: principal.workspaceId,
        actor,
        taskId: row.id,
        key,
        from: row.status,
        to: 'in_progress',
        at: now,
      });
    }
    return { task: await tasks.hydrateTask(executor, claimed), lease: { token, expiresAt, holder: actor } };
  }

  /** Who hears about work that fell back to the board: the lead agents, or the owners when there is none. */
  async function findSupervisors(workspaceId: string): Promise<PrincipalReference[]> {
    const principal = systemPrincipal(workspaceId);
    const leads = (await dependencies.agents.listAgents(principal, { kind: 'lead', limit: 20 })).data;
    if (leads.length > 0) return leads.map((lead) => ({ kind: 'agent', id: lead.id }));
    return (await dependencies.workspaces.listMembers(principal))
      .filter((member) => member.role === 'owner')
      .map((member) => ({ kind: 'user', id: member.user.id }));
  }

  /**
   * Puts a task whose holder is gone back on the board: the holder leaves the assignees, and the
   * task returns to assigned (others remain) or to the inbox, so that someone else can take it.
   */
  async function returnToBoard(executor: DatabaseExecutor, row: TaskRow, why: string, supervisors: PrincipalReference[]): Promise<boolean> {
    if (!row.lease_token) return false;
    if (!(await clearLease(executor, row.id, row.lease_token))) return false;
    const prefix = await tasks.prefixOf(row.workspace_id, executor);
    const key = `${prefix}-${row.number}`;
    const now = clock.now();
    const holder = { kind: row.lease_holder_kind, id: row.lease_holder_id };
    const assignees = ((await loadTaskRelations(executor, [row.id])).assignees.get(row.id) ?? []).filter(
      (assignee) => !(assignee.kind === holder.kind && assignee.id === holder.id),
    );
    await replaceTaskAssignees(executor, row, assignees, now.toISOString());
    const status: TaskStatus = row.status === 'in_progress' ? (assignees.length > 0 ? 'assigned' : 'inbox') : row.status;
    await updateTaskRow(executor, row.id, { status, updated_at: now.toISOString() });
    await appendEvent(executor, {
      workspaceId: row.workspace_id,
      type: 'task-lease-expired',
      actor: null,
      taskId: row.id,
      agentId: holder.kind === 'agent' ? holder.id : null,
      summary: `${key} returned to ${status}: ${why}`,
      data: { key, holder: principalReferenceSchema.parse(holder), reason: why, status },
      at: now,
    });
    if (status !== row.status) {
      await appendTaskStatusChanged(executor, {
        workspaceId: row.workspace_id,
        actor: null,
        taskId: row.id,
        key,
        from: row.status,
        to: status,
        reason: why,
        at: now,
      });
    }
    await dependencies.notifications.notifyInTransaction(
      executor,
      row.workspace_id,
      null,
      supervisors.map((recipient) => ({
        recipient,
        taskId: row.id,
        reason: 'system' as const,
        content: `${key} "${row.title}" went back to ${status}: ${why}.`,
      })),
    );
    return true;
  }

  return {
    async claimTask(principal: Principal, reference: string, input: ClaimTaskInput): Promise<ClaimResult> {
      assertCan(principal, 'work:write');
      return db.transaction().execute(async (trx) => {
        const agent = principal.kind === 'agent' ? await dependencies.agents.lockAgent(trx, principal, principal.id) : undefined;
        let row = await tasks.requireTaskRow(trx, principal, reference);
        if (engine === 'postgres') {
          // Claimers queue on the row, so each one's checks read the task as the previous claimer
          // left it: a loser sees the winner's lease (TASK_ALREADY_CLAIMED), never a half-seen
          // mix of the old lease and the new assignee.
          await lockTaskRow(trx, row.id);
          row = await tasks.requireTaskRow(trx, principal, row.id);
        }
        return claimRow(trx, principal, agent, row, input.leaseSeconds);
      });
    },

    /** Claims the calling agent's best next task, or answers undefined when there is none. */
    claimNextTask: (principal: Principal, input: ClaimTaskInput) => claimNext(principal, input),

    async releaseTask(principal: Principal, reference: string, input: ReleaseTaskInput): Promise<Task> {
      assertCan(principal, 'work:write');
      return db.transaction().execute(async (trx) => {
        const row = await tasks.requireTaskRow(trx, principal, reference);
        const prefix = await tasks.prefixOf(principal.workspaceId, trx);
        const key = `${prefix}-${row.number}`;
        const now = clock.now();
        if (!row.lease_token || row.lease_token !== input.leaseToken) {
          throw new AppError('LEASE_CONFLICT', `That lease on ${key} is not current. Claim the task again before working on it.`);
        }
        if (!row.lease_expires_at || row.lease_expires_at <= now.toISOString()) {
          throw new AppError('LEASE_EXPIRED', `Your lease on ${key} expired. Claim the task again before working on it.`);
        }
        await clearLease(trx, row.id, input.leaseToken);
        // Releasing means stepping away: the holder leaves the assignees.
        const assignees = ((await loadTaskRelations(trx, [row.id])).assignees.get(row.id) ?? []).filter(
          (assignee) => !(assignee.kind === principal.kind && assignee.id === principal.id),
        );
        const status: TaskStatus = input.status ?? (assignees.length > 0 ? 'assigned' : 'inbox');
        await replaceTaskAssignees(trx, row, status === 'inbox' ? [] : assignees, now.toISOString());
        await updateTaskRow(trx, row.id, { status, updated_at: now.toISOString() });
        const actor = toPrincipalReference(principal);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'task-released',
          actor,
          taskId: row.id,
          agentId: principal.kind === 'agent' ? principal.id : null,
          summary: `${key} released${input.reason ? `: ${input.reason}` : ''}`,
          data: { key, status, ...(input.reason ? { reason: input.reason } : {}) },
          at: now,
        });
        if (status !== row.status) {
          await appendTaskStatusChanged(trx, {
            workspaceId: principal.workspaceId,
            actor,
            taskId: row.id,
            key,
            from: row.status,
            to: status,
            at: now,
          });
        }
        return tasks.hydrateTask(trx, await tasks.requireTaskRow(trx, principal, row.id));
      });
    },

    /**
     * Renews the holder's live leases that are past half their term, so a steady heartbeat keeps
     * work claimed while writing only when a lease actually needs it.
     */
    async renewLeases(principal: Principal, holderId: string) {
      const now = clock.now();
      const leases = await listLiveLeasesOfHolder(db, principal.workspaceId, holderId, now.toISOString());
      const prefix = await tasks.prefixOf(principal.workspaceId);
      const renewed = [];
      for (const lease of leases) {
        // The query answers live leases only, so the expiry is always set.
        if (!lease.lease_expires_at) continue;
        const seconds = lease.lease_seconds ?? defaultLeaseSeconds;
        const remaining = Date.parse(lease.lease_expires_at) - now.getTime();
        let expiresAt = lease.lease_expires_at;
        if (remaining < (seconds * 1000) / 2 && lease.lease_token) {
          expiresAt = new Date(now.getTime() + seconds * 1000).toISOString();
          await extendLease(db, lease.id, lease.lease_token, expiresAt);
        }
        // When the next heartbeat should renew it again (half its term from now on).
        const renewAtMs = Date.parse(expiresAt) - (seconds * 1000) / 2;
        renewed.push({ taskId: lease.id, key: `${prefix}-${lease.number}`, expiresAt, renewAtMs });
      }
      return renewed;
    },

    /**
     * Progress under a lease (a message carrying the token): the token must be the live lease,
     * exactly as for a status change, and the lease is renewed for its full term.
     */
    async renewLeaseForProgress(executor: DatabaseExecutor, principal: Principal, taskId: string, token: string, key: string) {
      const row = await tasks.requireTaskRow(executor, principal, taskId);
      const now = clock.now();
      if (row.lease_token !== token) {
        throw new AppError('LEASE_CONFLICT', `That lease on ${key} is not current. Claim the task again before reporting progress.`);
      }
      if (!row.lease_expires_at || row.lease_expires_at <= now.toISOString()) {
        throw new AppError('LEASE_EXPIRED', `Your lease on ${key} expired. Claim the task again before reporting progress.`);
      }
      const expiresAt = new Date(now.getTime() + (row.lease_seconds ?? defaultLeaseSeconds) * 1000).toISOString();
      await extendLease(executor, taskId, token, expiresAt);
      return expiresAt;
    },

    /** Whether claim-next would find something for this agent right now (reads only). */
    async hasClaimableTask(principal: Principal, agent: Agent): Promise<boolean> {
      return hasNextClaimableTask(db, engine, {
        workspaceId: principal.workspaceId,
        agentId: agent.id,
        capabilities: agent.capabilities,
        now: clock.now().toISOString(),
      });
    },

    /** Returns every task whose lease ran out to the board; the scheduler calls this. */
    /** The tasks agents hold a live lease on, with the holder. */
    async listLiveAgentLeases(workspaceId: string): Promise<{ taskId: string; key: string; title: string; agentId: string }[]> {
      const rows = await listLiveAgentLeases(db, workspaceId, clock.now().toISOString());
      const prefix = await tasks.prefixOf(workspaceId);
      return rows.flatMap((row) =>
        row.lease_holder_id ? [{ taskId: row.id, key: `${prefix}-${row.number}`, title: row.title, agentId: row.lease_holder_id }] : [],
      );
    },

    async expireLeases(limit = 100): Promise<number> {
      const expired = await listExpiredLeases(db, clock.now().toISOString(), limit);
      let count = 0;
      for (const row of expired) {
        const supervisors = await findSupervisors(row.workspace_id);
        const returned = await db
          .transaction()
          .execute((trx) => returnToBoard(trx, row, 'the lease expired without a heartbeat', supervisors));
        if (returned) count += 1;
      }
      return count;
    },

    /** Frees every lease an agent holds (it went offline). */
    async releaseLeasesOfAgent(
      executor: DatabaseExecutor,
      workspaceId: string,
      agentId: string,
      why: string,
      supervisors: PrincipalReference[],
    ): Promise<number> {
      const held = await listLeasesOfHolder(executor, workspaceId, agentId);
      let count = 0;
      for (const row of held) if (await returnToBoard(executor, row, why, supervisors)) count += 1;
      return count;
    },

    findSupervisors,
  };
}
