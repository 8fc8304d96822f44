import { statfs } from 'node:fs/promises';
import type { AlertKind, AlertSettings, AlertSubject } from '@mission-control/contracts';
import { systemPrincipal } from '../../auth/principal.js';
import { median } from '../../core/statistics.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { findLatestEventTimesOfTasks } from '../../events/event.repository.js';
import type { AgentUsageService } from '../agent-runtime/agent-usage.service.js';
import type { AgentService } from '../agents/agent.service.js';
import type { AnalyticsService } from '../analytics/analytics.service.js';
import type { TaskClaimService } from '../tasks/task-claim.service.js';
import type { WorkflowService } from '../workflows/workflow.service.js';

/** One condition instance the detector found: raised once per dedupe key until it is resolved. */
export interface AlertFinding {
  kind: AlertKind;
  dedupeKey: string;
  subject: AlertSubject;
  agentId: string | null;
  summary: string;
  measurements: Record<string, number>;
}

export interface AlertCheckDependencies {
  agents: Pick<AgentService, 'findAgents'>;
  claims: Pick<TaskClaimService, 'listLiveAgentLeases'>;
  agentUsage: Pick<AgentUsageService, 'summarizeSpend' | 'findMedianRunDurations' | 'listFailedRuns'>;
  analytics: Pick<AnalyticsService, 'listFailedTaskMoves'>;
  workflows: Pick<WorkflowService, 'listRunningRunsWithLatestProgress'>;
}

/** What the detector knows about the instance it runs on (each instance reports its own). */
export interface InstanceProbes {
  /** Names this instance in alerts and dedupe keys. */
  instanceName: string;
  /** The data directory whose disk is watched; not watched when left out. */
  dataDirectory?: string | undefined;
  /** How far behind this instance reads the event stream, in seconds; not watched when left out. */
  eventStreamLagSeconds?: (() => Promise<number>) | undefined;
}

const minuteMs = 60_000;
const slotMs = 15 * minuteMs;
const slotsPerHour = 4;
/** The trailing window the last hour is compared with: the 24 hours before it. */
const trailingHours = 24;
/** How far back an agent's median run duration is taken from. */
const medianWindowMs = 30 * 24 * 60 * minuteMs;

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const dollars = (microDollars: number) => `$${(microDollars / 1_000_000).toFixed(2)}`;

/**
 * Per-hour totals of quarter-hour slots: index 0 is the last hour (the current slot and the three
 * before it), 1..24 the trailing hours before that, zero where nothing happened.
 */
function foldIntoHours(slots: Map<number, number>, currentSlot: number): number[] {
  const hours = new Array<number>(trailingHours + 1).fill(0);
  for (const [slot, value] of slots) {
    const hour = Math.floor((currentSlot - slot) / slotsPerHour);
    if (hour >= 0 && hour <= trailingHours) hours[hour] = (hours[hour] as number) + value;
  }
  return hours;
}

function hourWindow(now: Date) {
  const currentSlot = Math.floor(now.getTime() / slotMs);
  const firstSlot = currentSlot - (trailingHours + 1) * slotsPerHour + 1;
  return { currentSlot, from: new Date(firstSlot * slotMs).toISOString(), to: new Date(now.getTime() + 1).toISOString() };
}

/**
 * Failures per quarter-hour slot: failed runs, and tasks moved to failed. A task whose run failed
 * in the window is one failure, counted by its run, however many times it entered failed.
 */
async function countFailuresBySlot(
  dependencies: AlertCheckDependencies,
  principal: ReturnType<typeof systemPrincipal>,
  window: { from: string; to: string },
): Promise<{ all: Map<number, number>; runs: Map<number, number> }> {
  const [runs, moves] = await Promise.all([
    dependencies.agentUsage.listFailedRuns(principal, window),
    dependencies.analytics.listFailedTaskMoves(principal, window),
  ]);
  const slotOf = (at: string) => Math.floor(Date.parse(at) / slotMs);
  const all = new Map<number, number>();
  const runSlots = new Map<number, number>();
  const counted = new Set<string>();
  const add = (slots: Map<number, number>, at: string) => slots.set(slotOf(at), (slots.get(slotOf(at)) ?? 0) + 1);
  for (const run of runs) {
    add(all, run.startedAt);
    add(runSlots, run.startedAt);
    if (run.taskId) counted.add(run.taskId);
  }
  for (const move of moves) {
    if (counted.has(move.taskId)) continue;
    counted.add(move.taskId);
    add(all, move.at);
  }
  return { all, runs: runSlots };
}

