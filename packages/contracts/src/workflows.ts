// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow strings hold ${…} CEL interpolation, not JS templates
// biome-ignore-all lint/suspicious/noThenProperty: `then`/`else` are the branch names of a condition step in the workflow contract
import { z } from 'zod';
import { agentRuntimeKindSchema } from './agent-runs.js';
import { agentKindSchema, agentNameSchema, capabilitySchema } from './agents.js';
import { idSchema, pageQuerySchema, principalReferenceSchema, textSchema, timestampSchema } from './common.js';
import { taskPrioritySchema } from './tasks.js';

/**
 * Workflows: a definition (JSON or YAML) of steps ordered by `needs`, run by the server's durable
 * engine. A step that needs an agent is a board task, so every agent takes part without learning
 * anything new. Strings may hold `${…}` CEL over `inputs`, `steps.<id>.*`, `item` and `run.*`.
 */
export const workflowStepKinds = ['task', 'condition', 'approval', 'delay', 'workflow', 'notify', 'message', 'http'] as const;
export const workflowStepKindSchema = z.enum(workflowStepKinds);
export type WorkflowStepKind = z.infer<typeof workflowStepKindSchema>;

const stepIdSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a step id starts with a letter and has only letters, digits and _ (at most 64)');
const celSchema = z.string().min(1).max(2_000);
const templateTextSchema = z.string().max(20_000);
const rolesTargetSchema = z.strictObject({
  roles: z
    .array(z.enum(['owner', 'admin', 'member', 'viewer']))
    .min(1)
    .optional(),
  userIds: z.array(idSchema).optional(),
  agentIds: z.array(idSchema).optional(),
});

const stepBase = {
  id: stepIdSchema,
  name: z.string().max(200).optional(),
  needs: z.array(z.string()).max(100).optional().describe('Step ids that must finish first; several needs make a fan-in'),
  retries: z.number().int().min(0).max(10).optional().describe('How many more attempts after a failure'),
  timeoutSeconds: z.number().int().min(1).max(31_536_000).optional(),
  onFailure: z
    .enum(['fail', 'continue', 'escalate'])
    .optional()
    .describe('fail the run (default), continue, or escalate (notify owners, then fail)'),
};

export const workflowTaskSpecSchema = z.strictObject({
  title: templateTextSchema.min(1),
  description: templateTextSchema.optional(),
  assignee: principalReferenceSchema.optional(),
  requiredCapabilities: z.array(z.string().max(64)).max(20).optional(),
  priority: taskPrioritySchema.optional(),
  dueInSeconds: z.number().int().min(1).optional(),
});

export const workflowStepSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...stepBase,
    kind: z.literal('task'),
    task: workflowTaskSpecSchema,
    handoff: z.boolean().optional().describe('Give the task a handoff packet from the steps it needs'),
    forEach: celSchema.optional().describe('A CEL list: one task per item (`item` in the templates)'),
    maxParallel: z.number().int().min(1).max(100).optional(),
  }),
  z.strictObject({
    ...stepBase,
    kind: z.literal('condition'),
    if: celSchema,
    then: z.array(z.string()).optional(),
    else: z.array(z.string()).optional(),
  }),
  z.strictObject({
    ...stepBase,
    kind: z.literal('approval'),
    approvers: rolesTargetSchema.optional(),
    title: templateTextSchema.optional(),
  }),
  z.strictObject({ ...stepBase, kind: z.literal('delay'), seconds: z.number().int().min(0).optional(), until: z.string().optional() }),
  z.strictObject({
    ...stepBase,
    kind: z.literal('workflow'),
    workflow: z.string().min(1).max(200),
    inputs: z.record(z.string(), z.unknown()).optional(),
  }),
  z.strictObject({ ...stepBase, kind: z.literal('notify'), to: rolesTargetSchema, message: templateTextSchema.min(1) }),
  z.strictObject({
    ...stepBase,
    kind: z.literal('message'),
    task: templateTextSchema.min(1).describe('The task (key, id, or `${steps.x.taskKey}`)'),
    content: templateTextSchema.min(1),
  }),
  z.strictObject({
    ...stepBase,
    kind: z.literal('http'),
    url: templateTextSchema.min(1),
    method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE', 'GET']).optional(),
    body: z.unknown().optional(),
  }),
]);
export type WorkflowStep = z.infer<typeof workflowStepSchema>;

