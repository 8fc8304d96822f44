import { idParamsSchema, pageSchema } from '../common.js';
import {
  listRunnersQuerySchema,
  registerRunnerSchema,
  runnerHeartbeatResponseSchema,
  runnerHeartbeatSchema,
  runnerSchema,
} from '../runners.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'runners';

export const registerRunner = defineEndpoint({
  operationId: 'registerRunner',
  method: 'POST',
  path: '/api/v1/runners',
  tag,
  auth: 'agent',
  summary: 'Register a runner for the calling agent',
  description:
    'A `mission runner` calls this at start with each agent key it holds. The `runnerKey` it generated once groups those agents into one runner: the first call creates it (201), later ones update its host, version, adapters and concurrency and add the calling agent with its adapter (200). Appends a `runner-registered` event. The runner then heartbeats (`POST /api/v1/runners/{id}/heartbeat`) and starts runs (`POST /api/v1/runs`).',
  body: registerRunnerSchema,
  responses: {
    200: { description: 'The runner, already known, with the calling agent added', schema: runnerSchema },
    201: { description: 'The new runner', schema: runnerSchema },
  },
  errors: ['AGENT_NOT_FOUND'],
});

export const heartbeatRunner = defineEndpoint({
  operationId: 'heartbeatRunner',
  method: 'POST',
  path: '/api/v1/runners/{id}/heartbeat',
  tag,
  auth: 'agent',
  summary: 'Keep a runner online and learn which runs to cancel',
  description:
    'Any agent the runner works for may send it. Answers the runner and `cancelRunIds`: its running runs someone asked to cancel (kill the CLI, then finish the run as cancelled). A runner silent for three intervals turns offline, and its running runs are closed as failed. Agent heartbeats (`POST /api/v1/agents/{id}/heartbeat`) still renew the agents’ leases.',
  params: idParamsSchema,
  body: runnerHeartbeatSchema,
  responses: { 200: { description: 'The runner and the runs to cancel', schema: runnerHeartbeatResponseSchema } },
  errors: ['RUNNER_NOT_FOUND'],
});

export const listRunners = defineEndpoint({
  operationId: 'listRunners',
  method: 'GET',
  path: '/api/v1/runners',
  tag,
  auth: 'any',
  summary: 'List the runners, newest first',
  description:
    'Each runner with its host, adapters, the agents it works for, whether it is online and the runs it is driving now. Cursor-paginated: pass `nextCursor` back as `cursor`.',
  query: listRunnersQuerySchema,
  responses: { 200: { description: 'A page of runners', schema: pageSchema(runnerSchema) } },
  errors: [],
});

export const getRunner = defineEndpoint({
  operationId: 'getRunner',
  method: 'GET',
  path: '/api/v1/runners/{id}',
  tag,
  auth: 'any',
  summary: 'Get one runner with its live state',
  description: 'Host, version, adapters with their versions, agents and adapters, status and the runs it is driving now.',
  params: idParamsSchema,
  responses: { 200: { description: 'The runner', schema: runnerSchema } },
  errors: ['RUNNER_NOT_FOUND'],
});

export const deleteRunner = defineEndpoint({
  operationId: 'deleteRunner',
  method: 'DELETE',
  path: '/api/v1/runners/{id}',
  tag,
  auth: 'user',
  summary: 'Forget a runner',
  description:
    'Its running runs are asked to cancel; a process still running registers again at its next start. Appends a `runner-deleted` event. Only owners, admins and members remove runners.',
  params: idParamsSchema,
  responses: { 204: { description: 'Removed' } },
  errors: ['FORBIDDEN', 'RUNNER_NOT_FOUND'],
});
