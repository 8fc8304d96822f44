import { createTaskSchema, type Task, type WorkflowDefinition, type WorkflowStep } from '@mission-control/contracts';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { readStepOutput, updateStepIf, type WorkflowRunRow, type WorkflowStepRow, wrapStepValue } from './workflow.repository.js';
import { evaluateWorkflowExpression, interpolateText, type WorkflowScope } from './workflow-expressions.js';

/** The principal a run acts as: whoever started it, with the role they had then. */
export function runPrincipal(run: WorkflowRunRow): Principal {
  if (run.started_by_kind === 'agent') {
    return { kind: 'agent', id: run.started_by_id, workspaceId: run.workspace_id, role: 'agent', sessionId: null };
  }
  const role = (['owner', 'admin', 'member', 'viewer'] as const).find((candidate) => candidate === run.started_by_role) ?? 'member';
  return { kind: 'user', id: run.started_by_id, workspaceId: run.workspace_id, role, sessionId: null };
}

/** What `${steps.x…}` and conditions see of each step. */
export function buildScope(
  run: WorkflowRunRow,
  inputs: Record<string, unknown>,
  rows: readonly WorkflowStepRow[],
  item?: unknown,
): WorkflowScope {
  const steps: Record<string, unknown> = {};
  for (const row of rows) {
    if (row.item_index >= 0) continue;
    const output = readStepOutput(row);
    const fields = output !== null && typeof output === 'object' && !Array.isArray(output) ? output : {};
    steps[row.step_id] = { ...fields, status: row.status, output, error: row.error, taskId: row.task_id, attempts: row.attempts };
  }
  return { inputs, steps, run: { id: run.id, workflow: run.workflow_name, version: run.version }, item: item ?? null };
}

/** What a handoff shows of one finished task: its documents and its last messages. */
export interface HandoffTaskContext {
  documents: readonly { id: string; title: string; version: number }[];
  messages: readonly { content: string; createdAt: string }[];
}

/** The task ids of a step: its own task, or those of its forEach items. */
export function taskIdsOfStep(rows: readonly WorkflowStepRow[], stepId: string): string[] {
  return rows.flatMap((row) => (row.step_id === stepId && row.task_id ? [row.task_id] : []));
}

/**
 * The handoff packet a task gets from the steps it needs, at the top of its description (so
 * every agent and runner sees it): each step's status and output, its tasks' documents and
 * their last messages.
 */
