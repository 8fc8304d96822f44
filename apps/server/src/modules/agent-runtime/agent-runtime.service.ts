import type {
  AgentRun,
  AgentRunDetail,
  AgentRuntime,
  Budget,
  CreateBudgetInput,
  Page,
  UpdateAgentRuntimeInput,
  UpdateBudgetInput,
  Usage,
  UsageQuery,
  UsageTotals,
} from '@mission-control/contracts';
import { modelProviderSchema } from '@mission-control/contracts';
import type { TurnRecord, TurnStep } from '@mission-control/runtime';
import type { AuthService } from '../../auth/auth.service.js';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, systemPrincipal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import { type DatabaseExecutor, parseJsonColumn } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { AgentService } from '../agents/agent.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  type BudgetRow,
  defaultStepLimit,
  findAgentRuntime,
  sumUsage,
  toAgentRun,
  toAgentRuntime,
  toRunStep,
} from './agent-runtime.repository.js';
import { createCredentialCipher } from './runtime-credentials.js';

export interface AgentRuntimeServiceDependencies {
  agents: AgentService;
  auth: AuthService;
  notifications: NotificationService;
  workspaces: WorkspaceService;
}

/** The month a timestamp falls in (UTC), as budgets count it: "2026-01". */
export function budgetPeriod(at: Date): string {
  return at.toISOString().slice(0, 7);
}

function startOfMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** The share of budget used, in percent: the larger of tokens and cost. */
function percentOf(row: BudgetRow, tokens: number, cost: number): number {
  const shares = [
    row.monthly_token_limit ? (tokens / Number(row.monthly_token_limit)) * 100 : 0,
    row.monthly_cost_limit_micro_dollars ? (cost / Number(row.monthly_cost_limit_micro_dollars)) * 100 : 0,
  ];
  return Math.round(Math.max(...shares) * 100) / 100;
}

export const budgetWarningPercent = 80;

export type AgentRuntimeService = ReturnType<typeof createAgentRuntimeService>;

