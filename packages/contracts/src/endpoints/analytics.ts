import { z } from 'zod';
import { analyticsOverviewQuerySchema, analyticsOverviewSchema, throughputQuerySchema, throughputSchema } from '../analytics.js';
import {
  agentAnalyticsQuerySchema,
  agentAnalyticsSchema,
  costsQuerySchema,
  costsSchema,
  cycleTimeQuerySchema,
  cycleTimeSchema,
  workflowAnalyticsQuerySchema,
  workflowAnalyticsSchema,
} from '../analytics-reports.js';
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
    'Counts the board moves of the range from the event stream: `created` (task-created), `started` (moves into in_progress), `done` and `failed` (moves into those columns; a task that bounces back and forth counts each arrival). Buckets are cut at local hours, midnights or Mondays in `timeZone`; only buckets with moves are listed. `groupBy=agent` splits each bucket by the agent that made the move; `groupBy=capability` by the capabilities the task requires now (a task requiring two counts under each, one requiring none under null). The range is at most 366 days (400 VALIDATION_FAILED otherwise). With `Accept: text/csv`, one row per bucket.',
  query: throughputQuerySchema,
  responses: { 200: { description: 'The buckets', schema: throughputSchema, alternatives: { 'text/csv': z.string() } } },
  errors: [],
});

export const getAnalyticsCosts = defineEndpoint({
  operationId: 'getAnalyticsCosts',
  method: 'GET',
  path: '/api/v1/analytics/costs',
  tag,
  auth: 'any',
  summary: 'Tokens in and out and cost per agent, task, model or day, with the budgets beside them',
  description:
    'Sums the runs started in the range (the last 30 days by default). `groupBy=day` gives one row per local day (midnight in `timeZone`) and agent, for a stacked chart. The workspace budgets come along with what this month used of them. The range is at most 366 days (400 VALIDATION_FAILED otherwise). With `Accept: text/csv`, one row per group.',
  query: costsQuerySchema,
  responses: { 200: { description: 'The spend', schema: costsSchema, alternatives: { 'text/csv': z.string() } } },
  errors: [],
});

export const getAnalyticsAgents = defineEndpoint({
  operationId: 'getAnalyticsAgents',
  method: 'GET',
  path: '/api/v1/analytics/agents',
  tag,
  auth: 'any',
  summary: 'Per agent: tasks done and failed, success rate, run duration, tokens, cost and cost per done task',
  description:
    'Over the range (the last 30 days by default): the moves into done and failed each agent made, the share of them that were done, its runs with their median duration, tokens and cost, and the cost per done task. Agents with neither moves nor runs in the range are left out. With `Accept: text/csv`, one row per agent.',
  query: agentAnalyticsQuerySchema,
  responses: { 200: { description: 'One row per agent', schema: agentAnalyticsSchema, alternatives: { 'text/csv': z.string() } } },
  errors: [],
});

export const getAnalyticsCycleTime = defineEndpoint({
  operationId: 'getAnalyticsCycleTime',
  method: 'GET',
  path: '/api/v1/analytics/cycle-time',
  tag,
  auth: 'any',
  summary: 'Lead time and time in each column (p50, p90) of the tasks done in the range',
  description:
    'For each task moved into done in the range (the last 30 days by default; its first arrival in done there): the lead time from creation to done, and the time it spent in each column on the way, a column visited twice counted once with both visits added. Overall, per local day or week of completion in `timeZone`, and with `groupBy=agent` per agent that moved it into done. Percentiles are nearest-rank. With `Accept: text/csv`, one row per period and column.',
  query: cycleTimeQuerySchema,
  responses: { 200: { description: 'The percentiles', schema: cycleTimeSchema, alternatives: { 'text/csv': z.string() } } },
  errors: [],
});

export const getAnalyticsWorkflows = defineEndpoint({
  operationId: 'getAnalyticsWorkflows',
  method: 'GET',
  path: '/api/v1/analytics/workflows',
  tag,
  auth: 'any',
  summary: 'Runs, success and duration per workflow and version',
  description:
    'One row per workflow and version with runs started in the range (30 days up to now by default, at most 366 days; 400 VALIDATION_FAILED otherwise): runs, how many completed, failed, were cancelled or are still active, the success rate over the finished ones, and the p50 and p90 duration of the finished runs. Sub-workflow runs count under their own workflow. Every member, viewer and agent may read it. With `Accept: text/csv`, one row per workflow version.',
  query: workflowAnalyticsQuerySchema,
  responses: {
    200: {
      description: 'The rows, by workflow name then version',
      schema: workflowAnalyticsSchema,
      alternatives: { 'text/csv': z.string() },
    },
  },
  errors: [],
});
