import type { Budget, CreateBudgetInput, UpdateBudgetInput, Usage, UsageQuery, UsageTotals } from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, systemPrincipal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AgentService } from '../agents/agent.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import type { AgentRuntimeSettingsService } from './agent-runtime-settings.service.js';
import {
  type BudgetRow,
  claimBudgetAnnouncement,
  deleteBudgetRow,
  findBudget,
  findBudgetOfScope,
  findMedianRunDurations,
  insertBudget,
  listBudgetsOfAgent,
  listBudgetsOfWorkspace,
  listFailedRuns,
  listFinishedRunOutcomes,
  type RunOutcomeRow,
  type SpendGroup,
  type SpendRow,
  sumSpendBy,
  sumUsage,
  sumUsageOfWorkspaces,
  updateBudgetRow,
} from './agent-usage.repository.js';

export interface AgentUsageServiceDependencies {
  agents: AgentService;
  notifications: NotificationService;
  workspaces: WorkspaceService;
  agentRuntimeSettings: Pick<AgentRuntimeSettingsService, 'resumeBudgetStoppedAgents'>;
  /** Budget changes are recorded in the audit log. */
  audit: Pick<AuditService, 'recordAuditEntry'>;
  /** The organisation's monthly model limit, through a getter: organisations are built before usage but read it. */
  organizations?: () => { findUsageStop(workspaceId: string): Promise<string | null> };
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

export type AgentUsageService = ReturnType<typeof createAgentUsageService>;

/** What built-in agents' turns cost, and the monthly budgets that warn about it and stop them. */
export function createAgentUsageService(context: ServiceContext, dependencies: AgentUsageServiceDependencies) {
  const { db, clock } = context;
  const { agents } = dependencies;

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

  async function ownersOf(workspaceId: string) {
    return (await dependencies.workspaces.listMembers(systemPrincipal(workspaceId))).filter((member) => member.role === 'owner');
  }

  async function requireBudget(principal: Principal, budgetId: string) {
    const row = await findBudget(db, principal.workspaceId, budgetId);
    if (!row) throw new AppError('BUDGET_NOT_FOUND', 'No budget with this id in your workspace. List them with GET /api/v1/budgets.');
    return row;
  }

  return {
    async usage(principal: Principal, query: UsageQuery): Promise<Usage> {
      assertCan(principal, 'workspace:read');
      const now = clock.now();
      const from = query.from ? new Date(query.from).toISOString() : startOfMonth(now).toISOString();
      const to = query.to ? new Date(query.to).toISOString() : new Date(now.getTime() + 1).toISOString();
      const totals = await usageTotals({ workspaceId: principal.workspaceId, agentId: query.agentId, taskId: query.taskId, from, to });
      return { from, to, ...totals };
    },

    /** Spend of the runs started in [from, to), grouped for the analytics (costs per agent, task, model, quarter hour). */
    async summarizeSpend(principal: Principal, range: { from: string; to: string; groupBy: SpendGroup }): Promise<SpendRow[]> {
      assertCan(principal, 'workspace:read');
      return sumSpendBy(db, context.engine, { workspaceId: principal.workspaceId, ...range });
    },

    /** Each agent's median run duration over the runs started in [from, to). */
    async findMedianRunDurations(principal: Principal, range: { from: string; to: string }): Promise<Map<string, number>> {
      assertCan(principal, 'workspace:read');
      return findMedianRunDurations(db, { workspaceId: principal.workspaceId, ...range });
    },

    /** The failed runs started in [from, to): when, and the task each was about. */
    async listFailedRuns(
      principal: Principal,
      range: { from: string; to: string },
    ): Promise<{ taskId: string | null; startedAt: string }[]> {
      assertCan(principal, 'workspace:read');
      return listFailedRuns(db, { workspaceId: principal.workspaceId, ...range });
    },

    /** Every finished run started in [from, to) with its agent, task, model (provider/model), outcome and cost. */
    async listFinishedRunOutcomes(principal: Principal, range: { from: string; to: string }): Promise<RunOutcomeRow[]> {
      assertCan(principal, 'workspace:read');
      return listFinishedRunOutcomes(db, { workspaceId: principal.workspaceId, ...range });
    },

    async listBudgets(principal: Principal): Promise<Budget[]> {
      assertCan(principal, 'workspace:read');
      const rows = await listBudgetsOfWorkspace(db, principal.workspaceId);
      const now = clock.now();
      return Promise.all(rows.map((row) => toBudget(row, now)));
    },

    async createBudget(principal: Principal, input: CreateBudgetInput): Promise<Budget> {
      assertCan(principal, 'agent:manage');
      if (input.agentId) await agents.getAgent(principal, input.agentId);
      const scope = input.agentId ?? 'workspace';
      const existing = await findBudgetOfScope(db, principal.workspaceId, scope);
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
      await db.transaction().execute(async (trx) => {
        await insertBudget(trx, row);
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'budget.created',
          targetKind: 'budget',
          targetId: row.id,
          summary: `a monthly budget was set for ${input.agentId ? 'an agent' : 'the workspace'}`,
          after: {
            agentId: row.agent_id,
            monthlyTokenLimit: row.monthly_token_limit,
            monthlyCostLimitMicroDollars: row.monthly_cost_limit_micro_dollars,
          },
        });
      });
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
      await db.transaction().execute(async (trx) => {
        await updateBudgetRow(trx, row.id, changes);
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'budget.updated',
          targetKind: 'budget',
          targetId: row.id,
          summary: `the monthly budget of ${row.agent_id ? 'an agent' : 'the workspace'} was changed`,
          before: { monthlyTokenLimit: row.monthly_token_limit, monthlyCostLimitMicroDollars: row.monthly_cost_limit_micro_dollars },
          after: { monthlyTokenLimit: changes.monthly_token_limit, monthlyCostLimitMicroDollars: changes.monthly_cost_limit_micro_dollars },
        });
      });
      // Agents stopped by the old limit are looked at again at once.
      await dependencies.agentRuntimeSettings.resumeBudgetStoppedAgents(principal.workspaceId, now);
      return toBudget({ ...row, ...changes }, now);
    },

    async deleteBudget(principal: Principal, budgetId: string): Promise<void> {
      assertCan(principal, 'agent:manage');
      const row = await requireBudget(principal, budgetId);
      await db.transaction().execute(async (trx) => {
        await deleteBudgetRow(trx, row.id);
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'budget.deleted',
          targetKind: 'budget',
          targetId: row.id,
          summary: `the monthly budget of ${row.agent_id ? 'an agent' : 'the workspace'} was removed`,
          before: {
            agentId: row.agent_id,
            monthlyTokenLimit: row.monthly_token_limit,
            monthlyCostLimitMicroDollars: row.monthly_cost_limit_micro_dollars,
          },
        });
      });
    },

    /** Tokens and cost of several workspaces' runs in a range (an organisation's month). */
    sumUsageOfWorkspaces(workspaceIds: readonly string[], range: { from: string; to: string }) {
      return sumUsageOfWorkspaces(db, workspaceIds, range);
    },

    /** Why an agent may not run a turn now (its organisation's monthly limit, a budget at 100% this month), or null. */
    async findBudgetStop(workspaceId: string, agentId: string): Promise<string | null> {
      const organizationStop = await dependencies.organizations?.().findUsageStop(workspaceId);
      if (organizationStop) return organizationStop;
      const now = clock.now();
      for (const row of await listBudgetsOfAgent(db, workspaceId, agentId)) {
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
      for (const row of await listBudgetsOfAgent(db, workspaceId, agentId)) {
        const budget = await toBudget(row, now);
        const level = budget.percentUsed >= 100 ? 'exhausted' : budget.percentUsed >= budgetWarningPercent ? 'warning' : null;
        if (!level) continue;
        const column = level === 'exhausted' ? 'exhausted_period' : 'warned_period';
        const owners = await ownersOf(workspaceId);
        await db.transaction().execute(async (trx) => {
          if (!(await claimBudgetAnnouncement(trx, row.id, column, period))) return;
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
              kind: 'budget' as const,
              content: summary,
            })),
          );
        });
      }
    },
  };
}
