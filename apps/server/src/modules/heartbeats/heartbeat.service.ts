import type { HeartbeatRequest, HeartbeatResponse, PrincipalReference, Task } from '@mission-control/contracts';
import { priorityRank } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, systemPrincipal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { AgentService } from '../agents/agent.service.js';
import { describeSilence } from '../agents/agent-silence.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { TaskService } from '../tasks/task.service.js';
import type { TaskClaimService } from '../tasks/task-claim.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { HeartbeatSummaries, type HeartbeatSummary } from './heartbeat-summaries.js';
import { PresenceBuffer } from './presence-buffer.js';

/** An agent is offline once it has missed this many heartbeat intervals. */
export const missedHeartbeatsBeforeOffline = 3;

/**
 * A summary is read again after this long even if no event said it changed: it bounds what a
 * write without an event on another instance (a notification marked delivered) can leave stale.
 */
const summaryLifetimeMs = 30_000;

export interface HeartbeatServiceDependencies {
  agents: AgentService;
  tasks: TaskService;
  claims: TaskClaimService;
  notifications: NotificationService;
  workspaces: WorkspaceService;
}

export type HeartbeatService = ReturnType<typeof createHeartbeatService>;

export function createHeartbeatService(context: ServiceContext, dependencies: HeartbeatServiceDependencies) {
  const { clock } = context;
  const { agents, tasks, claims, notifications, workspaces } = dependencies;

  /** The owners and admins of a workspace: the people who can bring a silent agent back. */
  async function findWorkspaceAdministrators(workspaceId: string): Promise<PrincipalReference[]> {
    return (await workspaces.listMembers(systemPrincipal(workspaceId)))
      .filter((member) => member.role === 'owner' || member.role === 'admin')
      .map((member) => ({ kind: 'user', id: member.user.id }));
  }
  const presence = new PresenceBuffer();

  const summaries = new HeartbeatSummaries();
  // A read of an agent's notifications changes its unread count without an event.
  notifications.onRecipientRead((recipient) => {
    if (recipient.kind === 'agent') summaries.dropAgent(recipient.id);
  });

  /** Reads everything a heartbeat answers, writing a transition at once; stores the summary. */
  async function readHeartbeat(principal: Principal, agentId: string, input: HeartbeatRequest, now: Date) {
    const token = summaries.begin();
    let agent = await agents.getAgent(principal, agentId);
    const deadline = new Date(now.getTime() + agent.heartbeatIntervalSeconds * 1000 * missedHeartbeatsBeforeOffline);
    const status = input.status ?? (agent.status === 'offline' ? 'idle' : agent.status);
    if (input.currentTaskId) await tasks.resolveTaskId(principal, input.currentTaskId);
    if (status !== agent.status || agent.lastHeartbeatAt === null) {
      presence.forget(agentId);
      agent = await agents.recordPresence(principal, agentId, {
        status,
        at: now,
        deadline,
        reason: agent.status === 'offline' ? 'heartbeat' : 'reported by the agent',
      });
    } else {
      presence.record(agentId, now, deadline);
      agent = { ...agent, lastHeartbeatAt: now.toISOString() };
    }

    const holder = { ...principal, kind: 'agent' as const, id: agentId, role: 'agent' as const, sessionId: null };
    const [leases, unread, assigned] = await Promise.all([
      claims.renewLeases(principal, agentId),
      notifications.listUnreadOf(principal.workspaceId, { kind: 'agent', id: agentId }, 10),
      tasks.listTasks(principal, { assigneeId: agentId, status: ['assigned', 'in_progress', 'review', 'blocked'], limit: 50 }),
    ]);
    const assignedTasks = [...assigned.data].sort(
      (left: Task, right: Task) => priorityRank[right.priority] - priorityRank[left.priority] || left.number - right.number,
    );
    let lead: HeartbeatResponse['lead'] = null;
    if (agent.kind === 'lead') {
      const counts = await tasks.countTasksByStatus(principal, ['inbox', 'blocked']);
      lead = { inboxCount: counts.inbox ?? 0, blockedCount: counts.blocked ?? 0 };
    }
    const hasAssignedWork = assignedTasks.some((task) => task.status === 'assigned' || task.status === 'in_progress');
    const hasWork =
      unread.unreadCount > 0 ||
      hasAssignedWork ||
      (lead !== null && (lead.inboxCount > 0 || lead.blockedCount > 0)) ||
      (agent.kind !== 'lead' && (await claims.hasClaimableTask(holder, agent)));
    const summary: HeartbeatSummary = {
      workspaceId: principal.workspaceId,
      agent,
      notifications: unread,
      assignedTasks,
      leases,
      lead,
      hasWork,
      staleAtMs: now.getTime() + summaryLifetimeMs,
    };
    summaries.store(agentId, summary, token);
    return { summary, deadline };
  }

  /** The stored summary when this beat changes nothing a summary holds: same status, no lease due. */
  function findSteadySummary(principal: Principal, agentId: string, input: HeartbeatRequest, nowMs: number) {
    const summary = summaries.find(agentId, principal.workspaceId, nowMs);
    if (!summary || summary.agent.lastHeartbeatAt === null) return undefined;
    const status = input.status ?? (summary.agent.status === 'offline' ? 'idle' : summary.agent.status);
    if (status !== summary.agent.status) return undefined;
    if (summary.leases.some((lease) => nowMs >= lease.renewAtMs || nowMs >= Date.parse(lease.expiresAt))) return undefined;
    const current = input.currentTaskId;
    if (current && !summary.assignedTasks.some((task) => task.id === current || task.key === current)) return undefined;
    return summary;
  }

  return {
    presence,
    summaries,

    /**
     * Marks the agent alive, renews its leases, and answers what is waiting for it. A steady beat
     * (same status, no lease due for renewal, nothing changed since the last answer) runs no
     * statement: it is answered from the agent's summary and its presence is coalesced.
     */
    async heartbeat(principal: Principal, agentId: string, input: HeartbeatRequest): Promise<HeartbeatResponse> {
      if (!(principal.kind === 'agent' && principal.id === agentId)) assertCan(principal, 'agent:manage');
      const now = clock.now();
      const steady = findSteadySummary(principal, agentId, input, now.getTime());
      let summary: HeartbeatSummary;
      let deadline: Date;
      if (steady) {
        assertCan(principal, 'workspace:read');
        summary = steady;
        deadline = new Date(now.getTime() + summary.agent.heartbeatIntervalSeconds * 1000 * missedHeartbeatsBeforeOffline);
        presence.record(agentId, now, deadline);
      } else {
        ({ summary, deadline } = await readHeartbeat(principal, agentId, input, now));
      }
      return {
        agent: { ...summary.agent, lastHeartbeatAt: now.toISOString() },
        nextHeartbeatDueAt: new Date(now.getTime() + summary.agent.heartbeatIntervalSeconds * 1000).toISOString(),
        offlineAfter: deadline.toISOString(),
        notifications: summary.notifications,
        assignedTasks: summary.assignedTasks,
        leases: summary.leases.map(({ taskId, key, expiresAt }) => ({ taskId, key, expiresAt })),
        lead: summary.lead,
        hasWork: summary.hasWork,
      };
    },

    /** Writes the coalesced presence of every agent heard from since the last flush. */
    async flushPresence(): Promise<number> {
      const entries = presence.drain();
      for (let start = 0; start < entries.length; start += 500) {
        await agents.writePresenceBatch(entries.slice(start, start + 500));
      }
      return entries.length;
    },

    /**
     * Turns agents that missed their deadline offline; their leases end and their tasks return to
     * the board, with a notification to the lead (or the owners), and the workspace's owners and
     * admins are told that the agent went offline, since only a person can restart it.
     */
    async markSilentAgentsOffline(limit = 200): Promise<number> {
      await this.flushPresence();
      const now = clock.now();
      const silent = await agents.listSilentAgents(now, limit);
      let count = 0;
      for (const agent of silent) {
        const supervisors = await claims.findSupervisors(agent.workspace_id);
        const administrators = await findWorkspaceAdministrators(agent.workspace_id);
        const wentOffline = await context.db.transaction().execute(async (trx) => {
          if (!(await agents.markOfflineIfSilent(trx, agent.id, now))) return false;
          const released = await claims.releaseLeasesOfAgent(
            trx,
            agent.workspace_id,
            agent.id,
            `${agent.name} stopped sending heartbeats`,
            supervisors,
          );
          const work = released === 0 ? '' : ` ${released === 1 ? 'Its task went' : `Its ${released} tasks went`} back to the board.`;
          await notifications.notifyInTransaction(
            trx,
            agent.workspace_id,
            null,
            administrators.map((recipient) => ({
              recipient,
              taskId: null,
              reason: 'system' as const,
              content: `${agent.name} went offline: no heartbeat ${describeSilence(agent.last_heartbeat_at, now)}.${work} Restart it, or check the machine or runner it runs on.`,
            })),
          );
          return true;
        });
        if (wentOffline) count += 1;
      }
      return count;
    },
  };
}
