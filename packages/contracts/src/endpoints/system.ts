import { z } from 'zod';
import { statusSchema, systemMetricsQuerySchema, systemMetricsSchema } from '../system.js';
import { defineEndpoint } from './define-endpoint.js';

export const getSystemMetrics = defineEndpoint({
  operationId: 'getSystemMetrics',
  method: 'GET',
  path: '/api/v1/system/metrics',
  tag: 'system',
  auth: 'user',
  summary: 'CPU, memory, disk, event-loop lag, sockets and database pool of every instance over time',
  description:
    'Every instance samples itself every 10 seconds. Raw samples are kept 24 hours, then averaged into 5-minute rows kept 7 days. Answers the samples of the range (an hour by default, at most 7 days; 400 VALIDATION_FAILED otherwise) and every instance seen in the last 7 days with when it last sampled. Owners and admins only (403 FORBIDDEN for members and viewers).',
  query: systemMetricsQuerySchema,
  responses: { 200: { description: 'The instances and their samples', schema: systemMetricsSchema } },
  errors: ['FORBIDDEN'],
});

export const getStatus = defineEndpoint({
  operationId: 'getStatus',
  method: 'GET',
  path: '/api/v1/status',
  tag: 'system',
  auth: 'public',
  summary: 'The public status: API, event stream and dependencies, uptime and latency over 90 days',
  description:
    'Served without sign-in only when the server runs with MISSION_STATUS_PAGE=1; otherwise 404 STATUS_PAGE_DISABLED. Comes from the health samples every instance stores once a minute (a probe of GET /api/health through its own HTTP stack). The same data is rendered as HTML at /status.',
  responses: { 200: { description: 'The status', schema: statusSchema } },
  errors: ['STATUS_PAGE_DISABLED'],
});

export const getStatusPage = defineEndpoint({
  operationId: 'getStatusPage',
  method: 'GET',
  path: '/status',
  tag: 'system',
  auth: 'public',
  summary: 'The public status page (HTML)',
  description: 'The same data as GET /api/v1/status as a page for people; 404 STATUS_PAGE_DISABLED unless MISSION_STATUS_PAGE=1.',
  responses: { 200: { description: 'The page', schema: z.string(), contentType: 'text/html' } },
  errors: ['STATUS_PAGE_DISABLED'],
});
