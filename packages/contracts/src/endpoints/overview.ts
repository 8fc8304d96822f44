import { overviewQuerySchema, overviewSchema } from '../agent-state.js';
import { defineEndpoint } from './define-endpoint.js';

export const getOverview = defineEndpoint({
  operationId: 'getOverview',
  method: 'GET',
  path: '/api/v1/overview',
  tag: 'overview',
  auth: 'any',
  summary: "The workspace's numbers: tasks per status, what each agent is doing, messages today",
  description:
    'Counted on the server so the dashboard, WORKING.md and the API agree. Each agent’s status is derived from its presence, the leases it holds, its tasks in progress and its running runs (see `AgentState`), not only from what it last reported. Pass `since` (the start of your day) to count the messages posted since then.',
  query: overviewQuerySchema,
  responses: { 200: { description: 'The overview', schema: overviewSchema } },
  errors: [],
});
