import {
  type Agent,
  deriveAgentState,
  maxPageSize,
  type Overview,
  type OverviewQuery,
  type Task,
  type TaskStatus,
  taskStatusSchema,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { ActivityService } from '../activities/activity.service.js';
import type { RunnerRunService } from '../agent-runtime/runner-run.service.js';
import type { AgentService } from '../agents/agent.service.js';
import type { TaskService } from '../tasks/task.service.js';

export type OverviewService = ReturnType<typeof createOverviewService>;

/** The statuses an agent can be working in; done and cancelled tasks say nothing about now. */
const liveStatuses: TaskStatus[] = ['assigned', 'in_progress', 'review', 'blocked'];
/** Past this many live tasks the agents' states are derived from the first ones only. */
const maxTasksRead = 2_000;

/** The command center's numbers, counted in one place so the dashboard, WORKING.md and the API agree. */
export function createOverviewService(
  context: ServiceContext,
  dependencies: { agents: AgentService; tasks: TaskService; activities: ActivityService; runnerRuns: RunnerRunService },
) {
  async function listAll<T>(read: (cursor: string | undefined) => Promise<{ data: T[]; nextCursor: string | null }>, cap: number) {
    const all: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await read(cursor);
      all.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && all.length < cap);
    return all;
  }

  return {
    async getOverview(principal: Principal, query: OverviewQuery): Promise<Overview> {
      assertCan(principal, 'workspace:read');
      const now = context.clock.now();
      const since = query.since ?? new Date(now.getTime() - 24 * 3_600_000).toISOString();
      // Sequential on purpose: on SQLite every read shares one connection anyway.
      const agents: Agent[] = await listAll(
        (cursor) => dependencies.agents.listAgents(principal, { limit: maxPageSize, cursor }),
        Number.POSITIVE_INFINITY,
      );
      const tasks: Task[] = await listAll(
        (cursor) => dependencies.tasks.listTasks(principal, { status: liveStatuses, limit: maxPageSize, cursor }),
        maxTasksRead,
      );
      const runs = await listAll(
        (cursor) => dependencies.runnerRuns.listWorkspaceRuns(principal, { status: 'running', limit: maxPageSize, cursor }),
        maxTasksRead,
      );
      const running = new Set(runs.map((run) => run.agentId));
      const statuses = taskStatusSchema.options;
      const tasksByStatus = (await dependencies.tasks.countTasksByStatus(principal, statuses)) as Record<TaskStatus, number>;
      const messagesSince = await dependencies.activities.countActivitiesSince(principal, 'message-posted', since);
      const states = agents.map((agent) => deriveAgentState(agent, tasks, { now: now.getTime(), running: running.has(agent.id) }));
      return {
        tasksByStatus,
        needsAttention: (tasksByStatus.blocked ?? 0) + (tasksByStatus.failed ?? 0),
        agents: states,
        activeAgents: states.filter((state) => state.status === 'active').length,
        totalAgents: agents.length,
        messagesSince,
        since,
        generatedAt: now.toISOString(),
      };
    },
  };
}
