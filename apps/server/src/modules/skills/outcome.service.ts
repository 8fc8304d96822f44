import type { ListOutcomesQuery, OutcomeKind, OutcomeReview, Page, TaskOutcome, TaskStatus } from '@mission-control/contracts';
import { z } from 'zod';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import { type DatabaseExecutor, parseJsonColumn } from '../../db/database.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import {
  findTaskForOutcome,
  insertOutcome,
  listFinishedOutcomesOfAgents,
  listOutcomeRows,
  type OutcomeRow,
  sumRunsOfTask,
} from './outcome.repository.js';

/** What a status change means as an outcome, or null when the task did not end (nor was sent back). */
export function outcomeOfStatusChange(from: TaskStatus, to: TaskStatus): { kind: OutcomeKind; review: OutcomeReview } | null {
  if (to === 'done') return { kind: 'done', review: from === 'review' ? 'approved' : 'none' };
  if (to === 'failed') return { kind: 'failed', review: 'none' };
  if (from === 'review' && (to === 'in_progress' || to === 'assigned')) return { kind: 'sent-back', review: 'changes-requested' };
  return null;
}

/**
 * Records one outcome per agent assigned to the task, in the caller's transaction (the one that
 * changed the status or escalated), so an ended task always has its outcome and never two for
 * one change. Tasks without agent assignees record nothing.
 */
export async function recordTaskOutcome(
  executor: DatabaseExecutor,
  change: { workspaceId: string; taskId: string; kind: OutcomeKind; review: OutcomeReview; reason?: string | undefined; at: Date },
): Promise<void> {
  const task = await findTaskForOutcome(executor, change.workspaceId, change.taskId);
  if (!task || task.agentIds.length === 0) return;
  const runs = await sumRunsOfTask(executor, change.workspaceId, change.taskId);
  const durationMs = Math.max(0, change.at.getTime() - Date.parse(task.createdAt));
  for (const agentId of task.agentIds) {
    const totals = runs.find((run) => run.agent_id === agentId);
    await insertOutcome(
      executor,
      {
        id: createId(),
        workspace_id: change.workspaceId,
        task_id: change.taskId,
        agent_id: agentId,
        kind: change.kind,
        capabilities: JSON.stringify(task.capabilities),
        duration_ms: durationMs,
        cost_micro_dollars: totals?.cost ?? 0,
        model_calls: totals?.calls ?? 0,
        review: change.review,
        reason: change.reason?.slice(0, 1_000) ?? null,
        recorded_at: change.at.toISOString(),
      },
      task.capabilities,
    );
  }
}

const capabilitiesColumnSchema = z.array(z.string());

function toOutcome(row: OutcomeRow): TaskOutcome {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    taskId: row.task_id,
    agentId: row.agent_id,
    kind: row.kind,
    capabilities: parseJsonColumn(capabilitiesColumnSchema, row.capabilities, 'task_outcomes.capabilities'),
    durationMs: row.duration_ms,
    costMicroDollars: row.cost_micro_dollars,
    modelCalls: row.model_calls,
    review: row.review,
    reason: row.reason,
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}

export type OutcomeService = ReturnType<typeof createOutcomeService>;

/** Reading task outcomes: the list endpoint, and the record the assignment score is built from. */
export function createOutcomeService(context: ServiceContext) {
  const { db } = context;
  return {
    async listOutcomes(principal: Principal, query: ListOutcomesQuery): Promise<Page<TaskOutcome>> {
      assertCan(principal, 'workspace:read');
      const rows = await listOutcomeRows(db, {
        workspaceId: principal.workspaceId,
        agentId: query.agentId,
        taskId: query.taskId,
        capability: query.capability,
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      return toPage(rows, query.limit, toOutcome, (row) => row.id);
    },

    /**
     * How these agents' finished tasks went: done and failed counts (a task counts once, by its
     * last outcome) and the cost of each done task.
     */
    async summariseAgentOutcomes(
      workspaceId: string,
      agentIds: readonly string[],
    ): Promise<{ done: number; failed: number; doneCosts: number[] }> {
      const lastByTask = new Map<string, { kind: string; cost: number }>();
      for (const row of await listFinishedOutcomesOfAgents(db, workspaceId, agentIds)) lastByTask.set(row.taskId, row);
      const finished = [...lastByTask.values()];
      const done = finished.filter((row) => row.kind === 'done');
      return { done: done.length, failed: finished.length - done.length, doneCosts: done.map((row) => row.cost) };
    },

    /** Outcomes since a date of tasks that needed one of the capabilities (any task when none), newest first, at most 2,000. */
    async listSimilarOutcomes(workspaceId: string, capabilities: readonly string[], since: string): Promise<TaskOutcome[]> {
      const rows = await listOutcomeRows(db, { workspaceId, capabilities, since, limit: 2_000 });
      return rows.map(toOutcome);
    },
  };
}
