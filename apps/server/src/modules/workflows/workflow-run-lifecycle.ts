import type { Task, WorkflowDefinition, WorkflowStep } from '@mission-control/contracts';
import { type Principal, systemPrincipal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent, findLatestEventSeq } from '../../events/event.repository.js';
import type { ApprovalService } from '../approvals/approval.service.js';
import type { DocumentService } from '../documents/document.service.js';
import type { OutboundService } from '../integrations/outbound/outbound.service.js';
import type { MessageService } from '../messages/message.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { TaskService } from '../tasks/task.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  insertFeedCursorIfMissing,
  insertWorkflowRun,
  insertWorkflowSteps,
  listStepRows,
  setRunWake,
  updateStepsOfRun,
  updateWorkflowRunIf,
  type WorkflowRunRow,
  type WorkflowStepRow,
} from './workflow.repository.js';
import { buildHandoff, type HandoffTaskContext, newStepRow, taskIdsOfStep } from './workflow-steps.js';

/** A step row's statuses after which it never moves again. */
export const terminalStep = new Set(['done', 'failed', 'skipped', 'cancelled']);

export interface NewRun {
  workspaceId: string;
  workflowId: string;
  workflowName: string;
  version: number;
  definition: WorkflowDefinition;
  inputs: Record<string, unknown>;
  startedBy: Principal;
  parentRunId?: string | null;
  parentStepRowId?: string | null;
  depth?: number;
}

/** Finds a workflow's latest definition by name (for `workflow` steps). */
export type WorkflowLookup = (
  workspaceId: string,
  name: string,
) => Promise<{ id: string; name: string; version: number; definition: WorkflowDefinition } | undefined>;

/** The services a run's steps act through. */
export interface WorkflowEngineDependencies {
  tasks: TaskService;
  approvals: ApprovalService;
  notifications: NotificationService;
  workspaces: WorkspaceService;
  messages: MessageService;
  documents: DocumentService;
  outbound: OutboundService;
  findWorkflow: WorkflowLookup;
}

/** What every part of the engine works with: the database and clock, and the services steps act through. */
export interface EngineRuntime {
  context: ServiceContext;
  dependencies: WorkflowEngineDependencies;
}

/** What a finished task leaves for the steps after it: its documents and its last few messages, oldest first. */
export async function readTaskContext(runtime: EngineRuntime, taskId: string, principal: Principal): Promise<HandoffTaskContext> {
  const [documents, messages] = await Promise.all([
    runtime.dependencies.documents.listDocuments(principal, { taskId, limit: 10 }),
    runtime.dependencies.messages.listMessages(principal, taskId, { order: 'desc', limit: 3 }),
  ]);
  return {
    documents: documents.data.map((document) => ({ id: document.id, title: document.title, version: document.version })),
    messages: [...messages.data].reverse(),
  };
}

/** The handoff of a step: read before its transaction (documents and the last few messages of the tasks it needs). */
export async function handoffFor(
  runtime: EngineRuntime,
  step: WorkflowStep,
  rows: readonly WorkflowStepRow[],
  tasks: ReadonlyMap<string, Task>,
  principal: Principal,
) {
  const context = new Map<string, HandoffTaskContext>();
  const taskIds = (step.needs ?? []).flatMap((need) => taskIdsOfStep(rows, need)).slice(0, 20);
  for (const taskId of taskIds) context.set(taskId, await readTaskContext(runtime, taskId, principal));
  return buildHandoff(step, rows, tasks, context);
}

/** Inserts a run, its step rows and `workflow-run-started` in the caller's transaction. */
export async function startRunInTransaction(runtime: EngineRuntime, trx: DatabaseExecutor, input: NewRun): Promise<string> {
  const now = runtime.context.clock.now();
  const run = {
    id: createId(),
    workspace_id: input.workspaceId,
    workflow_id: input.workflowId,
    workflow_name: input.workflowName,
    version: input.version,
    definition: JSON.stringify(input.definition),
    status: 'running' as const,
    inputs: JSON.stringify(input.inputs),
    error: null,
    parent_run_id: input.parentRunId ?? null,
    parent_step_row_id: input.parentStepRowId ?? null,
    depth: input.depth ?? 0,
    started_by_kind: input.startedBy.kind,
    started_by_id: input.startedBy.id,
    started_by_role: input.startedBy.role,
    started_at: now.toISOString(),
    finished_at: null,
    wake_at: now.toISOString(),
    lease_owner: null,
    lease_expires_at: null,
  };
  await insertFeedCursorIfMissing(trx, input.workspaceId, await findLatestEventSeq(trx));
  await insertWorkflowRun(trx, run);
  await insertWorkflowSteps(
    trx,
    input.definition.steps.map((step) => newStepRow(run, step, -1)),
  );
  await appendEvent(trx, {
    workspaceId: input.workspaceId,
    type: 'workflow-run-started',
    actor: input.parentRunId ? null : toPrincipalReference(input.startedBy),
    summary: `Workflow ${input.workflowName} v${input.version} started`,
    data: {
      workflowRunId: run.id,
      workflowId: input.workflowId,
      workflowName: input.workflowName,
      version: input.version,
      parentRunId: run.parent_run_id,
    },
    at: now,
  });
  return run.id;
}

/** Ends a run that is still open: its open steps skipped or cancelled, its approvals expired, its parent woken. */
export async function finishRun(
  runtime: EngineRuntime,
  trx: DatabaseExecutor,
  run: WorkflowRunRow,
  status: 'completed' | 'failed' | 'cancelled',
  error: string | null,
) {
  const now = runtime.context.clock.now();
  const changed = await updateWorkflowRunIf(trx, run.id, ['running', 'waiting'], {
    status,
    error,
    finished_at: now.toISOString(),
    wake_at: null,
  });
  if (!changed) return false;
  const open = (await listStepRows(trx, run.id)).filter((row) => !terminalStep.has(row.status));
  for (const row of open) {
    if (row.approval_id) await runtime.dependencies.approvals.expireApprovalInTransaction(trx, run.workspace_id, row.approval_id);
  }
  await updateStepsOfRun(trx, run.id, ['pending'], { status: 'skipped', finished_at: now.toISOString() });
  await updateStepsOfRun(trx, run.id, ['running', 'waiting'], { status: 'cancelled', finished_at: now.toISOString(), wake_at: null });
  await appendEvent(trx, {
    workspaceId: run.workspace_id,
    type: 'workflow-run-finished',
    actor: null,
    summary: `Workflow ${run.workflow_name} ${status}${error ? `: ${error}` : ''}`,
    data: {
      workflowRunId: run.id,
      workflowId: run.workflow_id,
      workflowName: run.workflow_name,
      version: run.version,
      status,
      error,
      durationSeconds: Math.max(0, (now.getTime() - new Date(run.started_at).getTime()) / 1_000),
    },
    at: now,
  });
  if (run.parent_run_id) await setRunWake(trx, [run.parent_run_id], now.toISOString());
  return true;
}

/** Tells the owners and admins of the run's workspace. */
export async function escalate(runtime: EngineRuntime, trx: DatabaseExecutor, run: WorkflowRunRow, content: string) {
  const members = await runtime.dependencies.workspaces.listMembers(systemPrincipal(run.workspace_id));
  const owners = members.filter((member) => member.role === 'owner' || member.role === 'admin');
  await runtime.dependencies.notifications.notifyInTransaction(
    trx,
    run.workspace_id,
    null,
    owners.map((member) => ({
      recipient: { kind: 'user' as const, id: member.user.id },
      taskId: null,
      reason: 'system' as const,
      content,
    })),
  );
}