/** The workspace-wide checks; one instance runs them per workspace and minute. */
export async function checkWorkspace(
  executor: DatabaseExecutor,
  dependencies: AlertCheckDependencies,
  workspace: { id: string; name: string },
  settings: AlertSettings,
  now: Date,
): Promise<AlertFinding[]> {
  const principal = systemPrincipal(workspace.id);
  const findings: AlertFinding[] = [];
  const workspaceSubject: AlertSubject = { kind: 'workspace', id: null, name: workspace.name };

  // Stalled agents: online, holding a claim, no event about the task for N× the agent's median run.
  const leases = await dependencies.claims.listLiveAgentLeases(workspace.id);
  if (leases.length > 0) {
    const agents = new Map(
      (await dependencies.agents.findAgents(principal, [...new Set(leases.map((lease) => lease.agentId))])).map((agent) => [
        agent.id,
        agent,
      ]),
    );
    const medians = await dependencies.agentUsage.findMedianRunDurations(principal, {
      from: new Date(now.getTime() - medianWindowMs).toISOString(),
      to: now.toISOString(),
    });
    const latest = await findLatestEventTimesOfTasks(
      executor,
      workspace.id,
      leases.map((lease) => lease.taskId),
    );
    for (const lease of leases) {
      const agent = agents.get(lease.agentId);
      const progressAt = latest.get(lease.taskId);
      if (!agent || agent.status === 'offline' || !progressAt) continue;
      const medianMinutes = (medians.get(agent.id) ?? 0) / minuteMs;
      const thresholdMinutes = Math.max(settings.stalledAgentFloorMinutes, settings.stalledAgentMedianMultiple * medianMinutes);
      const silentMinutes = (now.getTime() - Date.parse(progressAt)) / minuteMs;
      if (silentMinutes < thresholdMinutes) continue;
      findings.push({
        kind: 'stalled-agent',
        dedupeKey: `stalled-agent:${agent.id}:${lease.taskId}`,
        subject: { kind: 'agent', id: agent.id, name: agent.name },
        agentId: agent.id,
        summary: `${agent.name} holds ${lease.key} “${lease.title}” but has shown no progress for ${Math.floor(silentMinutes)} minutes (the limit is ${Math.ceil(thresholdMinutes)}); check the agent, or release the task so another can take it.`,
        measurements: {
          minutesWithoutProgress: round(silentMinutes),
          thresholdMinutes: round(thresholdMinutes),
          medianRunMinutes: round(medianMinutes),
        },
      });
    }
  }

  // Error-rate and cost spikes: the last hour against the median of the 24 hours before it.
  const window = hourWindow(now);
  const failures = await countFailuresBySlot(dependencies, principal, window);
  const failedHours = foldIntoHours(failures.all, window.currentSlot);
  const failedLastHour = failedHours[0] as number;
  const failedMedian = median(failedHours.slice(1));
  if (failedLastHour >= settings.errorRateMinimumFailures && failedLastHour > settings.errorRateMultiple * failedMedian) {
    const failedRunsLastHour = foldIntoHours(failures.runs, window.currentSlot)[0] as number;
    const failedTasksLastHour = failedLastHour - failedRunsLastHour;
    findings.push({
      kind: 'error-rate-spike',
      dedupeKey: 'error-rate-spike',
      subject: workspaceSubject,
      agentId: null,
      summary: `${failedLastHour} failures in the last hour (${failedRunsLastHour} failed runs, ${failedTasksLastHour} other tasks moved to failed), against a median of ${failedMedian} an hour over the day before; look at the failed runs on the Runs page and the Failed column of the board.`,
      measurements: {
        failedLastHour,
        failedRunsLastHour,
        failedTasksLastHour,
        medianFailedPerHour: failedMedian,
        multiple: settings.errorRateMultiple,
      },
    });
  }
  const spendSlots = new Map<number, number>();
  for (const row of await dependencies.agentUsage.summarizeSpend(principal, { ...window, groupBy: 'slot' })) {
    if (row.slot !== null) spendSlots.set(row.slot, (spendSlots.get(row.slot) ?? 0) + row.costMicroDollars);
  }
  const spendHours = foldIntoHours(spendSlots, window.currentSlot);
  const spendLastHour = spendHours[0] as number;
  const spendMedian = median(spendHours.slice(1));
  if (spendLastHour >= settings.costSpikeMinimumMicroDollars && spendLastHour > settings.costSpikeMultiple * spendMedian) {
    findings.push({
      kind: 'cost-spike',
      dedupeKey: 'cost-spike',
      subject: workspaceSubject,
      agentId: null,
      summary: `Agents spent ${dollars(spendLastHour)} in the last hour, against a median of ${dollars(spendMedian)} an hour over the day before; see which agent spends on the Costs page.`,
      measurements: {
        spendLastHourMicroDollars: spendLastHour,
        medianHourlySpendMicroDollars: spendMedian,
        multiple: settings.costSpikeMultiple,
      },
    });
  }

  // Stuck workflow runs: running, with no step started or finished for T minutes.
  for (const run of await dependencies.workflows.listRunningRunsWithLatestProgress(workspace.id)) {
    const silentMinutes = (now.getTime() - Date.parse(run.lastProgressAt)) / minuteMs;
    if (silentMinutes < settings.stuckWorkflowRunMinutes) continue;
    findings.push({
      kind: 'stuck-workflow-run',
      dedupeKey: `stuck-workflow-run:${run.runId}`,
      subject: { kind: 'workflow-run', id: run.runId, name: run.workflowName },
      agentId: null,
      summary: `A run of the workflow “${run.workflowName}” has made no step progress for ${Math.floor(silentMinutes)} minutes; open the run to see which step it waits on.`,
      measurements: { minutesWithoutProgress: round(silentMinutes), thresholdMinutes: settings.stuckWorkflowRunMinutes },
    });
  }
  return findings;
}

