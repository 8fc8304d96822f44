import type {
  AgentRun,
  CreateRunInput,
  FinishRunInput,
  ListWorkspaceRunsQuery,
  Page,
  RecordRunStepsInput,
  RecordRunStepsResult,
  RunnerActiveRun,
  RunStep,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, systemPrincipal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { AgentService } from '../agents/agent.service.js';
import type { TaskService } from '../tasks/task.service.js';
import type { TaskClaimService } from '../tasks/task-claim.service.js';
import {
  type AgentRunRow,
  endRunIfRunning,
  findNextStepIndex,
  findRun,
  insertRun,
  insertRunStep,
  listRunningRunsOfRunners,
  listRunningRunsOfTask,
  listRunsOfWorkspace,
  markRunCancelRequested,
  toAgentRun,
} from './agent-run.repository.js';
import type { AgentUsageService } from './agent-usage.service.js';

/** What the runs of runners need to know about runners (the runners module answers it). */
export interface RunnerLookup {
  /** The runner, if it exists in the workspace and works for the agent; its status tells whether it is online. */
  findRunnerOfAgent(
    workspaceId: string,
    runnerId: string,
    agentId: string,
  ): Promise<{ id: string; status: 'online' | 'offline' } | undefined>;
  /** Whether the runner exists and is online. */
  isRunnerOnline(workspaceId: string, runnerId: string): Promise<boolean>;
}

export interface RunnerRunServiceDependencies {
  agents: AgentService;
  tasks: TaskService;
  claims: TaskClaimService;
  agentUsage: Pick<AgentUsageService, 'findBudgetStop' | 'announceBudgets'>;
  /** A getter: the runners service is built after this one (it lists the active runs through it). */
  runners: () => RunnerLookup;
}

export type RunnerRunService = ReturnType<typeof createRunnerRunService>;

function runNotFound(): AppError {
  return new AppError('RUN_NOT_FOUND', 'No run with this id in your workspace. List runs with GET /api/v1/runs.');
}

function alreadyFinished(row: AgentRunRow): AppError {
  return new AppError('RUN_ALREADY_FINISHED', `This run already ended (${row.status}). Start a new run for more work.`, {
    status: row.status,
  });
}

function stepSummary(agentName: string, step: RunStep): string {
  switch (step.kind) {
    case 'tool-call':
      return `${agentName} called ${step.toolName ?? 'a tool'}${step.isError ? ' (error)' : ''}`;
    case 'tool-result':
      return `${agentName} got a ${step.isError ? 'failed ' : ''}tool result`;
    case 'test':
      return `${agentName}'s tests ${step.exitCode === 0 ? 'passed' : 'failed'}: ${step.command ?? ''}`.trim();
    case 'parse-error':
      return `${agentName}'s CLI printed a line that could not be read`;
    default:
      return `${agentName}: ${(step.text ?? '').slice(0, 160) || `${step.kind} step`}`;
  }
}

/**
 * Runs of agent CLIs driven by `mission runner`: started by the agent holding the task's lease,
 * stepped in batches, finished with usage and cost (which count toward budgets like built-in
 * turns, being rows of the same table), cancelled by people or the agent.
 */
export function createRunnerRunService(context: ServiceContext, dependencies: RunnerRunServiceDependencies) {
  const { db, clock } = context;
  const { agents, tasks, claims, agentUsage } = dependencies;

  async function requireRun(principal: Principal, runId: string): Promise<AgentRunRow> {
    const row = await findRun(db, principal.workspaceId, runId);
    if (!row) throw runNotFound();
    return row;
  }

  /** Steps and finish come from the run's own agent only. */
  async function requireOwnRunningRun(principal: Principal, runId: string): Promise<AgentRunRow> {
    const row = await requireRun(principal, runId);
    if (principal.kind !== 'agent' || principal.id !== row.agent_id) {
      throw new AppError('FORBIDDEN', "Only the run's own agent reports its steps and its end. Use that agent's API key.");
    }
    if (row.status !== 'running') throw alreadyFinished(row);
    return row;
  }

  async function appendRunEnd(
    executor: DatabaseExecutor,
    row: AgentRunRow,
    agentName: string,
    end: {
      outcome: 'completed' | 'failed' | 'cancelled';
      tokensIn: number;
      tokensOut: number;
      costMicroDollars: number;
      modelCalls: number;
      durationMs: number;
      error: string | null;
      sessionId: string | null;
      branch: string | null;
      commit: string | null;
    },
    at: Date,
  ) {
    const failed = end.outcome === 'failed';
    const cost = `$${(end.costMicroDollars / 1e6).toFixed(4)}`;
    await appendEvent(executor, {
      workspaceId: row.workspace_id,
      type: failed ? 'run-failed' : 'run-finished',
      actor: { kind: 'agent', id: row.agent_id },
      agentId: row.agent_id,
      taskId: row.task_id,
      summary: failed
        ? `${agentName}'s ${row.adapter ?? 'runner'} run failed: ${end.error ?? 'unknown error'}`
        : end.outcome === 'cancelled'
          ? `${agentName}'s ${row.adapter ?? 'runner'} run was cancelled`
          : `${agentName} finished a ${row.adapter ?? 'runner'} run: ${end.tokensIn + end.tokensOut} tokens, ${cost}${end.commit ? `, commit ${end.commit.slice(0, 10)}` : ''}`,
      data: {
        runId: row.id,
        outcome: end.outcome,
        tokensIn: end.tokensIn,
        tokensOut: end.tokensOut,
        costMicroDollars: end.costMicroDollars,
        modelCalls: end.modelCalls,
        durationMs: end.durationMs,
        sessionId: end.sessionId,
        branch: end.branch,
        commit: end.commit,
      },
      at,
    });
  }

  /** Closes a running run without the runner (it went offline, or was removed), once. */
  async function closeRun(row: AgentRunRow, outcome: 'failed' | 'cancelled', error: string | null): Promise<boolean> {
    const now = clock.now();
    const durationMs = Math.max(0, now.getTime() - Date.parse(row.started_at));
    const agentName = (await agents.findAgents(systemPrincipal(row.workspace_id), [row.agent_id]))[0]?.name ?? 'an agent';
    return db.transaction().execute(async (trx) => {
      const ended = await endRunIfRunning(trx, row.id, { status: outcome, error, duration_ms: durationMs, finished_at: now.toISOString() });
      if (!ended) return false;
      await appendRunEnd(
        trx,
        row,
        agentName,
        {
          outcome,
          tokensIn: Number(row.tokens_in),
          tokensOut: Number(row.tokens_out),
          costMicroDollars: Number(row.cost_micro_dollars),
          modelCalls: Number(row.model_calls),
          durationMs,
          error,
          sessionId: row.session_id,
          branch: row.branch,
          commit: row.commit_sha,
        },
        now,
      );
      return true;
    });
  }

  /** Marks the run for cancelling, once, with the event that reaches the runner on its agent's stream. */
  async function requestCancel(principal: Principal, row: AgentRunRow): Promise<void> {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      if (!(await markRunCancelRequested(trx, row.id, now.toISOString()))) return;
      await appendEvent(trx, {
        workspaceId: row.workspace_id,
        type: 'run-cancel-requested',
        actor: toPrincipalReference(principal),
        agentId: row.agent_id,
        taskId: row.task_id,
        summary: `Cancel requested for a ${row.adapter ?? 'runner'} run`,
        data: { runId: row.id, runnerId: row.runner_id, requestedBy: toPrincipalReference(principal) },
        at: now,
      });
    });
  }

  return {
    /** The workspace's runs, newest first, narrowed by agent, task, runner or status. */
    async listWorkspaceRuns(principal: Principal, query: ListWorkspaceRunsQuery): Promise<Page<AgentRun>> {
      assertCan(principal, 'workspace:read');
      const taskId = query.taskId ? await tasks.resolveTaskId(principal, query.taskId) : undefined;
      const found = await listRunsOfWorkspace(db, {
        workspaceId: principal.workspaceId,
        agentId: query.agentId,
        taskId,
        runnerId: query.runnerId,
        status: query.status,
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      return toPage(found, query.limit, toAgentRun, (row) => row.id);
    },

    /** Starts a runner's run on a task the calling agent holds; refused at 100 % budget. */
    async createRun(principal: Principal, input: CreateRunInput): Promise<AgentRun> {
      assertCan(principal, 'work:write');
      if (principal.kind !== 'agent') throw new AppError('FORBIDDEN', 'Runs are started by a runner with its agent’s API key.');
      const agent = await agents.getAgent(principal, principal.id);
      const task = await tasks.getTask(principal, input.taskId);
      const runner = await dependencies.runners().findRunnerOfAgent(principal.workspaceId, input.runnerId, agent.id);
      if (!runner) {
        throw new AppError(
          'RUNNER_NOT_FOUND',
          'No runner with this id works for this agent. Register it first with POST /api/v1/runners using this agent’s key.',
        );
      }
      const budgetStop = await agentUsage.findBudgetStop(principal.workspaceId, agent.id);
      if (budgetStop) throw new AppError('BUDGET_EXHAUSTED', budgetStop);
      // The lease token fences the run: only the claimer that holds the live lease starts it.
      await claims.renewLeaseForProgress(db, principal, task.id, input.leaseToken, task.key);

      // A task has one running run at most: a run left running (its runner died) is closed first.
      for (const stale of await listRunningRunsOfTask(db, principal.workspaceId, task.id)) {
        await closeRun(stale, 'failed', 'abandoned: a new run of this task started under a new lease');
      }
      const now = clock.now();
      const id = createId();
      await db.transaction().execute(async (trx) => {
        await insertRun(trx, {
          id,
          workspace_id: principal.workspaceId,
          agent_id: agent.id,
          task_id: task.id,
          trigger: 'runner',
          status: 'running',
          provider: input.adapter,
          model: input.model,
          prompt: JSON.stringify({ system: '', prompt: input.prompt }),
          output: '',
          tokens_in: 0,
          tokens_out: 0,
          cost_micro_dollars: 0,
          model_calls: 0,
          duration_ms: null,
          error: null,
          started_at: now.toISOString(),
          finished_at: null,
          adapter: input.adapter,
          runner_id: runner.id,
          session_id: input.sessionId,
          branch: input.branch,
          commit_sha: null,
          cancel_requested_at: null,
          test_result: 'null',
        });
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'run-started',
          actor: { kind: 'agent', id: agent.id },
          agentId: agent.id,
          taskId: task.id,
          summary: `${agent.name} started ${input.adapter} on ${task.key}${input.sessionId ? ' (follow-up)' : ''}`,
          data: { runId: id, trigger: 'runner', provider: input.adapter, model: input.model, adapter: input.adapter, runnerId: runner.id },
          at: now,
        });
      });
      const row = await findRun(db, principal.workspaceId, id);
      if (!row) throw runNotFound();
      return toAgentRun(row);
    },

    /** Appends a batch of steps, numbered after the recorded ones, each streamed as run-step. */
    async recordSteps(principal: Principal, runId: string, input: RecordRunStepsInput): Promise<RecordRunStepsResult> {
      const row = await requireOwnRunningRun(principal, runId);
      const agent = await agents.getAgent(principal, row.agent_id);
      const now = clock.now();
      const nextIndex = await db.transaction().execute(async (trx) => {
        let index = await findNextStepIndex(trx, row.id);
        for (const input_ of input.steps) {
          const { at, ...fields } = input_;
          const step: RunStep = { ...fields, index, at: at ?? now.toISOString() };
          await insertRunStep(trx, {
            run_id: row.id,
            step_index: index,
            workspace_id: row.workspace_id,
            step: JSON.stringify(step),
            created_at: now.toISOString(),
          });
          await appendEvent(trx, {
            workspaceId: row.workspace_id,
            type: 'run-step',
            actor: { kind: 'agent', id: row.agent_id },
            agentId: row.agent_id,
            taskId: row.task_id,
            summary: stepSummary(agent.name, step),
            data: {
              runId: row.id,
              index,
              kind: step.kind,
              ...(step.toolName !== undefined ? { toolName: step.toolName } : {}),
              ...(step.isError !== undefined ? { isError: step.isError } : {}),
              ...(step.tokensIn !== undefined ? { tokensIn: step.tokensIn } : {}),
              ...(step.tokensOut !== undefined ? { tokensOut: step.tokensOut } : {}),
              ...(step.exitCode !== undefined ? { exitCode: step.exitCode } : {}),
            },
            at: now,
          });
          index += 1;
        }
        return index;
      });
      return { recorded: input.steps.length, nextIndex, cancelRequested: row.cancel_requested_at !== null };
    },

    /** Records how the CLI ended; usage counts toward budgets, which announce 80 % and 100 %. */
    async finishRun(principal: Principal, runId: string, input: FinishRunInput): Promise<AgentRun> {
      const row = await requireOwnRunningRun(principal, runId);
      const agent = await agents.getAgent(principal, row.agent_id);
      const now = clock.now();
      const durationMs = input.durationMs ?? Math.max(0, now.getTime() - Date.parse(row.started_at));
      const sessionId = input.sessionId === undefined ? row.session_id : input.sessionId;
      const branch = input.branch === undefined ? row.branch : input.branch;
      const commit = input.commit === undefined ? row.commit_sha : input.commit;
      await db.transaction().execute(async (trx) => {
        const ended = await endRunIfRunning(trx, row.id, {
          status: input.outcome,
          output: input.output,
          error: input.error,
          tokens_in: input.tokensIn,
          tokens_out: input.tokensOut,
          cost_micro_dollars: input.costMicroDollars,
          model_calls: input.modelCalls,
          duration_ms: durationMs,
          finished_at: now.toISOString(),
          session_id: sessionId,
          branch,
          commit_sha: commit,
          test_result: JSON.stringify(input.testResult ?? null),
          ...(input.model ? { model: input.model } : {}),
        });
        // Another request (a second finish, or the offline sweep) ended it between the read and now.
        if (!ended) throw alreadyFinished((await findRun(trx, row.workspace_id, row.id)) ?? row);
        await appendRunEnd(
          trx,
          row,
          agent.name,
          {
            outcome: input.outcome,
            tokensIn: input.tokensIn,
            tokensOut: input.tokensOut,
            costMicroDollars: input.costMicroDollars,
            modelCalls: input.modelCalls,
            durationMs,
            error: input.error,
            sessionId,
            branch,
            commit,
          },
          now,
        );
      });
      await agentUsage.announceBudgets(row.workspace_id, row.agent_id);
      const finished = await findRun(db, principal.workspaceId, row.id);
      if (!finished) throw runNotFound();
      return toAgentRun(finished);
    },

    /** Asks the runner to stop a run; with the runner offline, the run is recorded cancelled at once. */
    async cancelRun(principal: Principal, runId: string): Promise<AgentRun> {
      assertCan(principal, 'work:write');
      const row = await requireRun(principal, runId);
      if (principal.kind === 'agent' && principal.id !== row.agent_id) {
        throw new AppError('FORBIDDEN', 'An agent cancels only its own runs; a person can cancel any run.');
      }
      if (row.trigger !== 'runner') {
        throw new AppError('RUN_NOT_CANCELLABLE', 'Built-in turns end by themselves; only runs driven by a runner can be cancelled.');
      }
      if (row.status !== 'running') throw alreadyFinished(row);
      await requestCancel(principal, row);
      const online = row.runner_id ? await dependencies.runners().isRunnerOnline(row.workspace_id, row.runner_id) : false;
      if (!online) await closeRun(row, 'cancelled', 'cancelled while its runner was offline');
      const current = await findRun(db, principal.workspaceId, row.id);
      if (!current) throw runNotFound();
      return toAgentRun(current);
    },

    /** The running runs of some runners, for their live state. */
    async listActiveRuns(workspaceId: string, runnerIds: readonly string[]): Promise<(RunnerActiveRun & { runnerId: string })[]> {
      const rows = await listRunningRunsOfRunners(db, workspaceId, runnerIds);
      return rows.map((row) => ({
        runId: row.id,
        runnerId: row.runner_id ?? '',
        agentId: row.agent_id,
        taskId: row.task_id,
        adapter: row.adapter,
        startedAt: row.started_at,
        cancelRequestedAt: row.cancel_requested_at,
      }));
    },

    /** A runner is removed: each of its running runs is asked to cancel. */
    async requestCancelOfRunnerRuns(principal: Principal, runnerId: string): Promise<number> {
      const rows = await listRunningRunsOfRunners(db, principal.workspaceId, [runnerId]);
      for (const row of rows) await requestCancel(principal, row);
      return rows.length;
    },

    /** Closes the running runs of a runner that went silent; answers their ids. */
    async closeRunsOfRunner(workspaceId: string, runnerId: string, why: string): Promise<string[]> {
      const closed: string[] = [];
      for (const row of await listRunningRunsOfRunners(db, workspaceId, [runnerId])) {
        if (await closeRun(row, 'failed', why)) closed.push(row.id);
      }
      return closed;
    },
  };
}