export function buildHandoff(
  step: WorkflowStep,
  rows: readonly WorkflowStepRow[],
  tasks: ReadonlyMap<string, Task>,
  context: ReadonlyMap<string, HandoffTaskContext> = new Map(),
): string {
  const lines = ['## Handoff', ''];
  for (const need of step.needs ?? []) {
    const row = rows.find((candidate) => candidate.step_id === need && candidate.item_index < 0);
    if (!row) continue;
    const task = row.task_id ? tasks.get(row.task_id) : undefined;
    lines.push(`- **${need}** (${row.status})${task ? `: ${task.key} “${task.title}”` : ''}`);
    const output = withoutTaskContext(readStepOutput(row));
    if (output !== null) lines.push(`  - output: \`${JSON.stringify(output).slice(0, 2_000)}\``);
    for (const taskId of taskIdsOfStep(rows, need)) {
      const found = context.get(taskId);
      const key = tasks.get(taskId)?.key ?? taskId;
      for (const document of found?.documents ?? [])
        lines.push(`  - document of ${key}: “${document.title}” (v${document.version}, id ${document.id})`);
      for (const message of found?.messages ?? [])
        lines.push(`  - last message on ${key}: ${message.content.replace(/\s+/g, ' ').slice(0, 500)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A task step's output without its documents and last message, which the handoff lists on lines of their own. */
function withoutTaskContext(output: unknown): unknown {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return output;
  return Object.fromEntries(Object.entries(output).filter(([key]) => key !== 'lastMessage' && key !== 'documents'));
}

export interface TaskStepInput {
  principal: Principal;
  definition: WorkflowDefinition;
  step: Extract<WorkflowStep, { kind: 'task' }>;
  scope: WorkflowScope;
  handoff: string | null;
  now: Date;
}

/** The board task of a task step (or of one forEach item), its strings filled. */
export function buildTaskInput(input: TaskStepInput) {
  const { step, scope, now } = input;
  const description = [input.handoff, step.task.description ? interpolateText(step.task.description, scope) : null]
    .filter(Boolean)
    .join('\n');
  return createTaskSchema.parse({
    title: interpolateText(step.task.title, scope).slice(0, 500),
    description,
    priority: step.task.priority ?? 'medium',
    assignees: step.task.assignee ? [step.task.assignee] : [],
    requiredCapabilities: step.task.requiredCapabilities ?? [],
    dueAt: step.task.dueInSeconds ? new Date(now.getTime() + step.task.dueInSeconds * 1_000).toISOString() : null,
  });
}

/** Evaluates a condition: true → then, false → else. */
export function evaluateCondition(step: Extract<WorkflowStep, { kind: 'condition' }>, scope: WorkflowScope) {
  const value = evaluateWorkflowExpression(step.if, scope);
  const result = value === true;
  return { result, branch: result ? 'then' : 'else', targets: (result ? step.then : step.else) ?? [] };
}

/** Marks a step row started (when it is still as read) and appends `workflow-step-started`; answers whether this call did it. */
export async function markStepStarted(
  trx: DatabaseExecutor,
  run: WorkflowRunRow,
  row: WorkflowStepRow,
  changes: {
    status: 'running' | 'waiting';
    task_id?: string | null;
    approval_id?: string | null;
    child_run_id?: string | null;
    wake_at?: string | null;
    attempts?: number;
  },
  now: Date,
  taskId: string | null = null,
): Promise<boolean> {
  const attempts = changes.attempts ?? row.attempts + 1;
  const changed = await updateStepIf(trx, row.id, row.status, { ...changes, attempts, started_at: row.started_at ?? now.toISOString() });
  if (!changed) return false;
  await appendEvent(trx, {
    workspaceId: run.workspace_id,
    type: 'workflow-step-started',
    actor: null,
    taskId,
    summary: `${run.workflow_name}: step ${row.step_id}${row.item_index >= 0 ? `[${row.item_index}]` : ''} started`,
    data: {
      workflowRunId: run.id,
      stepId: row.step_id,
      itemIndex: row.item_index < 0 ? null : row.item_index,
      kind: row.kind,
      attempt: attempts,
    },
    at: now,
  });
  return true;
}

/** Finishes a step row (when it is still as read) and appends `workflow-step-finished`. */
export async function markStepFinished(
  trx: DatabaseExecutor,
  run: WorkflowRunRow,
  row: WorkflowStepRow,
  status: 'done' | 'failed' | 'skipped' | 'cancelled',
  output: unknown,
  error: string | null,
  now: Date,
): Promise<boolean> {
  const changed = await updateStepIf(trx, row.id, row.status, {
    status,
    output: wrapStepValue(output),
    error,
    finished_at: now.toISOString(),
    wake_at: null,
  });
  if (!changed) return false;
  await appendEvent(trx, {
    workspaceId: run.workspace_id,
    type: 'workflow-step-finished',
    actor: null,
    taskId: row.task_id,
    summary: `${run.workflow_name}: step ${row.step_id}${row.item_index >= 0 ? `[${row.item_index}]` : ''} ${status}${error ? `: ${error}` : ''}`,
    data: { workflowRunId: run.id, stepId: row.step_id, itemIndex: row.item_index < 0 ? null : row.item_index, status, error },
    at: now,
  });
  return true;
}

export function newStepRow(run: { id: string; workspace_id: string }, step: WorkflowStep, itemIndex: number, item: unknown = null) {
  return {
    id: createId(),
    run_id: run.id,
    workspace_id: run.workspace_id,
    step_id: step.id,
    item_index: itemIndex,
    kind: step.kind,
    status: 'pending' as const,
    task_id: null,
    approval_id: null,
    child_run_id: null,
    attempts: 0,
    item: itemIndex >= 0 ? wrapStepValue(item) : null,
    output: null,
    error: null,
    started_at: null,
    finished_at: null,
    wake_at: null,
  };
}
