import {
  agentRunSchema,
  createRunSchema,
  finishRunSchema,
  listWorkspaceRunsQuerySchema,
  recordRunStepsResultSchema,
  recordRunStepsSchema,
} from '../agent-runs.js';
import { idParamsSchema, pageSchema } from '../common.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'runs';
const theRun = { 200: { description: 'The run as it is now', schema: agentRunSchema } } as const;

export const listRuns = defineEndpoint({
  operationId: 'listRuns',
  method: 'GET',
  path: '/api/v1/runs',
  tag,
  auth: 'any',
  summary: "List the workspace's runs, newest first",
  description:
    'Built-in turns and runner runs alike, without their transcripts; narrow them to an agent, a task (id or key), a runner or a status. Cursor-paginated: pass `nextCursor` back as `cursor`.',
  query: listWorkspaceRunsQuerySchema,
  responses: { 200: { description: 'A page of runs', schema: pageSchema(agentRunSchema) } },
  errors: ['TASK_NOT_FOUND'],
});

export const createRun = defineEndpoint({
  operationId: 'createRun',
  method: 'POST',
  path: '/api/v1/runs',
  tag,
  auth: 'agent',
  summary: 'Start a run of an agent CLI on a claimed task',
  description:
    'Called by a `mission runner` for the agent whose key it uses. The agent must hold the task’s lease and send its token (409 LEASE_CONFLICT or LEASE_EXPIRED otherwise), and the runner must work for it. A budget of the agent or the workspace at 100 % refuses the run (409 BUDGET_EXHAUSTED): release the task and wait for a higher limit or the next month. Any run of the task still marked running is closed first, so a task has one running run at most. Appends `run-started`; then send steps and finish the run.',
  body: createRunSchema,
  responses: { 201: { description: 'The new run, running', schema: agentRunSchema } },
  errors: ['TASK_NOT_FOUND', 'RUNNER_NOT_FOUND', 'LEASE_CONFLICT', 'LEASE_EXPIRED', 'BUDGET_EXHAUSTED'],
});

export const recordRunSteps = defineEndpoint({
  operationId: 'recordRunSteps',
  method: 'POST',
  path: '/api/v1/runs/{id}/steps',
  tag,
  auth: 'agent',
  summary: "Append steps to a running run's transcript",
  description:
    'Steps are numbered after those already recorded and each streams as a `run-step` event. Only the run’s agent may send them, and only while the run is running (409 RUN_ALREADY_FINISHED). The answer says whether a cancel was asked for.',
  params: idParamsSchema,
  body: recordRunStepsSchema,
  responses: { 200: { description: 'How many were stored, and whether to stop', schema: recordRunStepsResultSchema } },
  errors: ['RUN_NOT_FOUND', 'RUN_ALREADY_FINISHED'],
});

export const finishRun = defineEndpoint({
  operationId: 'finishRun',
  method: 'POST',
  path: '/api/v1/runs/{id}/finish',
  tag,
  auth: 'agent',
  summary: 'Record how a run ended, with its usage and cost',
  description:
    'The outcome (completed, failed or cancelled), tokens, cost, turns, the CLI’s session id, the branch and commit, the error and the test gate’s result. Tokens and cost count toward the agent’s and the workspace’s budgets like built-in turns (80 % warns, 100 % stops new runs). Appends `run-finished` (completed or cancelled) or `run-failed`. Only the run’s agent may finish it, once (409 RUN_ALREADY_FINISHED).',
  params: idParamsSchema,
  body: finishRunSchema,
  responses: theRun,
  errors: ['RUN_NOT_FOUND', 'RUN_ALREADY_FINISHED'],
});

export const cancelRun = defineEndpoint({
  operationId: 'cancelRun',
  method: 'POST',
  path: '/api/v1/runs/{id}/cancel',
  tag,
  auth: 'any',
  summary: 'Stop a running runner run',
  description:
    'Marks the run for cancelling and appends `run-cancel-requested`, which reaches the runner on its agent’s stream (`/api/v1/ws/agents/{id}`) and in its heartbeat answer; the runner kills the CLI’s process group and finishes the run as cancelled. When its runner is offline the run is recorded cancelled at once. People (not viewers) and the run’s own agent may cancel; built-in turns cannot be cancelled (409 RUN_NOT_CANCELLABLE), nor finished runs (409 RUN_ALREADY_FINISHED).',
  params: idParamsSchema,
  responses: { 202: { description: 'The cancel is asked for; the run as it is now', schema: agentRunSchema } },
  errors: ['FORBIDDEN', 'RUN_NOT_FOUND', 'RUN_NOT_CANCELLABLE', 'RUN_ALREADY_FINISHED'],
});
