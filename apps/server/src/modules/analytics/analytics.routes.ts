import { type AgentAnalyticsRow, type CostRow, endpoints, type WorkflowAnalyticsRow } from '@mission-control/contracts';
import type { FastifyInstance } from 'fastify';
import { prefersCsv } from '../../http/content-negotiation.js';
import { registerEndpoint } from '../../http/register-endpoint.js';
import { toCsvRow } from '../audit/audit-csv.js';
import type { AnalyticsService } from './analytics.service.js';
import type { RecommendationService } from './recommendation.service.js';

/** Flattens nested numbers into `metric,value` rows: tasks.done,4. */
function flattenNumbers(value: unknown, prefix: string, rows: [string, string | number][]): void {
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) flattenNumbers(inner, prefix ? `${prefix}.${key}` : key, rows);
  } else if (typeof value === 'number' || typeof value === 'string') {
    rows.push([prefix, value]);
  }
}

export async function analyticsRoutes(
  app: FastifyInstance,
  { analytics, recommendations }: { analytics: AnalyticsService; recommendations: RecommendationService },
): Promise<void> {
  registerEndpoint(app, endpoints.getCostRecommendations, async (request) =>
    recommendations.getRecommendations(request.principal, request.query),
  );
  registerEndpoint(app, endpoints.getAnalyticsOverview, async (request, reply) => {
    const overview = await analytics.getOverview(request.principal, request.query);
    if (!prefersCsv(request.headers.accept)) return overview;
    const rows: [string, string | number][] = [];
    flattenNumbers(overview, '', rows);
    return reply.type('text/csv; charset=utf-8').send(toCsvRow(['metric', 'value']) + rows.map((row) => toCsvRow(row)).join(''));
  });
  registerEndpoint(app, endpoints.getAnalyticsThroughput, async (request, reply) => {
    const throughput = await analytics.getThroughput(request.principal, request.query);
    if (!prefersCsv(request.headers.accept)) return throughput;
    const groupColumn = request.query.groupBy === 'agent' ? 'agentId' : request.query.groupBy === 'capability' ? 'capability' : undefined;
    let csv = toCsvRow(['periodStart', ...(groupColumn ? [groupColumn] : []), 'created', 'started', 'done', 'failed']);
    for (const point of throughput.data) {
      const counts = [point.created, point.started, point.done, point.failed];
      csv += toCsvRow(groupColumn ? [point.periodStart, point[groupColumn] ?? null, ...counts] : [point.periodStart, ...counts]);
    }
    return reply.type('text/csv; charset=utf-8').send(csv);
  });
  registerEndpoint(app, endpoints.getAnalyticsCosts, async (request, reply) => {
    const costs = await analytics.getCosts(request.principal, request.query);
    if (!prefersCsv(request.headers.accept)) return costs;
    const identity: Record<typeof costs.groupBy, (keyof CostRow)[]> = {
      agent: ['agentId'],
      task: ['taskId'],
      model: ['provider', 'model'],
      day: ['periodStart', 'agentId'],
    };
    const columns: (keyof CostRow)[] = [...identity[costs.groupBy], 'runs', 'tokensIn', 'tokensOut', 'costMicroDollars'];
    const csv = toCsvRow(columns) + costs.data.map((row) => toCsvRow(columns.map((column) => row[column] ?? null))).join('');
    return reply.type('text/csv; charset=utf-8').send(csv);
  });
  registerEndpoint(app, endpoints.getAnalyticsAgents, async (request, reply) => {
    const report = await analytics.getAgentAnalytics(request.principal, request.query);
    if (!prefersCsv(request.headers.accept)) return report;
    const columns: (keyof AgentAnalyticsRow)[] = [
      'agentId',
      'tasksDone',
      'tasksFailed',
      'tasksSentBack',
      'successRate',
      'runs',
      'medianRunDurationMs',
      'tokensIn',
      'tokensOut',
      'costMicroDollars',
      'costPerDoneTaskMicroDollars',
    ];
    const csv = toCsvRow(columns) + report.data.map((row) => toCsvRow(columns.map((column) => row[column]))).join('');
    return reply.type('text/csv; charset=utf-8').send(csv);
  });
  registerEndpoint(app, endpoints.getAnalyticsWorkflows, async (request, reply) => {
    const report = await analytics.getWorkflowAnalytics(request.principal, request.query);
    if (!prefersCsv(request.headers.accept)) return report;
    const columns: (keyof WorkflowAnalyticsRow)[] = [
      'workflowId',
      'workflowName',
      'version',
      'runs',
      'completed',
      'failed',
      'cancelled',
      'active',
      'successRate',
    ];
    let csv = toCsvRow([...columns, 'p50DurationMs', 'p90DurationMs']);
    for (const row of report.data) {
      const identity = columns.map((column) => row[column] as string | number | null);
      csv += toCsvRow([...identity, row.duration?.p50Ms ?? null, row.duration?.p90Ms ?? null]);
    }
    return reply.type('text/csv; charset=utf-8').send(csv);
  });
  registerEndpoint(app, endpoints.getAnalyticsCycleTime, async (request, reply) => {
    const report = await analytics.getCycleTime(request.principal, request.query);
    if (!prefersCsv(request.headers.accept)) return report;
    let csv = toCsvRow(['periodStart', 'measure', 'tasks', 'p50Ms', 'p90Ms']);
    for (const [periodStart, summary] of [
      ['all', report.overall] as const,
      ...report.periods.map((period) => [period.periodStart, period] as const),
    ]) {
      if (summary.leadTime) csv += toCsvRow([periodStart, 'lead time', summary.tasks, summary.leadTime.p50Ms, summary.leadTime.p90Ms]);
      for (const column of summary.columns) csv += toCsvRow([periodStart, column.status, column.tasks, column.p50Ms, column.p90Ms]);
    }
    return reply.type('text/csv; charset=utf-8').send(csv);
  });
}
