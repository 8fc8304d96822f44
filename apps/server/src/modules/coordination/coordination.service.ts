import type { Activity, Agent, AssignmentCandidate, Task, WorkspaceRuntimeSettings } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, systemPrincipal, toPrincipalReference } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AgentService } from '../agents/agent.service.js';
import type { MessageService } from '../messages/message.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import { type OutcomeService, recordTaskOutcome } from '../skills/outcome.service.js';
import type { TaskService } from '../tasks/task.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { type AgentRecord, scoreAgentsForTask } from './assignment-scoring.js';
import {
  claimEventOnce,
  countOpenTasksPerAgent,
  findParentProgress,
  findWorkspaceRuntimeSettings,
  listReleasedDependents,
  saveWorkspaceRuntimeSettings,
} from './coordination.repository.js';

export interface CoordinationServiceDependencies {
  agents: AgentService;
  tasks: TaskService;
  messages: MessageService;
  notifications: NotificationService;
  workspaces: WorkspaceService;
  outcomes: OutcomeService;
}

/** How far back the scorer looks for an agent's record on similar tasks. */
const historyDays = 30;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
}

export type CoordinationService = ReturnType<typeof createCoordinationService>;

/** The lead's instruments: who should take a task (deterministic scoring), auto-assignment, escalation, review send-backs. */
export function createCoordinationService(context: ServiceContext, dependencies: CoordinationServiceDependencies) {
  const { db, clock } = context;
  const { agents, tasks } = dependencies;

  async function listAllAgents(principal: Principal): Promise<Agent[]> {
    const all: Agent[] = [];
    let cursor: string | undefined;
    do {
      const page = await agents.listAgents(principal, { limit: 200, ...(cursor ? { cursor } : {}) });
      all.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  async function rankCandidates(principal: Principal, task: Task): Promise<AssignmentCandidate[]> {
    const squad = await listAllAgents(principal);
    const since = new Date(clock.now().getTime() - historyDays * 86_400_000).toISOString();
    const [open, outcomes] = await Promise.all([
      countOpenTasksPerAgent(db, principal.workspaceId),
      dependencies.outcomes.listSimilarOutcomes(principal.workspaceId, task.requiredCapabilities, since),
    ]);
    const records = new Map<string, AgentRecord>();
    const durations = new Map<string, number[]>();
    const recordOf = (agentId: string) => {
      let record = records.get(agentId);
      if (!record) {
        record = { openTasks: 0, similarDone: 0, similarFailed: 0, medianHoursToDone: null };
        records.set(agentId, record);
      }
      return record;
    };
    for (const row of open) recordOf(row.assignee_id).openTasks = Number(row.open_tasks);
    const allDurations: number[] = [];
    for (const outcome of outcomes) {
      const record = recordOf(outcome.agentId);
      if (outcome.kind === 'done') {
        record.similarDone += 1;
        const hours = outcome.durationMs / 3_600_000;
        durations.set(outcome.agentId, [...(durations.get(outcome.agentId) ?? []), hours]);
        allDurations.push(hours);
      } else {
        // Failed, escalated and sent back by review all count against the record.
        record.similarFailed += 1;
      }
    }
    for (const [agentId, hours] of durations) recordOf(agentId).medianHoursToDone = median(hours);
    return scoreAgentsForTask(task, squad, records, median(allDurations));
  }

  async function ownersOf(workspaceId: string) {
    return (await dependencies.workspaces.listMembers(systemPrincipal(workspaceId))).filter((member) => member.role === 'owner');
  }

  /** Who assigns when nobody asked: the first lead agent, else the first owner (events name a real principal). */
  async function autoAssigner(workspaceId: string): Promise<Principal | null> {
    const lead = (await agents.listAgents(systemPrincipal(workspaceId), { kind: 'lead', limit: 1 })).data[0];
    if (lead) return { kind: 'agent', id: lead.id, workspaceId, role: 'agent', sessionId: null };
    const owner = (await ownersOf(workspaceId))[0];
    return owner ? { kind: 'user', id: owner.user.id, workspaceId, role: 'owner', sessionId: null } : null;
  }

  async function releaseFinishedWork(workspaceId: string, taskId: string) {
    const assigner = await autoAssigner(workspaceId);
    if (!assigner) return;
    for (const dependentId of await listReleasedDependents(db, workspaceId, taskId)) await service.assignBest(assigner, dependentId);
    const progress = await findParentProgress(db, workspaceId, taskId);
    if (!progress || progress.openSubtasks > 0) return;
    const parent = await tasks.getTask(assigner, progress.parentId);
    const recipients = parent.assignees.length > 0 ? parent.assignees : [parent.creator];
    await db.transaction().execute((trx) =>
      dependencies.notifications.notifyInTransaction(
        trx,
        workspaceId,
        null,
        recipients.map((recipient) => ({
          recipient,
          taskId: parent.id,
          reason: 'status' as const,
          content: `Every subtask of ${parent.key} is done: review the result and close the goal.`,
        })),
      ),
    );
  }

  async function notifyReviewers(workspaceId: string, taskId: string, key: string, actor: Activity['actor']) {
    const reviewers = (await agents.listAgents(systemPrincipal(workspaceId), { kind: 'reviewer', limit: 50 })).data;
    if (reviewers.length === 0) return;
    await db.transaction().execute((trx) =>
      dependencies.notifications.notifyInTransaction(
        trx,
        workspaceId,
        actor,
        reviewers.map((reviewer) => ({
          recipient: { kind: 'agent' as const, id: reviewer.id },
          taskId,
          reason: 'status' as const,
          kind: 'review-requested' as const,
          content: `${key} is ready for review.`,
        })),
      ),
    );
  }

  const service = {
    /** Every agent scored for the task, best first, with the reasons. */
    async suggestAssignees(principal: Principal, taskReference: string): Promise<AssignmentCandidate[]> {
      const task = await tasks.getTask(principal, taskReference);
      return rankCandidates(principal, task);
    },

    /** Assigns the task to the best eligible agent; null when nobody fits. */
    async assignBest(principal: Principal, taskReference: string): Promise<{ task: Task; chosen: AssignmentCandidate | null }> {
      assertCan(principal, 'work:write');
      const task = await tasks.getTask(principal, taskReference);
      const chosen = (await rankCandidates(principal, task)).find((candidate) => candidate.eligible) ?? null;
      if (!chosen) return { task, chosen: null };
      const assigned = await tasks.assignTask(principal, task.id, { assignees: [{ kind: 'agent', id: chosen.agentId }] });
      return { task: assigned, chosen };
    },

    async getSettings(principal: Principal): Promise<WorkspaceRuntimeSettings> {
      assertCan(principal, 'workspace:read');
      const row = await findWorkspaceRuntimeSettings(db, principal.workspaceId);
      return { autoAssign: Boolean(row?.auto_assign_enabled_at), humanReview: !row?.human_review_disabled_at };
    },

    /** Changes the settings sent; the others keep their value. */
    async updateSettings(principal: Principal, input: { autoAssign?: boolean; humanReview?: boolean }): Promise<WorkspaceRuntimeSettings> {
      assertCan(principal, 'agent:manage');
      const now = clock.now().toISOString();
      const current = await findWorkspaceRuntimeSettings(db, principal.workspaceId);
      const autoAssign = input.autoAssign ?? Boolean(current?.auto_assign_enabled_at);
      const humanReview = input.humanReview ?? !current?.human_review_disabled_at;
      const values = {
        auto_assign_enabled_at: autoAssign ? (current?.auto_assign_enabled_at ?? now) : null,
        human_review_disabled_at: humanReview ? null : (current?.human_review_disabled_at ?? now),
        updated_at: now,
      };
      await saveWorkspaceRuntimeSettings(db, principal.workspaceId, values);
      return { autoAssign, humanReview };
    },

    /**
     * Auto-assignment (when the workspace turned it on): new inbox tasks without assignees go to the
     * best agent. Fed by the event stream; several instances may see the same event, and the
     * scoring is deterministic, so they choose the same agent and the second assignment changes nothing.
     */
    async autoAssignCreatedTasks(events: readonly Activity[]): Promise<number> {
      let assigned = 0;
      for (const event of events) {
        if (event.type !== 'task-created' || !event.taskId) continue;
        const settings = await findWorkspaceRuntimeSettings(db, event.workspaceId);
        if (!settings?.auto_assign_enabled_at) continue;
        const assigner = await autoAssigner(event.workspaceId);
        if (!assigner) continue;
        const task = await tasks.getTask(assigner, event.taskId).catch(() => null);
        if (task?.status !== 'inbox' || task.assignees.length > 0) continue;
        const result = await service.assignBest(assigner, task.id);
        if (result.chosen) assigned += 1;
      }
      return assigned;
    },

    /**
     * What the squad's coordination does without any model, fed by the event stream: auto-assign new
     * tasks (when on), assign subtasks whose dependencies just finished, tell the reviewers when work
     * enters review, and tell a goal's assignees when its last subtask is done.
     */
    async handleEvents(events: readonly Activity[]): Promise<void> {
      const relevant: Activity[] = [];
      for (const event of events) {
        const interesting =
          event.type === 'task-created' ||
          (event.type === 'task-status-changed' && (event.data.to === 'done' || event.data.to === 'review'));
        if (interesting && (await claimEventOnce(db, 'coordination', event.id, clock.now().toISOString()))) relevant.push(event);
      }
      await service.autoAssignCreatedTasks(relevant);
      for (const event of relevant) {
        if (event.type !== 'task-status-changed' || !event.taskId) continue;
        const to = event.data.to;
        if (to === 'done') await releaseFinishedWork(event.workspaceId, event.taskId);
        if (to === 'review') await notifyReviewers(event.workspaceId, event.taskId, event.data.key, event.actor);
      }
    },

    /** Hands blocked or stale work to a person: the task shows blocked, owners are notified, the feed says why. */
    async escalateTask(principal: Principal, taskReference: string, input: { reason: string }): Promise<Task> {
      assertCan(principal, 'work:write');
      let task = await tasks.getTask(principal, taskReference);
      if (task.status !== 'blocked') {
        task = await tasks.changeTaskStatus(principal, task.id, { status: 'blocked', reason: `escalated: ${input.reason}` });
      }
      const owners = await ownersOf(principal.workspaceId);
      const now = clock.now();
      const summary = `${task.key} escalated to a human: ${input.reason}`;
      await db.transaction().execute(async (trx) => {
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'task-escalated',
          actor: toPrincipalReference(principal),
          taskId: task.id,
          summary,
          data: { key: task.key, reason: input.reason },
          at: now,
        });
        await recordTaskOutcome(trx, {
          workspaceId: principal.workspaceId,
          taskId: task.id,
          kind: 'escalated',
          review: 'none',
          reason: input.reason,
          at: now,
        });
        await dependencies.notifications.notifyInTransaction(
          trx,
          principal.workspaceId,
          toPrincipalReference(principal),
          owners.map((owner) => ({
            recipient: { kind: 'user' as const, id: owner.user.id },
            taskId: task.id,
            reason: 'system' as const,
            kind: 'escalation' as const,
            content: summary,
          })),
        );
      });
      return task;
    },

    /** A reviewer sends work in review back to its assignees with a comment saying what to change. */
    async sendBackTask(principal: Principal, taskReference: string, input: { comment: string }): Promise<Task> {
      assertCan(principal, 'work:write');
      const task = await tasks.getTask(principal, taskReference);
      if (task.status !== 'review') {
        throw new AppError(
          'TASK_INVALID_TRANSITION',
          `${task.key} is ${task.status}, not in review: only work in review can be sent back.`,
        );
      }
      const assignedAgents = await agents.findAgents(
        principal,
        task.assignees.filter((assignee) => assignee.kind === 'agent').map((assignee) => assignee.id),
      );
      const mentions = assignedAgents.map((agent) => `@${agent.name}`).join(' ');
      await dependencies.messages.postMessage(principal, task.id, {
        content: `Changes requested${mentions ? ` ${mentions}` : ''}: ${input.comment}`,
        type: 'comment',
        attachments: [],
      });
      return tasks.changeTaskStatus(principal, task.id, {
        status: 'in_progress',
        reason: `sent back by review: ${input.comment.slice(0, 300)}`,
      });
    },
  };
  return service;
}
