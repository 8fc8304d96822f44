import type { Recommendations, RecommendationsQuery } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { AppError } from '../../http/app-error.js';
import type { AgentUsageService } from '../agent-runtime/agent-usage.service.js';
import type { AgentService } from '../agents/agent.service.js';
import type { TaskService } from '../tasks/task.service.js';
import { findCostlyTasks, recommendModels } from './recommendations.js';

export interface RecommendationServiceDependencies {
  agentUsage: Pick<AgentUsageService, 'listFinishedRunOutcomes'>;
  agents: Pick<AgentService, 'findAgents'>;
  tasks: Pick<TaskService, 'findTasksByIds'>;
}

export type RecommendationService = ReturnType<typeof createRecommendationService>;

const dayMs = 24 * 60 * 60 * 1000;

/** Cost recommendations from the runs of a range: cheaper models as good, and tasks far above their capability's median. */
export function createRecommendationService(context: ServiceContext, dependencies: RecommendationServiceDependencies) {
  const { clock } = context;
  return {
    async getRecommendations(principal: Principal, query: RecommendationsQuery): Promise<Recommendations> {
      assertCan(principal, 'workspace:read');
      const to = query.to ? new Date(query.to) : clock.now();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * dayMs);
      if (to.getTime() <= from.getTime()) throw new AppError('VALIDATION_FAILED', '`to` must be after `from`.');
      if (to.getTime() - from.getTime() > 366 * dayMs)
        throw new AppError('VALIDATION_FAILED', 'The range is at most 366 days; ask for a shorter one.');
      const range = { from: from.toISOString(), to: to.toISOString() };
      const runs = await dependencies.agentUsage.listFinishedRunOutcomes(principal, range);
      const agents = await dependencies.agents.findAgents(principal, [...new Set(runs.map((run) => run.agentId))]);
      const taskIds = [...new Set(runs.flatMap((run) => (run.taskId ? [run.taskId] : [])))];
      const tasks = new Map((await dependencies.tasks.findTasksByIds(principal.workspaceId, taskIds)).map((task) => [task.id, task]));
      return {
        ...range,
        models: recommendModels(runs, agents, tasks),
        costlyTasks: findCostlyTasks(runs, tasks, query.costlyTaskMultiple),
      };
    },
  };
}