export function createAgentRuntimeService(
  context: ServiceContext,
  dependencies: AgentRuntimeServiceDependencies,
  options: { signingKey: Uint8Array },
) {
  const { db, clock } = context;
  const { agents } = dependencies;
  const cipher = createCredentialCipher(options.signingKey);

  async function usageTotals(filter: {
    workspaceId: string;
    agentId?: string | undefined;
    taskId?: string | undefined;
    from: string;
    to: string;
  }) {
    const rows = await sumUsage(db, filter);
    const byAgent = rows.map((row) => ({
      agentId: row.agent_id,
      runs: Number(row.runs),
      modelCalls: Number(row.model_calls),
      tokensIn: Number(row.tokens_in),
      tokensOut: Number(row.tokens_out),
      costMicroDollars: Number(row.cost_micro_dollars),
    }));
    const total: UsageTotals = { runs: 0, modelCalls: 0, tokensIn: 0, tokensOut: 0, costMicroDollars: 0 };
    for (const entry of byAgent) {
      total.runs += entry.runs;
      total.modelCalls += entry.modelCalls;
      total.tokensIn += entry.tokensIn;
      total.tokensOut += entry.tokensOut;
      total.costMicroDollars += entry.costMicroDollars;
    }
    return { total, byAgent };
  }

  async function toBudget(row: BudgetRow, now: Date): Promise<Budget> {
    const { total } = await usageTotals({
      workspaceId: row.workspace_id,
      agentId: row.agent_id ?? undefined,
      from: startOfMonth(now).toISOString(),
      to: new Date(now.getTime() + 1).toISOString(),
    });
    const usedTokens = total.tokensIn + total.tokensOut;
    const percentUsed = percentOf(row, usedTokens, total.costMicroDollars);
    return {
      id: row.id,
      workspaceId: row.workspace_id,
      agentId: row.agent_id,
      monthlyTokenLimit: row.monthly_token_limit === null ? null : Number(row.monthly_token_limit),
      monthlyCostLimitMicroDollars: row.monthly_cost_limit_micro_dollars === null ? null : Number(row.monthly_cost_limit_micro_dollars),
      usedTokens,
      usedCostMicroDollars: total.costMicroDollars,
      percentUsed,
      status: percentUsed >= 100 ? 'exhausted' : percentUsed >= budgetWarningPercent ? 'warning' : 'ok',
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** The budgets that apply to an agent: its own and the workspace's. */
  function budgetsOf(workspaceId: string, agentId: string) {
    return db
      .selectFrom('budgets')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('scope', 'in', [agentId, 'workspace'])
      .execute();
  }

  async function ownersOf(workspaceId: string) {
    return (await dependencies.workspaces.listMembers(systemPrincipal(workspaceId))).filter((member) => member.role === 'owner');
  }

  async function requireBudget(principal: Principal, budgetId: string) {
    const row = await db
      .selectFrom('budgets')
      .selectAll()
      .where('id', '=', budgetId)
      .where('workspace_id', '=', principal.workspaceId)
      .executeTakeFirst();
    if (!row) throw new AppError('BUDGET_NOT_FOUND', 'No budget with this id in your workspace. List them with GET /api/v1/budgets.');
    return row;
  }

  return {
    async getRuntime(principal: Principal, agentId: string): Promise<AgentRuntime> {
      const agent = await agents.getAgent(principal, agentId);
      return toAgentRuntime(agent.id, await findAgentRuntime(db, principal.workspaceId, agent.id));
    },

    /** Changes how an agent runs; a built-in agent is scheduled from now on. */
    async updateRuntime(principal: Principal, agentId: string, input: UpdateAgentRuntimeInput): Promise<AgentRuntime> {
      assertCan(principal, 'agent:manage');
      const agent = await agents.getAgent(principal, agentId);
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        const current = await findAgentRuntime(trx, principal.workspaceId, agent.id);
        const runtime = input.runtime ?? (current?.runtime as 'builtin' | 'external' | undefined) ?? 'external';
        const becameBuiltin = runtime === 'builtin' && current?.runtime !== 'builtin';
        const values = {
          runtime,
          provider: input.provider === undefined ? (current?.provider ?? null) : input.provider,
          model: input.model === undefined ? (current?.model ?? null) : input.model,
          temperature: input.temperature === undefined ? (current?.temperature ?? null) : input.temperature,
          step_limit: input.stepLimit ?? current?.step_limit ?? defaultStepLimit,
          instructions: input.instructions ?? current?.instructions ?? '',
          // A newly built-in agent checks for work at once; an external one leaves the schedule.
          next_run_at: runtime === 'builtin' ? (becameBuiltin ? now : (current?.next_run_at ?? now)) : null,
          state: runtime === 'builtin' ? (becameBuiltin ? 'idle' : (current?.state ?? 'idle')) : 'idle',
          updated_at: now,
        };
        if (current) {
          await trx.updateTable('agent_runtimes').set(values).where('agent_id', '=', agent.id).execute();
        } else {
          await trx
            .insertInto('agent_runtimes')
            .values({ agent_id: agent.id, workspace_id: principal.workspaceId, credential: null, failures: 0, ...values })
            .execute();
        }
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'agent-runtime-updated',
          actor: toPrincipalReference(principal),
          agentId: agent.id,
          summary: `${agent.name} now runs ${runtime === 'builtin' ? `built in (${values.model ?? 'default model'})` : 'externally'}`,
          data: {
            runtime,
            provider: modelProviderSchema.nullable().parse(values.provider),
            model: values.model,
            stepLimit: values.step_limit,
          },
          at: clock.now(),
        });
        return toAgentRuntime(agent.id, await findAgentRuntime(trx, principal.workspaceId, agent.id));
      });
    },

    /** Asks the scheduler to run the agent's turn now, whether or not its heartbeat shows work (and past any backoff). */
    async wake(principal: Principal, agentId: string, input: { taskId?: string | undefined }): Promise<AgentRuntime> {
      assertCan(principal, 'work:write');
      const agent = await agents.getAgent(principal, agentId);
      const current = await findAgentRuntime(db, principal.workspaceId, agent.id);
      if (current?.runtime !== 'builtin') {
        throw new AppError(
          'AGENT_NOT_BUILTIN',
          `${agent.name} runs outside Mission Control; only built-in agents can be woken. Set its runtime with PUT /api/v1/agents/${agent.id}/runtime.`,
        );
      }
      const now = clock.now().toISOString();
      await db
        .updateTable('agent_runtimes')
        .set({ wake_requested_at: now, wake_task_id: input.taskId ?? null, next_run_at: now, backoff_until: null, updated_at: now })
        .where('agent_id', '=', agent.id)
        .execute();
      return toAgentRuntime(agent.id, await findAgentRuntime(db, principal.workspaceId, agent.id));
    },

    async listRuns(principal: Principal, agentId: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<AgentRun>> {
      const agent = await agents.getAgent(principal, agentId);
      let rows = db.selectFrom('agent_runs').selectAll().where('workspace_id', '=', principal.workspaceId).where('agent_id', '=', agent.id);
      const before = decodeCursor(query.cursor, 'string');
      if (before !== undefined) rows = rows.where('id', '<', before);
      const found = await rows
        .orderBy('id', 'desc')
        .limit(query.limit + 1)
        .execute();
      return toPage(found, query.limit, toAgentRun, (row) => row.id);
    },

    async getRun(principal: Principal, runId: string): Promise<AgentRunDetail> {
      assertCan(principal, 'workspace:read');
      const row = await db
        .selectFrom('agent_runs')
        .selectAll()
        .where('id', '=', runId)
        .where('workspace_id', '=', principal.workspaceId)
        .executeTakeFirst();
      if (!row)
        throw new AppError(
          'RUN_NOT_FOUND',
          "No run with this id in your workspace. List an agent's runs with GET /api/v1/agents/{id}/runs.",
        );
      const steps = await db.selectFrom('agent_run_steps').select('step').where('run_id', '=', row.id).orderBy('step_index').execute();
      return {
        ...toAgentRun(row),
        prompt: parseJsonColumn(row.prompt) as AgentRunDetail['prompt'],
        steps: steps.map((step) => toRunStep(step.step)),
      };
    },

    async usage(principal: Principal, query: UsageQuery): Promise<Usage> {
      assertCan(principal, 'workspace:read');
      const now = clock.now();
      const from = query.from ? new Date(query.from).toISOString() : startOfMonth(now).toISOString();
      const to = query.to ? new Date(query.to).toISOString() : new Date(now.getTime() + 1).toISOString();
      const totals = await usageTotals({ workspaceId: principal.workspaceId, agentId: query.agentId, taskId: query.taskId, from, to });
      return { from, to, ...totals };
    },

    async listBudgets(principal: Principal): Promise<Budget[]> {
      assertCan(principal, 'workspace:read');
      const rows = await db
        .selectFrom('budgets')
        .selectAll()
        .where('workspace_id', '=', principal.workspaceId)
        .orderBy('created_at')
        .execute();
      const now = clock.now();
      return Promise.all(rows.map((row) => toBudget(row, now)));
    },

    async createBudget(principal: Principal, input: CreateBudgetInput): Promise<Budget> {
      assertCan(principal, 'agent:manage');
      if (input.agentId) await agents.getAgent(principal, input.agentId);
      const scope = input.agentId ?? 'workspace';
      const existing = await db
        .selectFrom('budgets')
        .select('id')
        .where('workspace_id', '=', principal.workspaceId)
        .where('scope', '=', scope)
        .executeTakeFirst();
      if (existing)
        throw new AppError(
          'BUDGET_EXISTS',
          `A budget for this ${input.agentId ? 'agent' : 'workspace'} exists (${existing.id}); change it with PATCH.`,
        );
      const now = clock.now();
      const row: BudgetRow = {
        id: createId(),
        workspace_id: principal.workspaceId,
        agent_id: input.agentId ?? null,
        scope,
        monthly_token_limit: input.monthlyTokenLimit ?? null,
        monthly_cost_limit_micro_dollars: input.monthlyCostLimitMicroDollars ?? null,
        warned_period: null,
        exhausted_period: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      };
      await db.insertInto('budgets').values(row).execute();
      return toBudget(row, now);
    },

    /** Changes a budget's limits; raising a limit lets a stopped agent run again at its next tick. */
    async updateBudget(principal: Principal, budgetId: string, input: UpdateBudgetInput): Promise<Budget> {
      assertCan(principal, 'agent:manage');
      const row = await requireBudget(principal, budgetId);
      const now = clock.now();
      const changes = {
        monthly_token_limit: input.monthlyTokenLimit === undefined ? row.monthly_token_limit : input.monthlyTokenLimit,
        monthly_cost_limit_micro_dollars:
          input.monthlyCostLimitMicroDollars === undefined ? row.monthly_cost_limit_micro_dollars : input.monthlyCostLimitMicroDollars,
        // New limits are announced afresh.
        warned_period: null,
        exhausted_period: null,
        updated_at: now.toISOString(),
      };
      if (changes.monthly_token_limit === null && changes.monthly_cost_limit_micro_dollars === null) {
        throw new AppError('VALIDATION_FAILED', 'A budget needs a token limit, a cost limit or both; delete it to remove every limit.');
      }
      await db.updateTable('budgets').set(changes).where('id', '=', row.id).execute();
      // Agents stopped by the old limit are looked at again at once.
      await db
        .updateTable('agent_runtimes')
        .set({ state: 'idle', next_run_at: now.toISOString() })
        .where('workspace_id', '=', principal.workspaceId)
        .where('state', '=', 'budget-exhausted')
        .execute();
      return toBudget({ ...row, ...changes }, now);
    },

    async deleteBudget(principal: Principal, budgetId: string): Promise<void> {
      assertCan(principal, 'agent:manage');
      const row = await requireBudget(principal, budgetId);
      await db.deleteFrom('budgets').where('id', '=', row.id).execute();
    },

    /**
     * Closes runs whose instance stopped mid-turn: still running long after the turn lease (which a
     * live turn renews) ran out. Safe on several instances: a conditional update per run.
     */
    async failAbandonedRuns(olderThanMs = 30 * 60_000): Promise<number> {
      const now = clock.now();
      const cutoff = new Date(now.getTime() - olderThanMs).toISOString();
      const stale = await db
        .selectFrom('agent_runs')
        .innerJoin('agent_runtimes', 'agent_runtimes.agent_id', 'agent_runs.agent_id')
        .select(['agent_runs.id', 'agent_runs.workspace_id', 'agent_runs.agent_id'])
        .where('agent_runs.status', '=', 'running')
        .where('agent_runs.started_at', '<', cutoff)
        .where((eb) =>
          eb.or([eb('agent_runtimes.lease_expires_at', 'is', null), eb('agent_runtimes.lease_expires_at', '<', now.toISOString())]),
        )
        .limit(100)
        .execute();
      let closed = 0;
      for (const run of stale) {
        const result = await db
          .updateTable('agent_runs')
          .set({ status: 'failed', error: 'abandoned: the instance running this turn stopped', finished_at: now.toISOString() })
          .where('id', '=', run.id)
          .where('status', '=', 'running')
          .executeTakeFirst();
        closed += Number(result.numUpdatedRows);
      }
      return closed;
    },

    /** Why an agent may not run a turn now (a budget at 100% this month), or null. */
    async findBudgetStop(workspaceId: string, agentId: string): Promise<string | null> {
      const now = clock.now();
      for (const row of await budgetsOf(workspaceId, agentId)) {
        const budget = await toBudget(row, now);
        if (budget.percentUsed >= 100) {
          return `${row.agent_id ? 'The agent' : 'The workspace'} used ${budget.percentUsed}% of its monthly budget; turns resume when the limit is raised or the month turns.`;
        }
      }
      return null;
    },

    /** After a run: announces a budget passing 80% or 100% this month, once each, to the owners. */
    async announceBudgets(workspaceId: string, agentId: string): Promise<void> {
      const now = clock.now();
      const period = budgetPeriod(now);
      for (const row of await budgetsOf(workspaceId, agentId)) {
        const budget = await toBudget(row, now);
        const level = budget.percentUsed >= 100 ? 'exhausted' : budget.percentUsed >= budgetWarningPercent ? 'warning' : null;
        if (!level) continue;
        const column = level === 'exhausted' ? 'exhausted_period' : 'warned_period';
        const owners = await ownersOf(workspaceId);
        await db.transaction().execute(async (trx) => {
          // Conditional, so several instances finishing runs at once announce it once.
          const claimed = await trx
            .updateTable('budgets')
            .set({ [column]: period })
            .where('id', '=', row.id)
            .where((eb) => eb.or([eb(column, 'is', null), eb(column, '!=', period)]))
            .executeTakeFirst();
          if (Number(claimed.numUpdatedRows) !== 1) return;
          const scope = row.agent_id ? `agent ${row.agent_id}` : 'the workspace';
          const summary =
            level === 'exhausted'
              ? `Budget of ${scope} is used up (${budget.percentUsed}%): its built-in agents stop until the limit is raised or the month turns`
              : `Budget of ${scope} is at ${budget.percentUsed}% for ${period}`;
          await appendEvent(trx, {
            workspaceId,
            type: level === 'exhausted' ? 'budget-exhausted' : 'budget-warning',
            actor: null,
            agentId: row.agent_id,
            summary,
            data: {
              budgetId: row.id,
              percentUsed: budget.percentUsed,
              period,
              usedTokens: budget.usedTokens,
              usedCostMicroDollars: budget.usedCostMicroDollars,
            },
            at: now,
          });
          await dependencies.notifications.notifyInTransaction(
            trx,
            workspaceId,
            null,
            owners.map((owner) => ({
              recipient: { kind: 'user' as const, id: owner.user.id },
              taskId: null,
              reason: 'system' as const,
              content: summary,
            })),
          );
        });
      }
    },

    /** The API key a built-in agent's turns use: decrypted from the runtime row, or issued (and sealed) on first use. */
    async obtainAgentCredential(workspaceId: string, agentId: string): Promise<string> {
      const row = await findAgentRuntime(db, workspaceId, agentId);
      const opened = row?.credential ? cipher.decrypt(row.credential) : null;
      if (opened) return opened;
      // Issued in the name of a workspace owner: the feed shows a person, and events name real principals.
      const owner = (await ownersOf(workspaceId))[0];
      if (!owner) throw new AppError('FORBIDDEN', 'The workspace has no owner to issue the built-in agent a key.');
      const manager: Principal = { kind: 'user', id: owner.user.id, workspaceId, role: 'owner', sessionId: null };
      const agent = await agents.getAgent(manager, agentId);
      const created = await dependencies.auth.createApiKey(
        manager,
        { kind: 'agent', id: agent.id, label: agent.name },
        { name: 'built-in runtime' },
      );
      await db
        .updateTable('agent_runtimes')
        .set({ credential: cipher.encrypt(created.secret) })
        .where('agent_id', '=', agentId)
        .execute();
      return created.secret;
    },

    /** Forgets a credential the API refused (revoked by someone), so the next turn issues a new one. */
    async forgetAgentCredential(agentId: string): Promise<void> {
      await db.updateTable('agent_runtimes').set({ credential: null }).where('agent_id', '=', agentId).execute();
    },

    async startRun(run: {
      workspaceId: string;
      agentId: string;
      agentName: string;
      taskId: string | null;
      trigger: string;
      provider: string;
      model: string;
    }) {
      const now = clock.now();
      const id = createId();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('agent_runs')
          .values({
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
          })
          .execute();
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
    async recordStep(run: { id: string; workspaceId: string; agentId: string; agentName: string; taskId: string | null }, step: TurnStep) {
      const now = clock.now();
      await db.transaction().execute(async (trx: DatabaseExecutor) => {
        await trx
          .insertInto('agent_run_steps')
          .values({
            run_id: run.id,
            step_index: step.index,
            workspace_id: run.workspaceId,
            step: JSON.stringify(step),
            created_at: now.toISOString(),
          })
          .execute();
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

    async finishRun(
      run: { id: string; workspaceId: string; agentId: string; agentName: string; taskId: string | null },
      record: TurnRecord,
    ) {
      const now = clock.now();
      const failed = record.outcome === 'failed';
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('agent_runs')
          .set({
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
          })
          .where('id', '=', run.id)
          .execute();
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
