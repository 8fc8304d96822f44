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
import { PresenceBuffer } from './presence-buffer.js';

/** An agent is offline once it has missed this many heartbeat intervals. */
export const missedHeartbeatsBeforeOffline = 3;

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

  return {
    presence,

    /**
     * Marks the agent alive, renews its leases, and answers what is waiting for it. Most
     * heartbeats write nothing at once: presence is coalesced and leases renew at half term.
     */
    async heartbeat(principal: Principal, agentId: string, input: HeartbeatRequest): Promise<HeartbeatResponse> {
      if (!(principal.kind === 'agent' && principal.id === agentId)) assertCan(principal, 'agent:manage');
      let agent = await agents.getAgent(principal, agentId);
      const now = clock.now();
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
      return {
        agent,
        nextHeartbeatDueAt: new Date(now.getTime() + agent.heartbeatIntervalSeconds * 1000).toISOString(),
        offlineAfter: deadline.toISOString(),
        notifications: unread,
        assignedTasks,
        leases,
        lead,
        hasWork,
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
