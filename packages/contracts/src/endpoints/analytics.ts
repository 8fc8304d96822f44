import { z } from 'zod';
import { analyticsOverviewQuerySchema, analyticsOverviewSchema, throughputQuerySchema, throughputSchema } from '../analytics.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'analytics';

export const getAnalyticsOverview = defineEndpoint({
  operationId: 'getAnalyticsOverview',
  method: 'GET',
  path: '/api/v1/analytics/overview',
  tag,
  auth: 'any',
  summary: "The command center's numbers, computed on the server",
  description:
    'Tasks in every status (blocked, failed and cancelled included), agents by status, messages and events since the start of today, tasks waiting in review, and spend and tokens today and this month. "Today" and "this month" start at local midnight in `timeZone` (UTC by default). Every member, viewer and agent of the workspace may read it. With `Accept: text/csv`, one `metric,value` row per number.',
  query: analyticsOverviewQuerySchema,
  responses: {
    200: { description: 'The numbers', schema: analyticsOverviewSchema, alternatives: { 'text/csv': z.string() } },
  },
  errors: [],
});

export const getAnalyticsThroughput = defineEndpoint({
  operationId: 'getAnalyticsThroughput',
  method: 'GET',
  path: '/api/v1/analytics/throughput',
  tag,
  auth: 'any',
  summary: 'Tasks created, started, done and failed per hour, day or week',
  description:
    'Counts the board moves of the range from the event stream: `created` (task-created), `started` (moves into in_progress), `done` and `failed` (moves into those columns; a task that bounces back and forth counts each arrival). Buckets are cut at local hours, midnights or Mondays in `timeZone`; only buckets with moves are listed. `groupBy=agent` splits each bucket by the agent that made the move. The range is at most 366 days (400 VALIDATION_FAILED otherwise). With `Accept: text/csv`, one row per bucket.',
  query: throughputQuerySchema,
  responses: { 200: { description: 'The buckets', schema: throughputSchema, alternatives: { 'text/csv': z.string() } } },
  errors: [],
});
