import {
  type AgentAnalytics,
  type AgentAnalyticsQuery,
  type AgentAnalyticsRow,
  type AnalyticsOverview,
  type AnalyticsOverviewQuery,
  type CostRow,
  type Costs,
  type CostsQuery,
  type CycleTime,
  type CycleTimeQuery,
  type Throughput,
  type ThroughputPoint,
  type ThroughputQuery,
  taskStatusSchema,
  type WorkflowAnalytics,
  type WorkflowAnalyticsQuery,
  type WorkflowAnalyticsRow,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { AppError } from '../../http/app-error.js';
import type { AgentUsageService } from '../agent-runtime/agent-usage.service.js';
import type { AgentService } from '../agents/agent.service.js';
import type { MessageService } from '../messages/message.service.js';
import type { TaskService } from '../tasks/task.service.js';
import type { TaskCapabilityService } from '../tasks/task-capabilities.service.js';
import type { WorkflowStatsService } from '../workflows/workflow-stats.service.js';
import {
  type BoardHistoryEvent,
  type BoardMoveSlot,
  countBoardMovesBySlot,
  countEventsBetween,
  listArrivals,
  listBoardHistory,
  listReviewArrivals,
  listSentBackMoves,
  moveSlotSeconds,
  sumBoardMoveSlots,
} from './analytics.repository.js';
import { groupInto, measureTaskCycle, percentilesOf, summarizeCycles } from './cycle-time.js';
import { findPeriodStart, listPeriodStarts, startOfLocal } from './time-zones.js';

export interface AnalyticsServiceDependencies {
  tasks: Pick<TaskService, 'countTasksByStatus'>;
  agents: Pick<AgentService, 'countAgentsByStatus'>;
  messages: Pick<MessageService, 'countMessagesBetween'>;
  agentUsage: Pick<AgentUsageService, 'usage' | 'summarizeSpend' | 'findMedianRunDurations' | 'listBudgets'>;
  workflowStats: Pick<WorkflowStatsService, 'listRunTimings'>;
  taskCapabilities: Pick<TaskCapabilityService, 'listCapabilitiesOfTasks'>;
}

const dayMs = 24 * 60 * 60 * 1000;
const maxRangeMs = 366 * dayMs;

/** Checks a range: `to` after `from`, at most 366 days. */
function assertRange(from: Date, to: Date): void {
  if (to.getTime() <= from.getTime()) throw new AppError('VALIDATION_FAILED', '`to` must be after `from`.');
  if (to.getTime() - from.getTime() > maxRangeMs) {
    throw new AppError('VALIDATION_FAILED', 'The range is at most 366 days; ask for several ranges, or a weekly interval over less time.');
  }
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;

export function createAnalyticsService(context: ServiceContext, dependencies: AnalyticsServiceDependencies) {
  const { db, clock, engine } = context;

  /**
   * Whole quarter hours come from the rollup; the partial quarter hours at either end of a range
   * that does not start or end on one are counted from the events, so the answer is the same.
   */
  async function listBoardMoveSlots(workspaceId: string, from: Date, to: Date, byAgent: boolean): Promise<BoardMoveSlot[]> {
    const slotMs = moveSlotSeconds * 1000;
    const firstWholeSlot = Math.ceil(from.getTime() / slotMs);
    const endWholeSlot = Math.floor(to.getTime() / slotMs);
    if (endWholeSlot <= firstWholeSlot) {
      return countBoardMovesBySlot(db, engine, { workspaceId, from: from.toISOString(), to: to.toISOString(), byAgent });
    }
    const wholeFrom = new Date(firstWholeSlot * slotMs);
    const wholeTo = new Date(endWholeSlot * slotMs);
    const [head, whole, tail] = await Promise.all([
      wholeFrom > from
        ? countBoardMovesBySlot(db, engine, { workspaceId, from: from.toISOString(), to: wholeFrom.toISOString(), byAgent })
        : [],
      sumBoardMoveSlots(db, { workspaceId, fromSlot: firstWholeSlot, toSlot: endWholeSlot, byAgent }),
      to > wholeTo ? countBoardMovesBySlot(db, engine, { workspaceId, from: wholeTo.toISOString(), to: to.toISOString(), byAgent }) : [],
    ]);
    return [...head, ...whole, ...tail];
  }

  /** A range with its defaults: up to now, over the last 30 days. */
  function resolveRange(query: { from?: string | undefined; to?: string | undefined }): { from: Date; to: Date } {
    const to = query.to ? new Date(query.to) : new Date(clock.now().getTime() + 1);
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * dayMs);
    assertRange(from, to);
    return { from, to };
  }

  return {
    async getCosts(principal: Principal, query: CostsQuery): Promise<Costs> {
      assertCan(principal, 'workspace:read');
      const { from, to } = resolveRange(query);
      const range = { from: from.toISOString(), to: to.toISOString() };
      const groupBy = query.groupBy === 'day' ? 'slot' : query.groupBy;
      const [rows, budgets] = await Promise.all([
        dependencies.agentUsage.summarizeSpend(principal, { ...range, groupBy }),
        dependencies.agentUsage.listBudgets(principal),
      ]);
      const total = { runs: 0, tokensIn: 0, tokensOut: 0, costMicroDollars: 0 };
      const grouped = new Map<string, CostRow>();
      const starts = query.groupBy === 'day' ? listPeriodStarts(from, to, query.timeZone, 'day') : [];
      for (const row of rows) {
        let identity: Omit<CostRow, 'runs' | 'tokensIn' | 'tokensOut' | 'costMicroDollars'>;
        if (query.groupBy === 'agent') identity = { agentId: row.agentId ?? '' };
        else if (query.groupBy === 'task') identity = { taskId: row.taskId };
        else if (query.groupBy === 'model') identity = { provider: row.provider ?? '', model: row.model ?? '' };
        else {
          const start = findPeriodStart(starts, (row.slot ?? 0) * 900_000);
          if (start === undefined) continue;
          identity = { periodStart: new Date(start).toISOString(), agentId: row.agentId ?? '' };
        }
        const key = JSON.stringify(identity);
        const entry = grouped.get(key) ?? { ...identity, runs: 0, tokensIn: 0, tokensOut: 0, costMicroDollars: 0 };
        for (const target of [entry, total]) {
          target.runs += row.runs;
          target.tokensIn += row.tokensIn;
          target.tokensOut += row.tokensOut;
          target.costMicroDollars += row.costMicroDollars;
        }
        grouped.set(key, entry);
      }
      const data = [...grouped.values()].sort((left, right) =>
        query.groupBy === 'day'
          ? (left.periodStart ?? '').localeCompare(right.periodStart ?? '') || (left.agentId ?? '').localeCompare(right.agentId ?? '')
          : right.costMicroDollars - left.costMicroDollars || JSON.stringify(left).localeCompare(JSON.stringify(right)),
      );
      return { ...range, timeZone: query.timeZone, groupBy: query.groupBy, total, data, budgets };
    },

    async getAgentAnalytics(principal: Principal, query: AgentAnalyticsQuery): Promise<AgentAnalytics> {
      assertCan(principal, 'workspace:read');
      const { from, to } = resolveRange(query);
      const range = { from: from.toISOString(), to: to.toISOString() };
      const [moves, spend, medians, sentBack] = await Promise.all([
        listBoardMoveSlots(principal.workspaceId, from, to, true),
        dependencies.agentUsage.summarizeSpend(principal, { ...range, groupBy: 'agent' }),
        dependencies.agentUsage.findMedianRunDurations(principal, range),
        listSentBackMoves(db, engine, { workspaceId: principal.workspaceId, ...range }),
      ]);
      // A send-back counts against the agent that last put the task in review before it.
      const arrivals = groupInto(
        await listReviewArrivals(db, engine, principal.workspaceId, [...new Set(sentBack.map((move) => move.taskId))]),
        (move) => move.taskId,
      );
      const sentBackBy = new Map<string, number>();
      for (const move of sentBack) {
        const into = (arrivals.get(move.taskId) ?? []).filter((arrival) => arrival.seq < move.seq).at(-1);
        if (into?.agentId) sentBackBy.set(into.agentId, (sentBackBy.get(into.agentId) ?? 0) + 1);
      }
      const rows = new Map<string, AgentAnalyticsRow>();
      const rowOf = (agentId: string) => {
        let row = rows.get(agentId);
        if (!row) {
          row = {
            agentId,
            tasksDone: 0,
            tasksFailed: 0,
            tasksSentBack: 0,
            successRate: null,
            runs: 0,
            medianRunDurationMs: medians.get(agentId) ?? null,
            tokensIn: 0,
            tokensOut: 0,
            costMicroDollars: 0,
            costPerDoneTaskMicroDollars: null,
          };
          rows.set(agentId, row);
        }
        return row;
      };
      for (const move of moves) {
        if (!move.agentId || (move.to !== 'done' && move.to !== 'failed') || move.type !== 'task-status-changed') continue;
        const row = rowOf(move.agentId);
        if (move.to === 'done') row.tasksDone += move.count;
        else row.tasksFailed += move.count;
      }
      for (const entry of spend) {
        if (!entry.agentId) continue;
        const row = rowOf(entry.agentId);
        row.runs += entry.runs;
        row.tokensIn += entry.tokensIn;
        row.tokensOut += entry.tokensOut;
        row.costMicroDollars += entry.costMicroDollars;
      }
      for (const [agentId, count] of sentBackBy) rowOf(agentId).tasksSentBack = count;
      for (const row of rows.values()) {
        const finished = row.tasksDone + row.tasksFailed + row.tasksSentBack;
        row.successRate = finished > 0 ? row.tasksDone / finished : null;
        row.costPerDoneTaskMicroDollars = row.tasksDone > 0 ? Math.round(row.costMicroDollars / row.tasksDone) : null;
      }
      return { ...range, data: [...rows.values()].sort((left, right) => left.agentId.localeCompare(right.agentId)) };
    },

    /** Every move of a task into failed in [from, to), oldest first (the detector's error rate). */
    async listFailedTaskMoves(principal: Principal, range: { from: string; to: string }): Promise<{ taskId: string; at: string }[]> {
      assertCan(principal, 'workspace:read');
      const moves = await listArrivals(db, engine, { workspaceId: principal.workspaceId, ...range, status: 'failed' });
      return moves.map((move) => ({ taskId: move.taskId, at: move.at }));
    },

    async getCycleTime(principal: Principal, query: CycleTimeQuery): Promise<CycleTime> {
      assertCan(principal, 'workspace:read');
      const { from, to } = resolveRange(query);
      const range = { from: from.toISOString(), to: to.toISOString() };
      const firstArrivals = new Map<string, BoardHistoryEvent>();
      for (const arrival of await listArrivals(db, engine, { workspaceId: principal.workspaceId, ...range, status: 'done' })) {
        if (!firstArrivals.has(arrival.taskId)) firstArrivals.set(arrival.taskId, arrival);
      }
      const history = await listBoardHistory(db, engine, principal.workspaceId, [...firstArrivals.keys()]);
      const byTask = groupInto(history, (event) => event.taskId);
      const cycles = [...firstArrivals.values()].map((arrival) => measureTaskCycle(arrival, byTask.get(arrival.taskId) ?? []));
      const starts = listPeriodStarts(from, to, query.timeZone, query.interval);
      const byPeriod = groupInto(cycles, (cycle) => findPeriodStart(starts, Date.parse(cycle.doneAt)) ?? 0);
      const periods = [...byPeriod.entries()]
        .sort(([left], [right]) => left - right)
        .map(([start, group]) => ({ periodStart: new Date(start).toISOString(), ...summarizeCycles(group) }));
      const agents =
        query.groupBy === 'agent'
          ? [...groupInto(cycles, (cycle) => cycle.doneBy).entries()]
              .map(([agentId, group]) => ({ agentId, ...summarizeCycles(group) }))
              .sort((left, right) => (left.agentId ?? '').localeCompare(right.agentId ?? ''))
          : undefined;
      return {
        ...range,
        interval: query.interval,
        timeZone: query.timeZone,
        overall: summarizeCycles(cycles),
        periods,
        ...(agents ? { agents } : {}),
      };
    },

    async getOverview(principal: Principal, query: AnalyticsOverviewQuery): Promise<AnalyticsOverview> {
      assertCan(principal, 'workspace:read');
      const now = clock.now();
      const asOf = now.toISOString();
      const end = new Date(now.getTime() + 1).toISOString();
      const todayStartsAt = startOfLocal(now, query.timeZone, 'day').toISOString();
      const monthStartsAt = startOfLocal(now, query.timeZone, 'month').toISOString();
      const [taskCounts, agentCounts, messagesToday, eventsToday, spendToday, spendMonth] = await Promise.all([
        dependencies.tasks.countTasksByStatus(principal, taskStatusSchema.options),
        dependencies.agents.countAgentsByStatus(principal),
        dependencies.messages.countMessagesBetween(principal, todayStartsAt, end),
        countEventsBetween(db, principal.workspaceId, todayStartsAt, end),
        dependencies.agentUsage.usage(principal, { from: todayStartsAt, to: end }),
        dependencies.agentUsage.usage(principal, { from: monthStartsAt, to: end }),
      ]);
      const tasks = Object.fromEntries(taskStatusSchema.options.map((status) => [status, taskCounts[status] ?? 0])) as Record<
        (typeof taskStatusSchema.options)[number],
        number
      >;
      const agents = {
        idle: agentCounts.idle ?? 0,
        active: agentCounts.active ?? 0,
        blocked: agentCounts.blocked ?? 0,
        offline: agentCounts.offline ?? 0,
      };
      return {
        asOf,
        timeZone: query.timeZone,
        todayStartsAt,
        monthStartsAt,
        tasks: { ...tasks, total: Object.values(tasks).reduce((sum, count) => sum + count, 0) },
        agents: {
          ...agents,
          total: agents.idle + agents.active + agents.blocked + agents.offline,
          online: agents.idle + agents.active + agents.blocked,
        },
        messagesToday,
        eventsToday,
        openApprovals: tasks.review,
        spend: {
          todayMicroDollars: spendToday.total.costMicroDollars,
          monthMicroDollars: spendMonth.total.costMicroDollars,
          tokensToday: spendToday.total.tokensIn + spendToday.total.tokensOut,
          tokensMonth: spendMonth.total.tokensIn + spendMonth.total.tokensOut,
        },
      };
    },

    async getWorkflowAnalytics(principal: Principal, query: WorkflowAnalyticsQuery): Promise<WorkflowAnalytics> {
      assertCan(principal, 'workspace:read');
      const { from, to } = resolveRange(query);
      const range = { from: from.toISOString(), to: to.toISOString() };
      const runs = await dependencies.workflowStats.listRunTimings(principal, range);
      const groups = groupInto(runs, (run) => `${run.workflowId}|${run.version}`);
      const data = [...groups.values()].map((group): WorkflowAnalyticsRow => {
        const first = group[0] as (typeof group)[number];
        const count = (status: string) => group.filter((run) => run.status === status).length;
        const completed = count('completed');
        const failed = count('failed');
        const cancelled = count('cancelled');
        const finished = completed + failed + cancelled;
        const durations = group.flatMap((run) => (run.finishedAt ? [Date.parse(run.finishedAt) - Date.parse(run.startedAt)] : []));
        return {
          workflowId: first.workflowId,
          workflowName: first.workflowName,
          version: first.version,
          runs: group.length,
          completed,
          failed,
          cancelled,
          active: group.length - finished,
          successRate: finished > 0 ? completed / finished : null,
          duration: durations.length > 0 ? percentilesOf(durations) : null,
        };
      });
      data.sort((left, right) => left.workflowName.localeCompare(right.workflowName) || left.version - right.version);
      return { ...range, data };
    },

    async getThroughput(principal: Principal, query: ThroughputQuery): Promise<Throughput> {
      assertCan(principal, 'workspace:read');
      const from = new Date(query.from);
      const to = new Date(query.to);
      assertRange(from, to);
      const byCapability = query.groupBy === 'capability';
      // By capability reads the moves with their tasks from the events (the rollup keeps no task), then asks the tasks for their capabilities.
      const slots = byCapability
        ? await countBoardMovesBySlot(db, engine, {
            workspaceId: principal.workspaceId,
            from: from.toISOString(),
            to: to.toISOString(),
            byAgent: false,
            byTask: true,
          })
        : await listBoardMoveSlots(principal.workspaceId, from, to, query.groupBy === 'agent');
      const capabilities = byCapability
        ? await dependencies.taskCapabilities.listCapabilitiesOfTasks(principal, [
            ...new Set(slots.flatMap((slot) => (slot.taskId ? [slot.taskId] : []))),
          ])
        : new Map<string, string[]>();
      const buckets = new Map<string, ThroughputPoint>();
      const starts = listPeriodStarts(from, to, query.timeZone, query.interval);
      for (const slot of slots) {
        const periodStartMs = findPeriodStart(starts, slot.slot * moveSlotSeconds * 1000);
        if (periodStartMs === undefined) continue;
        const periodStart = new Date(periodStartMs).toISOString();
        const groups: (string | null)[] = byCapability
          ? (() => {
              const required = capabilities.get(slot.taskId ?? '') ?? [];
              return required.length > 0 ? required : [null];
            })()
          : [query.groupBy === 'agent' ? slot.agentId : null];
        for (const group of groups) {
          const key = `${periodStart}|${group ?? ''}`;
          let bucket = buckets.get(key);
          if (!bucket) {
            bucket = {
              periodStart,
              ...(query.groupBy === 'agent' ? { agentId: group } : {}),
              ...(byCapability ? { capability: group } : {}),
              created: 0,
              started: 0,
              done: 0,
              failed: 0,
            };
            buckets.set(key, bucket);
          }
          if (slot.type === 'task-created') bucket.created += slot.count;
          else if (slot.to === 'in_progress') bucket.started += slot.count;
          else if (slot.to === 'done') bucket.done += slot.count;
          else if (slot.to === 'failed') bucket.failed += slot.count;
        }
      }
      const data = [...buckets.values()]
        .filter((bucket) => bucket.created + bucket.started + bucket.done + bucket.failed > 0)
        .sort(
          (left, right) =>
            left.periodStart.localeCompare(right.periodStart) ||
            (left.agentId ?? left.capability ?? '').localeCompare(right.agentId ?? right.capability ?? ''),
        );
      return { from: from.toISOString(), to: to.toISOString(), interval: query.interval, timeZone: query.timeZone, data };
    },
  };
}
