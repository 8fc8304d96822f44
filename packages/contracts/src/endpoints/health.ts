import { healthSchema } from '../health.js';
import { defineEndpoint } from './define-endpoint.js';

export const getHealth = defineEndpoint({
  operationId: 'getHealth',
  method: 'GET',
  path: '/api/health',
  tag: 'health',
  auth: 'public',
  summary: 'Health of the server and its dependencies',
  description:
    'For load balancers and people: the database, Redis (when configured) and the event stream. Only a database outage answers 503, with the same report; without Redis or the LISTEN connection the server keeps serving and reports status "degraded" with 200. Not rate limited.',
  responses: {
    200: { description: 'The server is serving; status "degraded" names a dependency that is down', schema: healthSchema },
    503: { description: 'The database is down: send traffic elsewhere. The body is the same report', schema: healthSchema },
  },
  errors: [],
});
