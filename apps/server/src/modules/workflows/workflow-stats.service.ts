import { workflowRunStatusSchema } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { listRunsStartedBetween } from './workflow.repository.js';

export interface WorkflowRunTiming {
  workflowId: string;
  workflowName: string;
  version: number;
  status: (typeof workflowRunStatusSchema.options)[number];
  startedAt: string;
  finishedAt: string | null;
}

export type WorkflowStatsService = ReturnType<typeof createWorkflowStatsService>;

/** What analytics reads of workflow runs (kept apart from workflow.service.ts, which is long enough). */
export function createWorkflowStatsService(context: ServiceContext) {
  const { db } = context;
  return {
    /** Every run started in [from, to) with its status and times. */
    async listRunTimings(principal: Principal, range: { from: string; to: string }): Promise<WorkflowRunTiming[]> {
      assertCan(principal, 'workspace:read');
      const rows = await listRunsStartedBetween(db, principal.workspaceId, range.from, range.to);
      return rows.map((row) => ({
        workflowId: row.workflow_id,
        workflowName: row.workflow_name,
        version: Number(row.version),
        status: workflowRunStatusSchema.parse(row.status),
        startedAt: new Date(row.started_at).toISOString(),
        finishedAt: row.finished_at === null ? null : new Date(row.finished_at).toISOString(),
      }));
    },
  };
}
