import { z } from 'zod';
import {
  agentRunDetailSchema,
  agentRunSchema,
  agentRuntimeSchema,
  budgetSchema,
  chatMessageSchema,
  chatStreamEventSchema,
  createBudgetSchema,
  listRunsQuerySchema,
  sendChatMessageSchema,
  updateAgentRuntimeSchema,
  updateBudgetSchema,
  usageQuerySchema,
  usageSchema,
  wakeAgentSchema,
} from '../agent-runs.js';
import { agentIdParamsSchema } from '../agents.js';
import { idParamsSchema, pageSchema } from '../common.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'agents';
const theRuntime = { 200: { description: "The agent's runtime settings and scheduler state", schema: agentRuntimeSchema } } as const;
const theBudget = { 200: { description: 'The budget with what is used this month', schema: budgetSchema } } as const;

export const listChatMessages = defineEndpoint({
  operationId: 'listChatMessages',
  method: 'GET',
  path: '/api/v1/agents/{id}/chat',
  tag,
  auth: 'user',
  summary: 'Your conversation with an agent, oldest first',
  description:
    'The last 200 messages between the caller and the agent. Each person has their own conversation with an agent; agents talk to each other in task threads instead.',
  params: agentIdParamsSchema,
  responses: { 200: { description: 'The messages, oldest first', schema: z.object({ data: z.array(chatMessageSchema) }) } },
  errors: ['AGENT_NOT_FOUND'],
});

export const sendChatMessage = defineEndpoint({
  operationId: 'sendChatMessage',
  idempotent: false,
  method: 'POST',
  path: '/api/v1/agents/{id}/chat',
  tag,
  auth: 'user',
  summary: 'Talk to a built-in agent; the answer streams as server-sent events',
  description:
    'Only built-in agents (run by the platform) chat. Refusals come before the stream as ordinary JSON errors: an external agent (409 AGENT_NOT_BUILTIN), no model configured (409 MODEL_NOT_CONFIGURED) or a used-up budget (409 BUDGET_EXHAUSTED). Otherwise the answer is a `text/event-stream` whose events each carry JSON in `data`: `delta` (`{ type, text }`, the next piece of the answer), then exactly one of `done` (`{ type, message, runId, tokensIn, tokensOut, costMicroDollars }`, the stored answer and what the turn cost) or `error` (`{ type, message }`, the answer failed: send again). The turn is recorded as a run of the agent.',
  params: agentIdParamsSchema,
  body: sendChatMessageSchema,
  responses: {
    200: {
      // With an event-stream content type the schema is that of each event's data, not of the whole body.
      description: 'Server-sent events: delta…, then done or error; the schema is that of each event’s `data`',
      schema: chatStreamEventSchema,
      contentType: 'text/event-stream',
    },
  },
  errors: ['AGENT_NOT_FOUND', 'AGENT_NOT_BUILTIN', 'MODEL_NOT_CONFIGURED', 'BUDGET_EXHAUSTED'],
});

export const getAgentRuntime = defineEndpoint({
  operationId: 'getAgentRuntime',
  method: 'GET',
  path: '/api/v1/agents/{id}/runtime',
  tag,
  auth: 'any',
  summary: "Get an agent's runtime settings and scheduler state",
  description:
    'Whether the agent is built in (run by the platform) or external, its model, step limit and instructions, and for a built-in agent when it runs next and how its last turns went.',
  params: agentIdParamsSchema,
  responses: theRuntime,
  errors: ['AGENT_NOT_FOUND'],
});

export const updateAgentRuntime = defineEndpoint({
  operationId: 'updateAgentRuntime',
  method: 'PUT',
  path: '/api/v1/agents/{id}/runtime',
  tag,
  auth: 'user',
  summary: 'Make an agent built in or external, and set its model',
  description:
    'Fields left out keep their current value. An agent that becomes built in is scheduled at once; an external one leaves the schedule. An `agent-runtime-updated` event is appended. Only owners, admins and members manage agents. ' +
    '`workspace` gives a built-in agent a git repository on the server to work in: each task it takes gets a worktree (`.mission/worktrees/<TASK-KEY>` on branch `mission/<task-key>`) with file, patch and command tools, and its changes are committed there at the end of each turn. ' +
    'Only owners and admins set it (403 FORBIDDEN otherwise); the repository must lie in a folder the operator allows with MISSION_AGENT_REPOSITORY_ROOTS (409 REPOSITORY_NOT_ALLOWED) and be the top folder of a git repository with a commit (400 REPOSITORY_NOT_USABLE).',
  params: agentIdParamsSchema,
  body: updateAgentRuntimeSchema,
  responses: theRuntime,
  errors: ['FORBIDDEN', 'AGENT_NOT_FOUND', 'REPOSITORY_NOT_USABLE', 'REPOSITORY_NOT_ALLOWED'],
});

