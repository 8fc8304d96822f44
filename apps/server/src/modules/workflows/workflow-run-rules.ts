import type { WorkflowDefinition, WorkflowRun } from '@mission-control/contracts';
import { median } from '../../core/statistics.js';
import { AppError } from '../../http/app-error.js';
import type { WorkflowRunRow, WorkflowStepRow } from './workflow.repository.js';

/** The rules of starting and reporting runs that need no database: versions, inputs, stats, timelines. */

/** Picks a version by weight, e.g. {"1": 50, "2": 50}; evenly among every version when no split is given. */
export function pickVersion(latest: number, split: Record<string, number> | undefined, random: () => number = Math.random): number {
  const entries = split
    ? Object.entries(split).flatMap(([version, weight]) =>
        Number.isInteger(Number(version)) && weight > 0 ? [[Number(version), weight] as const] : [],
      )
    : Array.from({ length: latest }, (_, index) => [index + 1, 1] as const);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let point = random() * total;
  for (const [version, weight] of entries) {
    point -= weight;
    if (point < 0) return version;
  }
  return entries[entries.length - 1]?.[0] ?? latest;
}

/** The run's inputs with declared defaults filled in; refuses missing required and undeclared names. */
export function checkRunInputs(definition: WorkflowDefinition, given: Record<string, unknown>): Record<string, unknown> {
  const declared = definition.inputs ?? {};
  const unknown = Object.keys(given).filter((name) => !(name in declared));
  const inputs: Record<string, unknown> = { ...given };
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(declared)) {
    if (inputs[name] === undefined && spec.default !== undefined) inputs[name] = spec.default;
    if (inputs[name] === undefined && spec.required) missing.push(name);
  }
  if (unknown.length > 0 || missing.length > 0) {
    const parts = [
      missing.length > 0 ? `missing required ${missing.join(', ')}` : '',
      unknown.length > 0 ? `not declared: ${unknown.join(', ')}` : '',
    ];
    throw new AppError(
      'WORKFLOW_INPUTS_INVALID',
      `The inputs do not fit ${definition.name} (${parts.filter(Boolean).join('; ')}). Declared: ${Object.keys(declared).join(', ') || 'none'}.`,
      { missing, unknown },
    );
  }
  return inputs;
}

/** Runs, success and duration and cost medians per version of one workflow. */
export function summarizeWorkflowStats(
  workflowId: string,
  runs: readonly Pick<WorkflowRunRow, 'id' | 'version' | 'status' | 'started_at' | 'finished_at'>[],
  steps: readonly Pick<WorkflowStepRow, 'run_id' | 'task_id'>[],
  taskCosts: ReadonlyMap<string, number>,
) {
  const versions = [...new Set(runs.map((run) => run.version))].sort((a, b) => a - b);
  const medianOrNull = (values: number[]) => (values.length === 0 ? null : median(values));
  const costOfRun = new Map<string, number>();
  for (const step of steps) {
    if (step.task_id) costOfRun.set(step.run_id, (costOfRun.get(step.run_id) ?? 0) + (taskCosts.get(step.task_id) ?? 0));
  }
  return {
    workflowId,
    versions: versions.map((version) => {
      const own = runs.filter((run) => run.version === version);
      const completed = own.filter((run) => run.status === 'completed');
      const failed = own.filter((run) => run.status === 'failed');
      const finished = completed.length + failed.length;
      const durations = own.flatMap((run) =>
        run.finished_at ? [(new Date(run.finished_at).getTime() - new Date(run.started_at).getTime()) / 1_000] : [],
      );
      return {
        version,
        runs: own.length,
        completed: completed.length,
        failed: failed.length,
        successRate: finished > 0 ? completed.length / finished : null,
        medianDurationSeconds: medianOrNull(durations),
        costMicroDollars: own.reduce((sum, run) => sum + (costOfRun.get(run.id) ?? 0), 0),
        medianCostMicroDollars: medianOrNull(own.map((run) => costOfRun.get(run.id) ?? 0)),
      };
    }),
  };
}

/** A run's story in time order: started, each step started and finished, finished. */
export function buildRunTimeline(run: WorkflowRun): { at: string; kind: string; stepId: string | null; summary: string }[] {
  const entries: { at: string; kind: string; stepId: string | null; summary: string }[] = [
    { at: run.startedAt, kind: 'run-started', stepId: null, summary: `${run.workflowName} v${run.version} started` },
  ];
  for (const step of run.steps) {
    const label = step.itemIndex === null ? step.stepId : `${step.stepId}[${step.itemIndex}]`;
    if (step.startedAt)
      entries.push({ at: step.startedAt, kind: 'step-started', stepId: step.stepId, summary: `${label} (${step.kind}) started` });
    if (step.finishedAt) {
      entries.push({
        at: step.finishedAt,
        kind: 'step-finished',
        stepId: step.stepId,
        summary: `${label} ${step.status}${step.error ? `: ${step.error}` : ''}`,
      });
    }
  }
  if (run.finishedAt)
    entries.push({
      at: run.finishedAt,
      kind: 'run-finished',
      stepId: null,
      summary: `${run.workflowName} ${run.status}${run.error ? `: ${run.error}` : ''}`,
    });
  const order = { 'run-started': 0, 'step-started': 1, 'step-finished': 2, 'run-finished': 3 } as Record<string, number>;
  entries.sort((a, b) => a.at.localeCompare(b.at) || (order[a.kind] ?? 0) - (order[b.kind] ?? 0));
  return entries;
}
