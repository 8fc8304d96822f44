import { z } from 'zod';
import { idParamsSchema, optionalBody } from '../common.js';
import {
  approvalSchema,
  decideApprovalSchema,
  instantiateWorkflowTemplateSchema,
  listApprovalsQuerySchema,
  listWorkflowRunsQuerySchema,
  proposeAgentSchema,
  requestBudgetRaiseSchema,
  startWorkflowRunSchema,
  validateWorkflowSchema,
  workflowDefinitionBodySchema,
  workflowReferenceParamsSchema,
  workflowRunSchema,
  workflowSchema,
  workflowStatsSchema,
  workflowTemplateParamsSchema,
  workflowTemplateSchema,
  workflowTimelineEntrySchema,
  workflowValidationSchema,
  workflowVersionSchema,
} from '../workflows.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'workflows';
const writers = 'Members, admins, owners and agents may; viewers get 403.';
const yaml = 'The body is the definition itself: JSON, or YAML with `content-type: application/yaml`.';
const invalid =
  'A definition with errors answers 400 WORKFLOW_DEFINITION_INVALID with `details.errors`, every error at once as `{path, message}` (unknown step kind, unknown needs, a cycle, CEL that does not parse, an unknown input).';
const theWorkflow = { 200: { description: 'The workflow', schema: workflowSchema } } as const;
const theRun = { 200: { description: 'The run with its steps', schema: workflowRunSchema } } as const;

export const createWorkflow = defineEndpoint({
  operationId: 'createWorkflow',
  method: 'POST',
  path: '/api/v1/workflows',
  tag,
  auth: 'any',
  summary: 'Create a workflow',
  description: `${yaml} ${invalid} Names are unique per workspace (409 WORKFLOW_NAME_TAKEN). ${writers}`,
  body: workflowDefinitionBodySchema,
  responses: { 201: { description: 'The workflow at version 1', schema: workflowSchema } },
  errors: ['FORBIDDEN', 'WORKFLOW_DEFINITION_INVALID', 'WORKFLOW_NAME_TAKEN'],
});

export const listWorkflows = defineEndpoint({
  operationId: 'listWorkflows',
  method: 'GET',
  path: '/api/v1/workflows',
  tag,
  auth: 'any',
  summary: "The workspace's workflows",
  description: 'By name, each at its latest version.',
  responses: { 200: { description: 'The workflows', schema: z.object({ data: z.array(workflowSchema) }) } },
  errors: [],
});

export const validateWorkflow = defineEndpoint({
  operationId: 'validateWorkflow',
  method: 'POST',
  path: '/api/v1/workflows/validate',
  tag,
  auth: 'any',
  summary: 'Validate a workflow definition',
  description: 'Stores nothing. Answers `{valid, errors}`, every error at once with its path.',
  body: validateWorkflowSchema,
  responses: { 200: { description: 'Whether it is valid, and every error', schema: workflowValidationSchema } },
  errors: [],
});

export const getWorkflow = defineEndpoint({
  operationId: 'getWorkflow',
  method: 'GET',
  path: '/api/v1/workflows/{id}',
  tag,
  auth: 'any',
  summary: 'Get a workflow',
  description: 'At its latest version.',
  params: idParamsSchema,
  responses: theWorkflow,
  errors: ['WORKFLOW_NOT_FOUND'],
});

export const updateWorkflow = defineEndpoint({
  operationId: 'updateWorkflow',
  method: 'PUT',
  path: '/api/v1/workflows/{id}',
  tag,
  auth: 'any',
  summary: 'Save a new version of a workflow',
  description: `${yaml} Earlier versions are kept, and runs already started go on with theirs. ${invalid} ${writers}`,
  params: idParamsSchema,
  body: workflowDefinitionBodySchema,
  responses: theWorkflow,
  errors: ['FORBIDDEN', 'WORKFLOW_NOT_FOUND', 'WORKFLOW_DEFINITION_INVALID', 'WORKFLOW_NAME_TAKEN'],
});

export const deleteWorkflow = defineEndpoint({
  operationId: 'deleteWorkflow',
  method: 'DELETE',
  path: '/api/v1/workflows/{id}',
  tag,
  auth: 'any',
  summary: 'Delete a workflow',
  description: `Deletes it with its versions; runs already started go on. ${writers}`,
  params: idParamsSchema,
  responses: { 204: { description: 'Deleted' } },
  errors: ['FORBIDDEN', 'WORKFLOW_NOT_FOUND'],
});

