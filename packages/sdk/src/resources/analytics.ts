import {
  type AgentAnalytics,
  type AnalyticsOverview,
  type Costs,
  type CycleTime,
  endpoints,
  type Recommendations,
  type Throughput,
  type WorkflowAnalytics,
} from '@mission-control/contracts';
import type { z } from 'zod';
import type { ResourceContext } from './auth.js';

/** Options of `analytics.overview`: the time zone "today" and "this month" start in. */
export type AnalyticsOverviewOptions = z.input<typeof endpoints.getAnalyticsOverview.query>;
/** Options of `analytics.throughput`: the range, the interval, the time zone and an optional split by agent. */
export type ThroughputOptions = z.input<typeof endpoints.getAnalyticsThroughput.query>;
/** Options of `analytics.costs`: the range (30 days by default), the time zone and what to group by. */
export type CostsOptions = z.input<typeof endpoints.getAnalyticsCosts.query>;
/** Options of `analytics.recommendations`: the range (30 days by default) and what counts as a costly task. */
export type RecommendationsOptions = z.input<typeof endpoints.getCostRecommendations.query>;
/** Options of `analytics.agents`: the range (30 days by default). */
export type AgentAnalyticsOptions = z.input<typeof endpoints.getAnalyticsAgents.query>;
/** Options of `analytics.cycleTime`: the range (30 days by default), the interval, the time zone, a split by agent. */
export type CycleTimeOptions = z.input<typeof endpoints.getAnalyticsCycleTime.query>;

/** Options of `analytics.workflows`: the range (30 days by default). */
export type WorkflowAnalyticsOptions = z.input<typeof endpoints.getAnalyticsWorkflows.query>;

/** Numbers computed on the server (`/analytics`). */
export class AnalyticsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.analytics`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** The command center's numbers: every status, agents, messages and events today, reviews waiting, spend. */
  overview(options: AnalyticsOverviewOptions = {}): Promise<AnalyticsOverview> {
    return this.context.transport.call(endpoints.getAnalyticsOverview, { query: options });
  }

  /** Tasks created, started, done and failed per local hour, day or week. */
  throughput(options: ThroughputOptions): Promise<Throughput> {
    return this.context.transport.call(endpoints.getAnalyticsThroughput, { query: options });
  }

  /** Cheaper models as good per agent, and tasks that cost far above their capability's median. */
  recommendations(options: RecommendationsOptions = {}): Promise<Recommendations> {
    return this.context.transport.call(endpoints.getCostRecommendations, { query: options });
  }

  /** Tokens and cost per agent, task, model or local day and agent, with the budgets beside them. */
  costs(options: CostsOptions = {}): Promise<Costs> {
    return this.context.transport.call(endpoints.getAnalyticsCosts, { query: options });
  }

  /** Per agent: tasks done and failed, success rate, median run duration, tokens, cost, cost per done task. */
  agents(options: AgentAnalyticsOptions = {}): Promise<AgentAnalytics> {
    return this.context.transport.call(endpoints.getAnalyticsAgents, { query: options });
  }

  /** Per workflow and version: runs, completed, failed, cancelled, active, success rate, duration p50/p90. */
  workflows(options: WorkflowAnalyticsOptions = {}): Promise<WorkflowAnalytics> {
    return this.context.transport.call(endpoints.getAnalyticsWorkflows, { query: options });
  }

  /** Lead time and time in each column (p50, p90) of the tasks done in the range. */
  cycleTime(options: CycleTimeOptions = {}): Promise<CycleTime> {
    return this.context.transport.call(endpoints.getAnalyticsCycleTime, { query: options });
  }
}