export const workflowInputSchema = z.strictObject({
  type: z.enum(['string', 'number', 'boolean', 'list', 'object']).optional(),
  required: z.boolean().optional(),
  default: z.unknown().optional(),
  description: z.string().max(2_000).optional(),
});

export const workflowDefinitionSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'a name is lower case letters, digits and dashes (at most 100)'),
    description: z.string().max(5_000).optional(),
    inputs: z.record(z.string(), workflowInputSchema).optional(),
    steps: z.array(workflowStepSchema).min(1).max(200),
  })
  .meta({ id: 'WorkflowDefinition' });
export type WorkflowDefinition = z.infer<typeof workflowDefinitionSchema>;

export const workflowValidationErrorSchema = z.object({ path: z.string(), message: z.string() }).meta({ id: 'WorkflowValidationError' });
export type WorkflowValidationError = z.infer<typeof workflowValidationErrorSchema>;

/** Any JSON object: checked by the workflow validator, which answers every error at once. */
export const workflowDefinitionBodySchema = z
  .record(z.string(), z.unknown())
  .describe('A workflow definition (JSON, or YAML with content-type application/yaml)');

export const validateWorkflowSchema = z.strictObject({ definition: z.unknown() });
export const workflowValidationSchema = z
  .object({ valid: z.boolean(), errors: z.array(workflowValidationErrorSchema) })
  .meta({ id: 'WorkflowValidation' });

export const workflowSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    name: z.string(),
    description: z.string(),
    version: z.number().int().describe('The latest version'),
    definition: workflowDefinitionSchema,
    createdBy: principalReferenceSchema,
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .meta({ id: 'Workflow' });
export type Workflow = z.infer<typeof workflowSchema>;

export const workflowVersionSchema = z
  .object({ workflowId: idSchema, version: z.number().int(), definition: workflowDefinitionSchema, createdAt: timestampSchema })
  .meta({ id: 'WorkflowVersion' });
export type WorkflowVersion = z.infer<typeof workflowVersionSchema>;

export const workflowRunStatusSchema = z.enum(['running', 'waiting', 'completed', 'failed', 'cancelled']);
export type WorkflowRunStatus = z.infer<typeof workflowRunStatusSchema>;
export const workflowStepStatusSchema = z.enum(['pending', 'running', 'waiting', 'done', 'failed', 'skipped', 'cancelled']);
export type WorkflowStepStatus = z.infer<typeof workflowStepStatusSchema>;

export const workflowStepStateSchema = z
  .object({
    stepId: z.string(),
    kind: workflowStepKindSchema,
    itemIndex: z.number().int().nullable().describe('For forEach: which item; null for the step itself'),
    status: workflowStepStatusSchema,
    taskId: idSchema.nullable(),
    approvalId: idSchema.nullable(),
    childRunId: idSchema.nullable(),
    attempts: z.number().int(),
    output: z
      .unknown()
      .describe('What the step produced (null until it has): a task step its task, a condition its branch, an approval its decision'),
    error: z.string().nullable(),
    startedAt: timestampSchema.nullable(),
    finishedAt: timestampSchema.nullable(),
  })
  .meta({ id: 'WorkflowStepState' });
export type WorkflowStepState = z.infer<typeof workflowStepStateSchema>;

export const workflowRunSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    workflowId: idSchema,
    workflowName: z.string(),
    version: z.number().int(),
    status: workflowRunStatusSchema,
    inputs: z.record(z.string(), z.unknown()),
    error: z.string().nullable(),
    parentRunId: idSchema.nullable(),
    startedBy: principalReferenceSchema,
    startedAt: timestampSchema,
    finishedAt: timestampSchema.nullable(),
    steps: z.array(workflowStepStateSchema),
  })
  .meta({ id: 'WorkflowRun' });
export type WorkflowRun = z.infer<typeof workflowRunSchema>;

export const startWorkflowRunSchema = z.strictObject({
  inputs: z.record(z.string(), z.unknown()).default({}),
  version: z
    .union([z.number().int().min(1), z.literal('ab'), z.literal('latest')])
    .optional()
    .describe('A version number, "latest" (default) or "ab" to pick by weight'),
  abSplit: z.record(z.string(), z.number().min(0)).optional().describe('With version "ab": weight per version, such as {"1": 50, "2": 50}'),
});
export type StartWorkflowRunInput = z.infer<typeof startWorkflowRunSchema>;

export const listWorkflowRunsQuerySchema = pageQuerySchema.extend({
  workflowId: idSchema.optional(),
  status: workflowRunStatusSchema.optional(),
});
export type ListWorkflowRunsQuery = z.infer<typeof listWorkflowRunsQuerySchema>;

