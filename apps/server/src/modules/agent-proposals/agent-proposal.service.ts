import {
  type Approval,
  createAgentSchema,
  idSchema,
  type ProposeAgentInput,
  proposeAgentSchema,
  type RequestBudgetRaiseInput,
} from '@mission-control/contracts';
import { z } from 'zod';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { AgentRuntimeSettingsService } from '../agent-runtime/agent-runtime-settings.service.js';
import type { AgentUsageService } from '../agent-runtime/agent-usage.service.js';
import type { AgentService } from '../agents/agent.service.js';
import type { AfterDecision, ApprovalService } from '../approvals/approval.service.js';
import type { NotificationService } from '../notifications/notification.service.js';

/** What an agent-proposal approval keeps: the proposal as sent, and who sent it. */
const storedProposalSchema = z.object({ ...proposeAgentSchema.shape, proposedBy: idSchema });
const storedBudgetRequestSchema = z.object({
  agentId: idSchema,
  requestedBy: idSchema,
  monthlyTokenLimit: z.number().int().optional(),
  monthlyCostLimitMicroDollars: z.number().int().optional(),
  reason: z.string(),
});

const deciders = ['owner', 'admin'];

export type AgentProposalService = ReturnType<typeof createAgentProposalService>;

/**
 * Agents creating agents, with a person saying yes: a lead proposes (name, role, capabilities,
 * runtime, budget) and an approval waits in the inbox; approved, the agent is created in the
 * decision's transaction, its budget and runtime set right after. Budget raises work the same way.
 */
