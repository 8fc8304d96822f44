import type { WorkflowRun, WorkflowStepStatus } from '@mission-control/contracts';

/** The few fields of a step the drawing needs; a draft being typed may hold any of them wrong. */
export interface LayoutStep {
  id: string;
  kind: string;
  name?: string | undefined;
  needs?: string[] | undefined;
  then?: string[] | undefined;
  else?: string[] | undefined;
}

export interface LayoutNode {
  id: string;
  step: LayoutStep;
  /** Its depth: the longest chain of steps before it. */
  layer: number;
  x: number;
  y: number;
}

export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
  /** "then" or "else" for a condition's branches; empty for `needs`. */
  label: string;
}

export const nodeWidth = 180;
export const nodeHeight = 64;
const columnGap = 40;
const rowGap = 56;

/** Every edge of a definition: each `needs`, and each branch of a condition; references to unknown steps are left out. */
export function workflowEdges(steps: readonly LayoutStep[]): LayoutEdge[] {
  const known = new Set(steps.map((step) => step.id));
  const edges = new Map<string, LayoutEdge>();
  const add = (source: string, target: string, label: string) => {
    if (!known.has(source) || !known.has(target) || source === target) return;
    const id = `${source}->${target}`;
    if (!edges.has(id)) edges.set(id, { id, source, target, label });
  };
  for (const step of steps) {
    for (const need of step.needs ?? []) add(need, step.id, '');
    for (const target of step.then ?? []) add(step.id, target, 'then');
    for (const target of step.else ?? []) add(step.id, target, 'else');
  }
  return [...edges.values()];
}

/**
 * Topological layering, top to bottom: a step sits one row below the deepest step it waits for,
 * and steps in a row keep the definition's order, centred. A cycle (a draft the validator will
 * refuse) cannot hang it: the steps left in a cycle go on one row after the rest.
 */
export function layoutWorkflow(steps: readonly LayoutStep[]): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
  const edges = workflowEdges(steps);
  const incoming = new Map<string, string[]>(steps.map((step) => [step.id, []]));
  const outgoing = new Map<string, string[]>(steps.map((step) => [step.id, []]));
  for (const edge of edges) {
    incoming.get(edge.target)?.push(edge.source);
    outgoing.get(edge.source)?.push(edge.target);
  }
  const layer = new Map<string, number>();
  const waiting = new Map(steps.map((step) => [step.id, incoming.get(step.id)?.length ?? 0]));
  const ready = steps.filter((step) => waiting.get(step.id) === 0).map((step) => step.id);
  while (ready.length > 0) {
    const id = ready.shift() as string;
    const depth = Math.max(-1, ...(incoming.get(id) ?? []).map((source) => layer.get(source) ?? -1)) + 1;
    layer.set(id, depth);
    for (const target of outgoing.get(id) ?? []) {
      const left = (waiting.get(target) ?? 0) - 1;
      waiting.set(target, left);
      if (left === 0) ready.push(target);
    }
  }
  const deepest = Math.max(-1, ...layer.values());
  for (const step of steps) if (!layer.has(step.id)) layer.set(step.id, deepest + 1);

  const rows = new Map<number, LayoutStep[]>();
  for (const step of steps) {
    const depth = layer.get(step.id) ?? 0;
    rows.set(depth, [...(rows.get(depth) ?? []), step]);
  }
  const widest = Math.max(1, ...[...rows.values()].map((row) => row.length));
  const nodes: LayoutNode[] = [];
  for (const [depth, row] of rows) {
    const offset = ((widest - row.length) * (nodeWidth + columnGap)) / 2;
    row.forEach((step, index) => {
      nodes.push({ id: step.id, step, layer: depth, x: offset + index * (nodeWidth + columnGap), y: depth * (nodeHeight + rowGap) });
    });
  }
  return { nodes, edges };
}

/**
 * One status per step of a run. A forEach step has a row per item and one for itself; the step's
 * own row wins, otherwise the items say it: failed if any failed, running while any runs, done when all are.
 */
export function stepStatuses(run: Pick<WorkflowRun, 'steps'>): Map<string, WorkflowStepStatus> {
  const byStep = new Map<string, WorkflowRun['steps']>();
  for (const state of run.steps) byStep.set(state.stepId, [...(byStep.get(state.stepId) ?? []), state]);
  const statuses = new Map<string, WorkflowStepStatus>();
  for (const [stepId, states] of byStep) {
    const own = states.find((state) => state.itemIndex === null);
    if (own) {
      statuses.set(stepId, own.status);
      continue;
    }
    const all = states.map((state) => state.status);
    const first = (['failed', 'running', 'waiting', 'pending', 'cancelled', 'skipped'] as const).find((status) => all.includes(status));
    statuses.set(stepId, first ?? 'done');
  }
  return statuses;
}
