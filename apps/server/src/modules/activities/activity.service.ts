import type { Activity, EventType, ListActivitiesQuery, Page } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { countEventsSince, listEvents, toActivity } from '../../events/event.repository.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { AgentService } from '../agents/agent.service.js';
import type { TaskService } from '../tasks/task.service.js';

export type ActivityService = ReturnType<typeof createActivityService>;

/** The activity feed is the event stream read newest first. */
export function createActivityService(context: ServiceContext, dependencies: { agents: AgentService; tasks: TaskService }) {
  return {
    async listActivities(
      principal: Principal,
      query: ListActivitiesQuery,
      scope: { agentId?: string; taskReference?: string },
    ): Promise<Page<Activity>> {
      assertCan(principal, 'workspace:read');
      // Resolving the scope first turns an id from another workspace into a 404, not an empty list.
      if (scope.agentId) await dependencies.agents.getAgent(principal, scope.agentId);
      const taskId = scope.taskReference ? await dependencies.tasks.resolveTaskId(principal, scope.taskReference) : undefined;
      const rows = await listEvents(context.db, {
        workspaceId: principal.workspaceId,
        beforeSeq: decodeCursor(query.cursor, 'number'),
        limit: query.limit + 1,
        type: query.type,
        taskId,
        agentId: scope.agentId,
      });
      return toPage(rows, query.limit, toActivity, (row) => row.seq);
    },

    /** How many events of a type happened since an instant, for the overview's counts. */
    async countActivitiesSince(principal: Principal, type: EventType, since: string): Promise<number> {
      assertCan(principal, 'workspace:read');
      return countEventsSince(context.db, { workspaceId: principal.workspaceId, type, since });
    },
  };
}
