import {
  type AgentRun,
  type AgentRunDetail,
  type ModelProviderName,
  type Page,
  type RunTrigger,
  runTestResultSchema,
} from '@mission-control/contracts';
import type { TurnRecord, TurnStep } from '@mission-control/runtime';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { parseJsonColumn } from '../../db/json-column.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { AgentService } from '../agents/agent.service.js';
import {
  clearRunTranscripts,
  deleteStepsOfRuns,
  failRunIfRunning,
  findRun,
  insertRun,
  insertRunStep,
  listAbandonedRuns,
  listRunSteps,
  listRunsOfAgent,
  listRunsWithTranscriptBefore,
  sumCostOfTasks,
  toAgentRun,
  toRunPrompt,
  toRunStep,
  updateRunRow,
} from './agent-run.repository.js';

/** A run as the code recording it knows it: enough to write its steps, events and end. */
export interface RunReference {
  id: string;
  workspaceId: string;
  agentId: string;
  agentName: string;
  taskId: string | null;
}

export type AgentRunService = ReturnType<typeof createAgentRunService>;

/** Built-in agents' turns as recorded: started, stepped, finished, listed with their transcripts. */
export function createAgentRunService(context: ServiceContext, dependencies: { agents: AgentService }) {
  const { db, clock } = context;
  const { agents } = dependencies;

  return {
    /**
     * Retention, in the caller's transaction: deletes the transcripts of up to `limit` finished runs
     * of the workspace started before `before` (steps, prompt, output, error, the test gate's
     * output), oldest first. The run rows stay with their numbers, which budgets, cost reports,
     * outcomes and the anomaly detector add up. Answers how many runs and steps were purged.
     */
    async deleteRunTranscriptsBefore(
      executor: DatabaseExecutor,
      workspaceId: string,
      filter: { before: string; limit: number },
    ): Promise<{ runs: number; steps: number }> {
      const rows = await listRunsWithTranscriptBefore(executor, workspaceId, filter.before, filter.limit);
      if (rows.length === 0) return { runs: 0, steps: 0 };
      const ids = rows.map((row) => row.id);
      const steps = await deleteStepsOfRuns(executor, ids);
      const at = clock.now().toISOString();
      await clearRunTranscripts(executor, ids, at);
      // The test gate's verdict stays (command, exit code, passed); the tail of its output goes.
      for (const row of rows) {
        const testResult = parseJsonColumn(runTestResultSchema.nullable(), row.test_result, 'agent_runs.test_result');
        if (testResult && testResult.outputTail !== '') {
          await updateRunRow(executor, row.id, { test_result: JSON.stringify({ ...testResult, outputTail: '' }) });
        }
      }
      return { runs: rows.length, steps };
    },

    /** What the runs on each task cost, in micro-dollars (tasks without runs are left out). */
    async sumCostOfTasks(workspaceId: string, taskIds: readonly string[]): Promise<Map<string, number>> {
      const costs = new Map<string, number>();
      for (let start = 0; start < taskIds.length; start += 500) {
        for (const row of await sumCostOfTasks(db, workspaceId, taskIds.slice(start, start + 500))) {
          if (row.task_id) costs.set(row.task_id, Number(row.cost));
        }
      }
      return costs;
    },

    async listRuns(principal: Principal, agentId: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<AgentRun>> {
      const agent = await agents.getAgent(principal, agentId);
      const found = await listRunsOfAgent(db, {
        workspaceId: principal.workspaceId,
        agentId: agent.id,
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      return toPage(found, query.limit, toAgentRun, (row) => row.id);
    },

    async getRun(principal: Principal, runId: string): Promise<AgentRunDetail> {
      assertCan(principal, 'workspace:read');
      const row = await findRun(db, principal.workspaceId, runId);
      if (!row)
        throw new AppError(
          'RUN_NOT_FOUND',
          "No run with this id in your workspace. List an agent's runs with GET /api/v1/agents/{id}/runs.",
        );
      const steps = await listRunSteps(db, row.id);
      return {
        ...toAgentRun(row),
        prompt: toRunPrompt(row),
        steps: steps.map(toRunStep),
      };
    },

    /**
     * Closes runs whose instance stopped mid-turn: still running long after the turn lease (which a
     * live turn renews) ran out. Safe on several instances: a conditional update per run.
     */
    async failAbandonedRuns(olderThanMs = 30 * 60_000): Promise<number> {
      const now = clock.now();
      const cutoff = new Date(now.getTime() - olderThanMs).toISOString();
      const stale = await listAbandonedRuns(db, cutoff, now.toISOString(), 100);
      let closed = 0;
      for (const run of stale) {
        if (await failRunIfRunning(db, run.id, 'abandoned: the instance running this turn stopped', now.toISOString())) closed += 1;
      }
      return closed;
    },

    async startRun(run: {
      workspaceId: string;
      agentId: string;
      agentName: string;
      taskId: string | null;
      trigger: RunTrigger;
      provider: ModelProviderName;
      model: string;
    }) {
      const now = clock.now();
      const id = createId();
      await db.transaction().execute(async (trx) => {
        await insertRun(trx, {
          id,
          workspace_id: run.workspaceId,
          agent_id: run.agentId,
          task_id: run.taskId,
          trigger: run.trigger,
          status: 'running',
          provider: run.provider,
          model: run.model,
          prompt: JSON.stringify({ system: '', prompt: '' }),
          output: '',
          tokens_in: 0,
          tokens_out: 0,
          cost_micro_dollars: 0,
          model_calls: 0,
          duration_ms: null,
          error: null,
          started_at: now.toISOString(),
          finished_at: null,
          test_result: 'null',
        });
        await appendEvent(trx, {
          workspaceId: run.workspaceId,
          type: 'run-started',
          actor: { kind: 'agent', id: run.agentId },
          agentId: run.agentId,
          taskId: run.taskId,
          summary: `${run.agentName} started a turn (${run.trigger}, ${run.model})`,
          data: { runId: id, trigger: run.trigger, provider: run.provider, model: run.model },
          at: now,
        });
      });
      return id;
    },

    /** Stores one transcript step and streams it as a run-step event. */
    async recordStep(run: RunReference, step: TurnStep) {
      const now = clock.now();
      await db.transaction().execute(async (trx: DatabaseExecutor) => {
        await insertRunStep(trx, {
          run_id: run.id,
          step_index: step.index,
          workspace_id: run.workspaceId,
          step: JSON.stringify(step),
          created_at: now.toISOString(),
        });
        await appendEvent(trx, {
          workspaceId: run.workspaceId,
          type: 'run-step',
          actor: { kind: 'agent', id: run.agentId },
          agentId: run.agentId,
          taskId: run.taskId,
          summary:
            step.kind === 'tool-call'
              ? `${run.agentName} called ${step.toolName}${step.isError ? ' (error)' : ''}`
              : `${run.agentName}: ${step.text ? step.text.slice(0, 160) : `model step (${step.finishReason})`}`,
          data: {
            runId: run.id,
            index: step.index,
            kind: step.kind,
            ...(step.kind === 'tool-call'
              ? { toolName: step.toolName, isError: step.isError }
              : { tokensIn: step.tokensIn, tokensOut: step.tokensOut }),
          },
          at: now,
        });
      });
    },

    async finishRun(run: RunReference, record: TurnRecord) {
      const now = clock.now();
      const failed = record.outcome === 'failed';
      await db.transaction().execute(async (trx) => {
        await updateRunRow(trx, run.id, {
          status: record.outcome,
          prompt: JSON.stringify(record.prompt),
          output: record.output,
          tokens_in: record.tokensIn,
          tokens_out: record.tokensOut,
          cost_micro_dollars: record.costMicroDollars,
          model_calls: record.modelCalls,
          duration_ms: record.durationMs,
          error: record.error,
          finished_at: now.toISOString(),
          ...(run.taskId === null && record.focusTaskId ? { task_id: record.focusTaskId } : {}),
        });
        await appendEvent(trx, {
          workspaceId: run.workspaceId,
          type: failed ? 'run-failed' : 'run-finished',
          actor: { kind: 'agent', id: run.agentId },
          agentId: run.agentId,
          taskId: run.taskId ?? record.focusTaskId,
          summary: failed
            ? `${run.agentName}'s turn failed: ${record.error ?? 'unknown error'}`
            : `${run.agentName} finished a turn (${record.outcome}): ${record.tokensIn + record.tokensOut} tokens, $${(record.costMicroDollars / 1e6).toFixed(4)}`,
          data: {
            runId: run.id,
            outcome: record.outcome,
            tokensIn: record.tokensIn,
            tokensOut: record.tokensOut,
            costMicroDollars: record.costMicroDollars,
            modelCalls: record.modelCalls,
            durationMs: record.durationMs,
          },
          at: now,
        });
      });
    },
  };
}