export const wakeAgent = defineEndpoint({
  operationId: 'wakeAgent',
  method: 'POST',
  path: '/api/v1/agents/{id}/wake',
  tag,
  auth: 'any',
  summary: "Run a built-in agent's turn now",
  description:
    'The scheduler runs the turn as soon as it can, whether or not work is waiting and past any backoff; `taskId` names a task to focus on. The answer comes before the turn runs: follow it in the agent’s runs. Only built-in agents can be woken (409 AGENT_NOT_BUILTIN otherwise); viewers cannot wake agents.',
  params: agentIdParamsSchema,
  body: wakeAgentSchema,
  responses: { 202: { description: 'The turn is requested; the runtime as it is now', schema: agentRuntimeSchema } },
  errors: ['FORBIDDEN', 'AGENT_NOT_FOUND', 'AGENT_NOT_BUILTIN'],
});

export const listAgentRuns = defineEndpoint({
  operationId: 'listAgentRuns',
  method: 'GET',
  path: '/api/v1/agents/{id}/runs',
  tag,
  auth: 'any',
  summary: "List an agent's turns, newest first",
  description:
    'Each run with its trigger, status, task, model, tokens and cost, without the transcript. Cursor-paginated: pass `nextCursor` back as `cursor`.',
  params: agentIdParamsSchema,
  query: listRunsQuerySchema,
  responses: { 200: { description: 'A page of runs', schema: pageSchema(agentRunSchema) } },
  errors: ['AGENT_NOT_FOUND'],
});

export const getRun = defineEndpoint({
  operationId: 'getRun',
  method: 'GET',
  path: '/api/v1/runs/{id}',
  tag,
  auth: 'any',
  summary: 'Get one turn with its prompt and full transcript',
  description:
    'The prompt the model (or the agent CLI) was given and every step of the run: model answers with their tokens, tool calls with their arguments and results, and for runner runs the CLI output, parse errors and the test gate, plus the adapter, runner, session, branch and commit.',
  params: idParamsSchema,
  responses: { 200: { description: 'The run with its prompt and steps', schema: agentRunDetailSchema } },
  errors: ['RUN_NOT_FOUND'],
});

export const getUsage = defineEndpoint({
  operationId: 'getUsage',
  method: 'GET',
  path: '/api/v1/usage',
  tag,
  auth: 'any',
  summary: 'Get the tokens and cost of built-in agents',
  description:
    'Totals for the workspace and per agent, over this month (UTC) unless `from` and `to` are given; narrow them to one agent or one task.',
  query: usageQuerySchema,
  responses: { 200: { description: 'The totals of the period', schema: usageSchema } },
  errors: [],
});

export const listBudgets = defineEndpoint({
  operationId: 'listBudgets',
  method: 'GET',
  path: '/api/v1/budgets',
  tag,
  auth: 'any',
  summary: 'List the monthly budgets with what is used',
  description:
    'The workspace budget and the agents’ budgets, oldest first, each with this month’s use and whether it is ok, near its limit (warning) or used up (exhausted).',
  responses: { 200: { description: 'Every budget of the workspace', schema: z.object({ data: z.array(budgetSchema) }) } },
  errors: [],
});

export const createBudget = defineEndpoint({
  operationId: 'createBudget',
  method: 'POST',
  path: '/api/v1/budgets',
  tag,
  auth: 'user',
  summary: 'Set a monthly token and/or cost limit for an agent or the workspace',
  description:
    'Leave `agentId` out for the workspace budget. Each agent and the workspace have at most one budget: when one exists the answer is 409 BUDGET_EXISTS, so change that one instead. An agent whose budget is used up stops until the next month or a higher limit. Only owners, admins and members set budgets.',
  body: createBudgetSchema,
  responses: { 201: { description: 'The new budget', schema: budgetSchema } },
  errors: ['AGENT_NOT_FOUND', 'BUDGET_EXISTS'],
});

export const updateBudget = defineEndpoint({
  operationId: 'updateBudget',
  method: 'PATCH',
  path: '/api/v1/budgets/{id}',
  tag,
  auth: 'user',
  summary: "Change a budget's limits",
  description:
    'Limits left out are kept; null removes one, but a budget keeps at least one limit (delete it to remove both). Agents stopped by the old limit are looked at again at once. Only owners, admins and members change budgets.',
  params: idParamsSchema,
  body: updateBudgetSchema,
  responses: theBudget,
  errors: ['BUDGET_NOT_FOUND'],
});

export const deleteBudget = defineEndpoint({
  operationId: 'deleteBudget',
  method: 'DELETE',
  path: '/api/v1/budgets/{id}',
  tag,
  auth: 'user',
  summary: 'Remove a budget',
  description: 'The agent (or the workspace) runs without a limit from now on. Only owners, admins and members remove budgets.',
  params: idParamsSchema,
  responses: { 204: { description: 'Removed' } },
  errors: ['BUDGET_NOT_FOUND'],
});
