import { approvalSchema, idSchema, workflowRunSchema } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import { z } from 'zod';
import { type AgentTool, defineAgentTool } from './agent-tools.js';
import { invalidInput, runTool, toolResult } from './results.js';
import { additiveTool, readOnlyTool } from './tool-annotations.js';

/** Workflows and human gates: start and list runs; leads propose agents; ask for a higher budget. */
export function createWorkflowTools(client: MissionControl): AgentTool[] {
  return [
    defineAgentTool({
      name: 'start_workflow',
      title: 'Start a workflow',
      description:
        'Start a run of a workflow by name (list them with the API or ask a person), with its inputs. Its task steps appear on the board as tasks; returns the run id and its steps.',
      inputSchema: {
        workflow: z.string().min(1).max(100).describe('The workflow name or id'),
        inputs: z.record(z.string(), z.unknown()).default({}).describe('The inputs the workflow declares'),
      },
      outputSchema: { run: workflowRunSchema },
      annotations: additiveTool,
      run: ({ workflow, inputs }) =>
        runTool(async () => {
          const run = await client.workflows.run(workflow, { inputs });
          return toolResult(
            `Started ${run.workflowName} v${run.version}: run ${run.id} is ${run.status}.`,
            {
              id: run.id,
              status: run.status,
              steps: run.steps.map((step) => ({ stepId: step.stepId, status: step.status, taskId: step.taskId })),
            },
            { run },
          );
        }),
    }),

    defineAgentTool({
      name: 'list_workflow_runs',
      title: 'List workflow runs',
      description: 'List workflow runs, newest first, optionally in one status (running, waiting, completed, failed, cancelled).',
      inputSchema: { status: z.enum(['running', 'waiting', 'completed', 'failed', 'cancelled']).optional() },
      outputSchema: { runs: z.array(workflowRunSchema) },
      annotations: readOnlyTool,
      run: ({ status }) =>
        runTool(async () => {
          const runs = await client.workflows.runs({ ...(status ? { status } : {}), limit: 50 });
          return toolResult(
            `${runs.length} run(s).`,
            runs.map((run) => ({
              id: run.id,
              workflow: run.workflowName,
              version: run.version,
              status: run.status,
              startedAt: run.startedAt,
              error: run.error,
            })),
            { runs },
          );
        }),
    }),
    defineAgentTool({
      name: 'propose_agent',
      title: 'Propose a new agent (leads)',
      description:
        'Leads only: propose a new agent for the squad when work needs a capability nobody has. A person approves or rejects it in the approvals inbox; approved, the agent is created with this name, role, capabilities, runtime and budget, and you get a notification either way (with their comment). Returns the approval id.',
      inputSchema: {
        name: z.string().min(1).max(64).describe('Letters, digits, dot, dash or underscore (it is how others @mention it)'),
        role: z.string().min(1).max(120),
        kind: z.enum(['specialist', 'reviewer', 'lead']).default('specialist'),
        capabilities: z.array(z.string().min(1).max(64)).max(50).default([]),
        runtime: z
          .enum(['builtin', 'external'])
          .default('external')
          .describe('builtin: the platform runs it; external: it connects with a key'),
        monthlyTokenLimit: z.number().int().min(1).optional().describe('A monthly token budget for it'),
        monthlyCostLimitMicroDollars: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe('A monthly cost budget for it, in millionths of a dollar'),
        reason: z.string().max(5_000).default('').describe('Why the squad needs it, for the person deciding'),
      },
      outputSchema: { approval: approvalSchema },
      annotations: additiveTool,
      run: ({ monthlyTokenLimit, monthlyCostLimitMicroDollars, ...proposal }) =>
        runTool(async () => {
          const budget = {
            ...(monthlyTokenLimit !== undefined ? { monthlyTokenLimit } : {}),
            ...(monthlyCostLimitMicroDollars !== undefined ? { monthlyCostLimitMicroDollars } : {}),
          };
          const approval = await client.approvals.proposeAgent({ ...proposal, ...(Object.keys(budget).length > 0 ? { budget } : {}) });
          return toolResult(
            `Proposed ${proposal.name}: approval ${approval.id} waits for a person.`,
            { approvalId: approval.id },
            { approval },
          );
        }),
    }),

    defineAgentTool({
      name: 'request_budget_raise',
      title: 'Ask for a higher budget',
      description:
        "Ask a person for a higher monthly budget: your own, or (leads) another agent's by agentId. A person approves or rejects it in the approvals inbox and you get a notification. Returns the approval id.",
      inputSchema: {
        agentId: idSchema.optional().describe('Leave out for your own budget'),
        monthlyTokenLimit: z.number().int().min(1).optional(),
        monthlyCostLimitMicroDollars: z.number().int().min(1).optional(),
        reason: z.string().max(5_000).default(''),
      },
      outputSchema: { approval: approvalSchema },
      annotations: additiveTool,
      run: (input) =>
        runTool(async () => {
          if (input.monthlyTokenLimit === undefined && input.monthlyCostLimitMicroDollars === undefined)
            return invalidInput('give monthlyTokenLimit, monthlyCostLimitMicroDollars or both.');
          const approval = await client.approvals.requestBudgetRaise(input);
          return toolResult(
            `Asked for a higher budget: approval ${approval.id} waits for a person.`,
            { approvalId: approval.id },
            { approval },
          );
        }),
    }),
  ];
}