export const listWorkflowVersions = defineEndpoint({
  operationId: 'listWorkflowVersions',
  method: 'GET',
  path: '/api/v1/workflows/{id}/versions',
  tag,
  auth: 'any',
  summary: "A workflow's versions",
  description: 'Newest first.',
  params: idParamsSchema,
  responses: { 200: { description: 'The versions', schema: z.object({ data: z.array(workflowVersionSchema) }) } },
  errors: ['WORKFLOW_NOT_FOUND'],
});

export const getWorkflowStats = defineEndpoint({
  operationId: 'getWorkflowStats',
  method: 'GET',
  path: '/api/v1/workflows/{id}/stats',
  tag,
  auth: 'any',
  summary: "Compare a workflow's versions",
  description:
    'Per version: runs, completed, failed, success rate, median duration of finished runs, and cost (the agent runs on their tasks, total and median per run), for A/B tests.',
  params: idParamsSchema,
  responses: { 200: { description: 'The stats', schema: workflowStatsSchema } },
  errors: ['WORKFLOW_NOT_FOUND'],
});

export const getWorkflowSigningSecret = defineEndpoint({
  operationId: 'getWorkflowSigningSecret',
  method: 'GET',
  path: '/api/v1/workflows/signing-secret',
  tag,
  auth: 'user',
  summary: 'The signing secret of http steps',
  description:
    "The Standard Webhooks secret (`whsec_…`) that signs every request of the workspace's `http` steps (headers webhook-id, webhook-timestamp, webhook-signature); receivers verify with any Standard Webhooks library. Owners and admins only.",
  responses: {
    200: {
      description: 'The secret',
      schema: z.object({ secret: z.string(), scheme: z.literal('standard-webhooks') }).meta({ id: 'WorkflowSigningSecret' }),
    },
  },
  errors: [],
});

export const startWorkflowRun = defineEndpoint({
  operationId: 'startWorkflowRun',
  method: 'POST',
  path: '/api/v1/workflows/{id}/runs',
  tag,
  auth: 'any',
  summary: 'Start a workflow run',
  description: `The id may also be the workflow's name. Inputs are checked against the definition's (400 WORKFLOW_INPUTS_INVALID). \`version\` picks one (404 WORKFLOW_VERSION_NOT_FOUND), or "ab" to pick by \`abSplit\` weights (even when left out). Steps with no needs start at once; task steps are board tasks created in the name of the caller. ${writers} Appends \`workflow-run-started\`.`,
  params: workflowReferenceParamsSchema,
  body: optionalBody(startWorkflowRunSchema),
  responses: { 201: { description: 'The run', schema: workflowRunSchema } },
  errors: ['FORBIDDEN', 'WORKFLOW_NOT_FOUND', 'WORKFLOW_VERSION_NOT_FOUND', 'WORKFLOW_INPUTS_INVALID'],
});

export const listWorkflowRuns = defineEndpoint({
  operationId: 'listWorkflowRuns',
  method: 'GET',
  path: '/api/v1/workflow-runs',
  tag,
  auth: 'any',
  summary: 'Workflow runs',
  description: 'Newest first, optionally of one workflow or in one status.',
  query: listWorkflowRunsQuerySchema,
  responses: {
    200: { description: 'The runs', schema: z.object({ data: z.array(workflowRunSchema), nextCursor: z.string().nullable() }) },
  },
  errors: [],
});

export const getWorkflowRun = defineEndpoint({
  operationId: 'getWorkflowRun',
  method: 'GET',
  path: '/api/v1/workflow-runs/{id}',
  tag,
  auth: 'any',
  summary: 'Get a workflow run',
  description: 'Its status and every step with status, task, attempts, output, started and finished.',
  params: idParamsSchema,
  responses: theRun,
  errors: ['WORKFLOW_RUN_NOT_FOUND'],
});

export const cancelWorkflowRun = defineEndpoint({
  operationId: 'cancelWorkflowRun',
  method: 'POST',
  path: '/api/v1/workflow-runs/{id}/cancel',
  tag,
  auth: 'any',
  summary: 'Cancel a workflow run',
  description: `Steps not finished are cancelled, with their open tasks and pending approvals. A finished run answers 409 WORKFLOW_RUN_FINISHED. ${writers} Appends \`workflow-run-finished\`.`,
  params: idParamsSchema,
  responses: theRun,
  errors: ['FORBIDDEN', 'WORKFLOW_RUN_NOT_FOUND', 'WORKFLOW_RUN_FINISHED'],
});