export const workflowTimelineEntrySchema = z
  .object({ at: timestampSchema, kind: z.string(), stepId: z.string().nullable(), summary: z.string() })
  .meta({ id: 'WorkflowTimelineEntry' });

export const workflowStatsSchema = z
  .object({
    workflowId: idSchema,
    versions: z.array(
      z.object({
        version: z.number().int(),
        runs: z.number().int(),
        completed: z.number().int(),
        failed: z.number().int(),
        successRate: z.number().nullable(),
        medianDurationSeconds: z.number().nullable(),
        costMicroDollars: z.number().int().describe("What the agents' runs on the tasks of this version's runs cost, in total"),
        medianCostMicroDollars: z.number().nullable().describe('The median cost of one run'),
      }),
    ),
  })
  .meta({ id: 'WorkflowStats' });

export const approvalStatusSchema = z.enum(['pending', 'approved', 'rejected', 'expired']);
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;
export const approvalSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('workflow-step'), workflowRunId: idSchema, stepId: z.string() }),
  z.object({ kind: z.literal('agent-proposal'), proposal: z.record(z.string(), z.unknown()) }),
  z.object({ kind: z.literal('budget-raise'), request: z.record(z.string(), z.unknown()) }),
]);
export const approvalSchema = z
  .object({
    id: idSchema,
    workspaceId: idSchema,
    status: approvalStatusSchema,
    title: z.string(),
    source: approvalSourceSchema,
    approverRoles: z.array(z.string()),
    requestedBy: principalReferenceSchema.nullable(),
    decidedBy: principalReferenceSchema.nullable(),
    comment: z.string().nullable(),
    createdAt: timestampSchema,
    expiresAt: timestampSchema.nullable(),
    decidedAt: timestampSchema.nullable(),
  })
  .meta({ id: 'Approval' });
export type Approval = z.infer<typeof approvalSchema>;
export const listApprovalsQuerySchema = z.strictObject({ status: approvalStatusSchema.optional() });
export const decideApprovalSchema = z.strictObject({ comment: textSchema().max(5_000).optional() });
export const workflowTemplateSchema = z
  .object({ name: z.string(), description: z.string(), definition: workflowDefinitionSchema })
  .meta({ id: 'WorkflowTemplate' });
export const workflowTemplateParamsSchema = z.object({ name: textSchema().max(100) });
export const workflowReferenceParamsSchema = z.object({ id: textSchema().min(1).max(100).describe('The workflow id or its name') });
export const instantiateWorkflowTemplateSchema = z.strictObject({
  name: textSchema().max(100).optional().describe('The new workflow name; the template name when left out'),
});

const monthlyLimitsSchema = {
  monthlyTokenLimit: z.number().int().min(1).optional(),
  monthlyCostLimitMicroDollars: z.number().int().min(1).optional(),
};

/** A lead agent's proposal of a new agent: approved by a person, the agent is created and joins the squad. */
export const proposeAgentSchema = z
  .strictObject({
    name: agentNameSchema,
    role: textSchema().trim().min(1).max(120),
    kind: agentKindSchema.default('specialist'),
    capabilities: z.array(capabilitySchema).max(50).default([]),
    runtime: agentRuntimeKindSchema.default('external').describe('builtin: run by the platform; external: connects with a key'),
    budget: z.strictObject(monthlyLimitsSchema).optional().describe('A monthly budget the new agent starts with'),
    reason: textSchema().max(5_000).default('').describe('Why the squad needs it, for the person deciding'),
  })
  .meta({ id: 'ProposeAgent' });
export type ProposeAgentInput = z.infer<typeof proposeAgentSchema>;

/** An agent asking a person for a higher monthly budget (its own, or for a lead, any agent's). */
export const requestBudgetRaiseSchema = z
  .strictObject({
    agentId: idSchema.optional().describe("The agent whose budget to raise; the caller's own when left out"),
    ...monthlyLimitsSchema,
    reason: textSchema().max(5_000).default(''),
  })
  .refine((input) => input.monthlyTokenLimit !== undefined || input.monthlyCostLimitMicroDollars !== undefined, {
    message: 'give monthlyTokenLimit, monthlyCostLimitMicroDollars or both',
  })
  .meta({ id: 'RequestBudgetRaise' });
export type RequestBudgetRaiseInput = z.infer<typeof requestBudgetRaiseSchema>;