/** The checks of the instance itself (event-stream lag, disk); every instance runs its own. */
export async function checkInstance(probes: InstanceProbes, settings: AlertSettings): Promise<AlertFinding[]> {
  const findings: AlertFinding[] = [];
  const subject: AlertSubject = { kind: 'instance', id: null, name: probes.instanceName };
  if (probes.eventStreamLagSeconds) {
    const lagSeconds = await probes.eventStreamLagSeconds();
    if (lagSeconds > settings.eventStreamLagSeconds) {
      findings.push({
        kind: 'event-stream-lag',
        dedupeKey: `event-stream-lag:${probes.instanceName}`,
        subject,
        agentId: null,
        summary: `The instance ${probes.instanceName} reads the event stream ${Math.round(lagSeconds)} seconds behind, so its screens and agents see changes late; check the database's load and this instance's CPU.`,
        measurements: { lagSeconds: round(lagSeconds), thresholdSeconds: settings.eventStreamLagSeconds },
      });
    }
  }
  if (probes.dataDirectory) {
    const disk = await statfs(probes.dataDirectory);
    const freePercent = disk.blocks > 0 ? (disk.bavail / disk.blocks) * 100 : 100;
    if (freePercent < settings.diskFreePercentBelow) {
      findings.push({
        kind: 'disk-almost-full',
        dedupeKey: `disk-almost-full:${probes.instanceName}:${probes.dataDirectory}`,
        subject: { kind: 'instance', id: null, name: `${probes.instanceName}: ${probes.dataDirectory}` },
        agentId: null,
        summary: `The disk of the data directory ${probes.dataDirectory} on ${probes.instanceName} has ${round(freePercent)}% free; free some space or grow the disk before writes fail.`,
        measurements: { freePercent: round(freePercent), thresholdPercent: settings.diskFreePercentBelow },
      });
    }
  }
  return findings;
}

/** The dedupe keys an instance's checks own: only these does it auto-resolve. */
export function isOwnInstanceKey(dedupeKey: string, instanceName: string): boolean {
  return dedupeKey === `event-stream-lag:${instanceName}` || dedupeKey.startsWith(`disk-almost-full:${instanceName}:`);
}

export const instanceAlertKinds: readonly AlertKind[] = ['event-stream-lag', 'disk-almost-full'];