export const getWorkflowRunTimeline = defineEndpoint({
  operationId: 'getWorkflowRunTimeline',
  method: 'GET',
  path: '/api/v1/workflow-runs/{id}/timeline',
  tag,
  auth: 'any',
  summary: "A run's timeline",
  description: 'What happened, oldest first: the run and each step starting and finishing.',
  params: idParamsSchema,
  responses: { 200: { description: 'The timeline', schema: z.object({ data: z.array(workflowTimelineEntrySchema) }) } },
  errors: ['WORKFLOW_RUN_NOT_FOUND'],
});

export const listApprovals = defineEndpoint({
  operationId: 'listApprovals',
  method: 'GET',
  path: '/api/v1/approvals',
  tag,
  auth: 'any',
  summary: 'The approvals inbox',
  description: 'Every kind of human gate, newest first; each names its source.',
  query: listApprovalsQuerySchema,
  responses: { 200: { description: 'The approvals', schema: z.object({ data: z.array(approvalSchema) }) } },
  errors: [],
});

const decide = (verb: 'approve' | 'reject') =>
  defineEndpoint({
    operationId: verb === 'approve' ? 'approveApproval' : 'rejectApproval',
    method: 'POST',
    path: `/api/v1/approvals/{id}/${verb}`,
    tag,
    auth: 'user',
    summary: verb === 'approve' ? 'Approve' : 'Reject',
    description: `With an optional comment. Only people with a role the approval names may decide (403 otherwise); a decided one answers 409 APPROVAL_ALREADY_DECIDED. The waiting workflow step goes on (approved) or fails (rejected). Appends \`approval-decided\`.`,
    params: idParamsSchema,
    body: optionalBody(decideApprovalSchema),
    responses: { 200: { description: 'The decided approval', schema: approvalSchema } },
    errors: ['FORBIDDEN', 'APPROVAL_NOT_FOUND', 'APPROVAL_ALREADY_DECIDED'],
  });
export const approveApproval = decide('approve');
export const rejectApproval = decide('reject');

export const listWorkflowTemplates = defineEndpoint({
  operationId: 'listWorkflowTemplates',
  method: 'GET',
  path: '/api/v1/workflow-templates',
  tag,
  auth: 'any',
  summary: 'Workflow templates',
  description:
    'Built-in definitions to start from: pipeline, fan-out-fan-in, review-loop, escalation, handoff-chain, daily-standup, research-write-review.',
  responses: { 200: { description: 'The templates', schema: z.object({ data: z.array(workflowTemplateSchema) }) } },
  errors: [],
});

export const instantiateWorkflowTemplate = defineEndpoint({
  operationId: 'instantiateWorkflowTemplate',
  method: 'POST',
  path: '/api/v1/workflow-templates/{name}/instantiate',
  tag,
  auth: 'any',
  summary: 'Create a workflow from a template',
  description: `Under the template's name unless another is given. ${writers}`,
  params: workflowTemplateParamsSchema,
  body: optionalBody(instantiateWorkflowTemplateSchema),
  responses: { 201: { description: 'The workflow', schema: workflowSchema } },
  errors: ['FORBIDDEN', 'WORKFLOW_TEMPLATE_NOT_FOUND', 'WORKFLOW_NAME_TAKEN'],
});

const gate = { 201: { description: 'The approval waiting for a person', schema: approvalSchema } } as const;

export const proposeAgent = defineEndpoint({
  operationId: 'proposeAgent',
  method: 'POST',
  path: '/api/v1/agent-proposals',
  tag,
  auth: 'agent',
  summary: 'Propose a new agent (lead agents)',
  description:
    'Opens an approval `{kind: "agent-proposal"}` for owners and admins. Approved, the agent is created with the name, role, capabilities, runtime and budget proposed (`agent-created`) and the lead is told; rejected, the lead is told with the comment. Only lead agents propose (403 otherwise); a name already taken answers 409 AGENT_NAME_TAKEN.',
  body: proposeAgentSchema,
  responses: gate,
  errors: ['AGENT_NAME_TAKEN'],
});

export const requestBudgetRaise = defineEndpoint({
  operationId: 'requestBudgetRaise',
  method: 'POST',
  path: '/api/v1/budget-requests',
  tag,
  auth: 'agent',
  summary: 'Ask for a higher monthly budget',
  description:
    'Opens an approval `{kind: "budget-raise"}` for owners and admins; approved, the agent\'s budget gets the new limits (created when it has none). An agent asks for itself; a lead may ask for any agent.',
  body: requestBudgetRaiseSchema,
  responses: gate,
  errors: ['AGENT_NOT_FOUND'],
});