export function createAgentProposalService(
  context: ServiceContext,
  dependencies: {
    approvals: ApprovalService;
    agents: AgentService;
    agentUsage: AgentUsageService;
    agentRuntimeSettings: AgentRuntimeSettingsService;
    notifications: NotificationService;
  },
) {
  const { db } = context;

  async function requireCallingAgent(principal: Principal) {
    if (principal.kind !== 'agent')
      throw new AppError('FORBIDDEN', 'Only agents ask through this endpoint; people set agents up directly.');
    return dependencies.agents.getAgent(principal, principal.id);
  }

  const tell = (trx: DatabaseExecutor, approval: Approval, agentId: string, content: string) =>
    dependencies.notifications.notifyInTransaction(trx, approval.workspaceId, null, [
      { recipient: { kind: 'agent', id: agentId }, taskId: null, reason: 'system', content },
    ]);

  async function decideProposal(
    trx: DatabaseExecutor,
    approval: Approval,
    decidedBy: Principal | null,
  ): Promise<AfterDecision | undefined> {
    if (approval.source.kind !== 'agent-proposal') return undefined;
    const proposal = storedProposalSchema.parse(approval.source.proposal);
    const because = approval.comment ? `: ${approval.comment}` : '';
    if (approval.status !== 'approved' || !decidedBy) {
      await tell(
        trx,
        approval,
        proposal.proposedBy,
        `Your proposal of ${proposal.name} (${proposal.role}) was ${approval.status}${because}.`,
      );
      return undefined;
    }
    const agent = await dependencies.agents.createAgentInTransaction(
      trx,
      decidedBy,
      createAgentSchema.parse({
        name: proposal.name,
        role: proposal.role,
        kind: proposal.kind,
        capabilities: proposal.capabilities,
        memoryContext: proposal.reason ? `Proposed by the lead: ${proposal.reason}` : '',
      }),
    );
    await tell(trx, approval, proposal.proposedBy, `Your proposal was approved${because}: @${agent.name} joined the squad.`);
    // The budget before the runtime: should the server stop in between, the agent is external and idle, never unbudgeted.
    return async () => {
      if (proposal.budget) await dependencies.agentUsage.createBudget(decidedBy, { agentId: agent.id, ...proposal.budget });
      if (proposal.runtime === 'builtin')
        await dependencies.agentRuntimeSettings.updateRuntime(decidedBy, agent.id, { runtime: 'builtin' });
    };
  }

  async function decideBudgetRaise(
    trx: DatabaseExecutor,
    approval: Approval,
    decidedBy: Principal | null,
  ): Promise<AfterDecision | undefined> {
    if (approval.source.kind !== 'budget-raise') return undefined;
    const request = storedBudgetRequestSchema.parse(approval.source.request);
    const because = approval.comment ? `: ${approval.comment}` : '';
    await tell(trx, approval, request.requestedBy, `Your budget request was ${approval.status}${because}.`);
    if (approval.status !== 'approved' || !decidedBy) return undefined;
    const limits = {
      ...(request.monthlyTokenLimit !== undefined ? { monthlyTokenLimit: request.monthlyTokenLimit } : {}),
      ...(request.monthlyCostLimitMicroDollars !== undefined ? { monthlyCostLimitMicroDollars: request.monthlyCostLimitMicroDollars } : {}),
    };
    return async () => {
      const existing = (await dependencies.agentUsage.listBudgets(decidedBy)).find((budget) => budget.agentId === request.agentId);
      if (existing) await dependencies.agentUsage.updateBudget(decidedBy, existing.id, limits);
      else await dependencies.agentUsage.createBudget(decidedBy, { agentId: request.agentId, ...limits });
    };
  }

  dependencies.approvals.onDecision(async (trx, approval, decidedBy) => {
    const afterProposal = await decideProposal(trx, approval, decidedBy);
    const afterRaise = await decideBudgetRaise(trx, approval, decidedBy);
    return afterProposal ?? afterRaise;
  });

  return {
    /** A lead agent proposes a new agent; answers the approval waiting for a person. */
    async proposeAgent(principal: Principal, input: ProposeAgentInput): Promise<Approval> {
      const lead = await requireCallingAgent(principal);
      if (lead.kind !== 'lead') throw new AppError('FORBIDDEN', 'Only lead agents propose new agents; ask your lead to propose one.');
      if (await dependencies.agents.isAgentNameTaken(principal, input.name))
        throw new AppError('AGENT_NAME_TAKEN', `An agent named "${input.name}" already exists in this workspace. Propose another name.`);
      return db.transaction().execute((trx) =>
        dependencies.approvals.createApprovalInTransaction(trx, {
          workspaceId: principal.workspaceId,
          title: `${lead.name} proposes a new agent: ${input.name} (${input.role})`,
          source: { kind: 'agent-proposal', proposal: { ...input, proposedBy: lead.id } },
          approverRoles: deciders,
          requestedBy: toPrincipalReference(principal),
          expiresAt: null,
        }),
      );
    },

    /** An agent asks for a higher monthly budget (its own; a lead may ask for any agent's). */
    async requestBudgetRaise(principal: Principal, input: RequestBudgetRaiseInput): Promise<Approval> {
      const caller = await requireCallingAgent(principal);
      const agentId = input.agentId ?? caller.id;
      if (agentId !== caller.id && caller.kind !== 'lead')
        throw new AppError('FORBIDDEN', "Only a lead asks for another agent's budget; ask for your own, or ask your lead.");
      const agent = agentId === caller.id ? caller : await dependencies.agents.getAgent(principal, agentId);
      const limits = [
        input.monthlyTokenLimit !== undefined ? `${input.monthlyTokenLimit} tokens` : null,
        input.monthlyCostLimitMicroDollars !== undefined ? `$${(input.monthlyCostLimitMicroDollars / 1_000_000).toFixed(2)}` : null,
      ].filter(Boolean);
      return db.transaction().execute((trx) =>
        dependencies.approvals.createApprovalInTransaction(trx, {
          workspaceId: principal.workspaceId,
          title: `${caller.name} asks to raise the monthly budget of ${agent.name} to ${limits.join(' and ')}`,
          source: { kind: 'budget-raise', request: { ...input, agentId: agent.id, requestedBy: caller.id } },
          approverRoles: deciders,
          requestedBy: toPrincipalReference(principal),
          expiresAt: null,
        }),
      );
    },
  };
}
