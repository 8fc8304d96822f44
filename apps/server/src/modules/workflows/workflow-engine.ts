import { dependenciesOf, type Task, type WorkflowDefinition, type WorkflowStep } from '@mission-control/contracts';
import { type Principal, systemPrincipal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { appendEvent, findLatestEventSeq, listEventsAfter } from '../../events/event.repository.js';
import type { ApprovalService } from '../approvals/approval.service.js';
import type { DocumentService } from '../documents/document.service.js';
import type { OutboundService } from '../integrations/outbound/outbound.service.js';
import type { MessageService } from '../messages/message.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { TaskService } from '../tasks/task.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  findFeedCursor,
  findWorkflowRunById,
  insertFeedCursorIfMissing,
  insertWorkflowRun,
  insertWorkflowSteps,
  leaseWorkflowRun,
  listActiveRunWorkspaces,
  listDueRunIds,
  listRunIdsWaitingOnTasks,
  listStepRows,
  moveFeedCursor,
  readRunDefinition,
  readRunInputs,
  readStepItem,
  readStepOutput,
  releaseWorkflowRun,
  setRunWake,
  updateStepsOfRun,
  updateWorkflowRunIf,
  type WorkflowRunRow,
  type WorkflowStepRow,
} from './workflow.repository.js';
import { interpolateText, interpolateValue, WorkflowExpressionError } from './workflow-expressions.js';
import { buildHttpRequest, workflowHttpChannel } from './workflow-http.js';
import {
  buildHandoff,
  buildScope,
  buildTaskInput,
  evaluateCondition,
  type HandoffTaskContext,
  markStepFinished,
  markStepStarted,
  newStepRow,
  runPrincipal,
  taskIdsOfStep,
} from './workflow-steps.js';

const terminalStep = new Set(['done', 'failed', 'skipped', 'cancelled']);
const failedTask = new Set(['failed', 'cancelled']);

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

export type WorkflowEngine = ReturnType<typeof createWorkflowEngine>;

/**
 * The durable engine. A run's state is its rows: every step row moves from pending on only by a
 * conditional update in the same transaction as what the step does (its task, its approval, its
 * child run), so a crash at any point re-reads the rows and never does a step twice. Runs wake on
 * the event stream (a task of theirs changed status), on decisions and on timers (`wake_at`); one
 * instance at a time advances a run, under a lease.
 */
export function createWorkflowEngine(
  context: ServiceContext,
  dependencies: {
    tasks: TaskService;
    approvals: ApprovalService;
    notifications: NotificationService;
    workspaces: WorkspaceService;
    messages: MessageService;
    documents: DocumentService;
    outbound: OutboundService;
    findWorkflow: WorkflowLookup;
  },
  options: { instanceId?: string; leaseSeconds?: number } = {},
) {
  const { db, clock } = context;
  const owner = options.instanceId ?? createId();
  const leaseMs = (options.leaseSeconds ?? 10) * 1_000;

  /** What a finished task leaves for the steps after it: its documents and its last few messages, oldest first. */
  async function readTaskContext(taskId: string, principal: Principal): Promise<HandoffTaskContext> {
    const [documents, messages] = await Promise.all([
      dependencies.documents.listDocuments(principal, { taskId, limit: 10 }),
      dependencies.messages.listMessages(principal, taskId, { order: 'desc', limit: 3 }),
    ]);
    return {
      documents: documents.data.map((document) => ({ id: document.id, title: document.title, version: document.version })),
      messages: [...messages.data].reverse(),
    };
  }

  /** The handoff of a step: read before its transaction (documents and the last few messages of the tasks it needs). */
  async function handoffFor(step: WorkflowStep, rows: readonly WorkflowStepRow[], tasks: ReadonlyMap<string, Task>, principal: Principal) {
    const context = new Map<string, HandoffTaskContext>();
    const taskIds = (step.needs ?? []).flatMap((need) => taskIdsOfStep(rows, need)).slice(0, 20);
    for (const taskId of taskIds) context.set(taskId, await readTaskContext(taskId, principal));
    return buildHandoff(step, rows, tasks, context);
  }

  async function startRunInTransaction(trx: DatabaseExecutor, input: NewRun): Promise<string> {
    const now = clock.now();
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

  async function finishRun(trx: DatabaseExecutor, run: WorkflowRunRow, status: 'completed' | 'failed' | 'cancelled', error: string | null) {
    const now = clock.now();
    const changed = await updateWorkflowRunIf(trx, run.id, ['running', 'waiting'], {
      status,
      error,
      finished_at: now.toISOString(),
      wake_at: null,
    });
    if (!changed) return false;
    const open = (await listStepRows(trx, run.id)).filter((row) => !terminalStep.has(row.status));
    for (const row of open) {
      if (row.approval_id) await dependencies.approvals.expireApprovalInTransaction(trx, run.workspace_id, row.approval_id);
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

  /** One pass over a run: does every step change that is due; answers whether anything changed. */
  async function advanceOnce(runId: string): Promise<boolean> {
    const run = await findWorkflowRunById(db, runId);
    if (!run || (run.status !== 'running' && run.status !== 'waiting')) return false;
    const definition = readRunDefinition(run);
    const inputs = readRunInputs(run);
    const rows = await listStepRows(db, run.id);
    const now = clock.now();
    const principal = runPrincipal(run);
    const stepsById = new Map(definition.steps.map((step) => [step.id, step]));
    const mainRow = (id: string) => rows.find((row) => row.step_id === id && row.item_index < 0);
    const taskIds = rows.flatMap((row) => (row.task_id && row.status === 'running' ? [row.task_id] : []));
    const neededTaskIds = rows.flatMap((row) => (row.task_id ? [row.task_id] : []));
    const tasks = new Map(
      (await dependencies.tasks.findTasksByIds(run.workspace_id, [...new Set([...taskIds, ...neededTaskIds])])).map((task) => [
        task.id,
        task,
      ]),
    );
    let changed = false;
    const inTransaction = async (work: (trx: DatabaseExecutor) => Promise<boolean>) => {
      const did = await db.transaction().execute(work);
      changed ||= did;
      return did;
    };

    const failOrRetry = async (row: WorkflowStepRow, step: WorkflowStep, error: string) => {
      if (step.kind === 'task' && row.attempts <= (step.retries ?? 0)) {
        await inTransaction(async (trx) => {
          const scope = buildScope(run, inputs, rows, readStepItem(row));
          const task = await dependencies.tasks.createTaskInTransaction(
            trx,
            principal,
            buildTaskInput({ principal, definition, step, scope, handoff: `Attempt ${row.attempts + 1}: the last one ${error}.\n`, now }),
          );
          return markStepStarted(trx, run, row, { status: 'running', task_id: task.id }, now, task.id);
        });
        return;
      }
      await inTransaction((trx) => markStepFinished(trx, run, row, 'failed', readStepOutput(row), error, now));
    };

    // Steps that are under way: tasks finished, approvals decided, timers due, children done, timeouts.
    for (const row of rows) {
      const step = stepsById.get(row.step_id);
      if (!step || terminalStep.has(row.status) || row.status === 'pending') continue;
      const startedAt = row.started_at ? new Date(row.started_at).getTime() : now.getTime();
      if (
        step.timeoutSeconds &&
        startedAt + step.timeoutSeconds * 1_000 <= now.getTime() &&
        !(step.kind === 'task' && step.forEach && row.item_index < 0)
      ) {
        if (row.approval_id)
          await inTransaction(async (trx) => {
            await dependencies.approvals.expireApprovalInTransaction(trx, run.workspace_id, row.approval_id as string);
            return true;
          });
        await failOrRetry(row, step, `timed out after ${step.timeoutSeconds} seconds`);
        continue;
      }
      if (row.task_id && row.status === 'running') {
        const task = tasks.get(row.task_id);
        if (!task) await failOrRetry(row, step, 'its task was deleted');
        else if (task.status === 'done') {
          // The contract's task output: the final status, the last message and the documents.
          const { documents, messages } = await readTaskContext(task.id, principal);
          const last = messages.at(-1);
          const output = {
            taskStatus: task.status,
            taskId: task.id,
            taskKey: task.key,
            title: task.title,
            lastMessage: last ? { content: last.content.slice(0, 2_000), createdAt: last.createdAt } : null,
            documents,
          };
          await inTransaction((trx) => markStepFinished(trx, run, row, 'done', output, null, now));
        } else if (failedTask.has(task.status)) await failOrRetry(row, step, `its task ${task.key} was ${task.status}`);
        continue;
      }
      if (row.kind === 'delay' && row.wake_at && new Date(row.wake_at) <= now) {
        await inTransaction((trx) => markStepFinished(trx, run, row, 'done', { waitedUntil: row.wake_at }, null, now));
        continue;
      }
      if (row.approval_id) {
        const approval = await dependencies.approvals.findApprovalStatus(db, run.workspace_id, row.approval_id);
        if (!approval || approval.status === 'pending') continue;
        const output = { decision: approval.status, comment: approval.comment, decidedBy: approval.decidedBy };
        if (approval.status === 'approved') await inTransaction((trx) => markStepFinished(trx, run, row, 'done', output, null, now));
        else await inTransaction((trx) => markStepFinished(trx, run, row, 'failed', output, `the approval was ${approval.status}`, now));
        continue;
      }
      if (row.child_run_id) {
        const child = await findWorkflowRunById(db, row.child_run_id);
        if (!child || child.status === 'running' || child.status === 'waiting') continue;
        const childSteps = await listStepRows(db, child.id);
        const output = {
          runId: child.id,
          status: child.status,
          steps: Object.fromEntries(
            childSteps.filter((entry) => entry.item_index < 0).map((entry) => [entry.step_id, readStepOutput(entry)]),
          ),
        };
        if (child.status === 'completed') await inTransaction((trx) => markStepFinished(trx, run, row, 'done', output, null, now));
        else await failOrRetry(row, step, `the workflow ${child.workflow_name} ${child.status}`);
        continue;
      }
      if (step.kind === 'task' && step.forEach && row.item_index < 0) {
        const items = rows.filter((entry) => entry.step_id === step.id && entry.item_index >= 0);
        if (items.every((entry) => terminalStep.has(entry.status))) {
          const failed = items.filter((entry) => entry.status === 'failed');
          const output = items.map((entry) => readStepOutput(entry));
          await inTransaction((trx) =>
            markStepFinished(
              trx,
              run,
              row,
              failed.length > 0 ? 'failed' : 'done',
              output,
              failed.length > 0 ? `${failed.length} of ${items.length} items failed` : null,
              now,
            ),
          );
          continue;
        }
        let running = items.filter((entry) => entry.status === 'running').length;
        for (const item of items.filter((entry) => entry.status === 'pending')) {
          if (running >= (step.maxParallel ?? Number.MAX_SAFE_INTEGER)) break;
          running += 1;
          const handoff = step.handoff ? await handoffFor(step, rows, tasks, principal) : null;
          await inTransaction(async (trx) => {
            const scope = buildScope(run, inputs, rows, readStepItem(item));
            const task = await dependencies.tasks.createTaskInTransaction(
              trx,
              principal,
              buildTaskInput({ principal, definition, step, scope, handoff, now }),
            );
            return markStepStarted(trx, run, item, { status: 'running', task_id: task.id }, now, task.id);
          });
        }
      }
    }
    if (changed) return true;

    // A failed step (unless it may continue) fails the run before anything else starts.
    const failedRow = rows.find(
      (row) => row.item_index < 0 && row.status === 'failed' && (stepsById.get(row.step_id)?.onFailure ?? 'fail') !== 'continue',
    );
    if (failedRow) {
      const step = stepsById.get(failedRow.step_id);
      return db.transaction().execute(async (trx) => {
        if (step?.onFailure === 'escalate')
          await escalate(trx, run, `${run.workflow_name}: step ${failedRow.step_id} failed (${failedRow.error ?? 'failed'})`);
        return finishRun(trx, run, 'failed', `step ${failedRow.step_id} failed: ${failedRow.error ?? 'failed'}`);
      });
    }

    // Steps whose needs are met.
    for (const step of definition.steps) {
      const row = mainRow(step.id);
      if (row?.status !== 'pending') continue;
      const needs = dependenciesOf(step, definition.steps).map(mainRow);
      if (needs.some((need) => !need || !terminalStep.has(need.status))) continue;
      const conditions = definition.steps.filter(
        (other): other is Extract<WorkflowStep, { kind: 'condition' }> =>
          other.kind === 'condition' && [...(other.then ?? []), ...(other.else ?? [])].includes(step.id),
      );
      const notChosen = conditions.some((condition) => {
        const output = readStepOutput(mainRow(condition.id) as WorkflowStepRow) as { targets?: string[] } | null;
        return !output?.targets?.includes(step.id);
      });
      if (notChosen || (needs.length > 0 && needs.every((need) => need?.status === 'skipped' || need?.status === 'cancelled'))) {
        await inTransaction((trx) => markStepFinished(trx, run, row, 'skipped', null, null, now));
        continue;
      }
      try {
        await startStep(run, definition, step, row, rows, tasks, inputs, principal, now, inTransaction);
      } catch (error) {
        if (!(error instanceof WorkflowExpressionError)) throw error;
        await inTransaction((trx) => markStepFinished(trx, run, row, 'failed', null, error.message, now));
      }
    }
    if (changed) return true;

    // The run itself: completed, or waiting.
    const fresh = await listStepRows(db, run.id);
    const main = fresh.filter((row) => row.item_index < 0);
    if (main.every((row) => terminalStep.has(row.status))) return db.transaction().execute((trx) => finishRun(trx, run, 'completed', null));
    const open = fresh.filter((row) => !terminalStep.has(row.status));
    const status =
      open.length > 0 &&
      open.every((row) => row.status === 'waiting' || row.status === 'pending') &&
      open.some((row) => row.status === 'waiting')
        ? 'waiting'
        : 'running';
    const timers = open.flatMap((row) => {
      const step = stepsById.get(row.step_id);
      const times = [row.wake_at ? new Date(row.wake_at).getTime() : null];
      if (step?.timeoutSeconds && row.started_at) times.push(new Date(row.started_at).getTime() + step.timeoutSeconds * 1_000);
      return times.filter((time): time is number => time !== null);
    });
    const wakeAt = timers.length > 0 ? new Date(Math.min(...timers)).toISOString() : null;
    await updateWorkflowRunIf(db, run.id, ['running', 'waiting'], { status, wake_at: wakeAt });
    return false;
  }

  async function escalate(trx: DatabaseExecutor, run: WorkflowRunRow, content: string) {
    const members = await dependencies.workspaces.listMembers(systemPrincipal(run.workspace_id));
    const owners = members.filter((member) => member.role === 'owner' || member.role === 'admin');
    await dependencies.notifications.notifyInTransaction(
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

  async function startStep(
    run: WorkflowRunRow,
    definition: WorkflowDefinition,
    step: WorkflowStep,
    row: WorkflowStepRow,
    rows: WorkflowStepRow[],
    tasks: Map<string, Task>,
    inputs: Record<string, unknown>,
    principal: Principal,
    now: Date,
    inTransaction: (work: (trx: DatabaseExecutor) => Promise<boolean>) => Promise<boolean>,
  ) {
    const scope = buildScope(run, inputs, rows);
    switch (step.kind) {
      case 'task': {
        if (step.forEach) {
          const items = interpolateValue(`\${${step.forEach}}`, scope);
          const list = Array.isArray(items) ? items : [];
          await inTransaction(async (trx) => {
            if (!(await markStepStarted(trx, run, row, { status: 'running' }, now))) return false;
            await insertWorkflowSteps(
              trx,
              list.map((item, index) => newStepRow(run, step, index, item)),
            );
            return true;
          });
          return;
        }
        if (step.task.assignee) await dependencies.tasks.checkTaskAssignees(principal, [step.task.assignee]);
        const handoff = step.handoff ? await handoffFor(step, rows, tasks, principal) : null;
        await inTransaction(async (trx) => {
          const task = await dependencies.tasks.createTaskInTransaction(
            trx,
            principal,
            buildTaskInput({ principal, definition, step, scope, handoff, now }),
          );
          if (!(await markStepStarted(trx, run, row, { status: 'running', task_id: task.id }, now, task.id)))
            throw new StepTakenElsewhere();
          return true;
        }).catch(ignoreTakenElsewhere);
        return;
      }
      case 'condition': {
        const outcome = evaluateCondition(step, scope);
        await inTransaction(async (trx) => {
          if (!(await markStepStarted(trx, run, row, { status: 'running' }, now))) return false;
          return markStepFinished(trx, run, { ...row, status: 'running' }, 'done', outcome, null, now);
        });
        return;
      }
      case 'approval': {
        const title = step.title ? interpolateText(step.title, scope) : `${run.workflow_name}: approve step ${step.id}`;
        await inTransaction(async (trx) => {
          const approval = await dependencies.approvals.createApprovalInTransaction(trx, {
            workspaceId: run.workspace_id,
            title,
            source: { kind: 'workflow-step', workflowRunId: run.id, stepId: step.id },
            approverRoles: step.approvers?.roles ?? [],
            requestedBy: null,
            expiresAt: step.timeoutSeconds ? new Date(now.getTime() + step.timeoutSeconds * 1_000) : null,
          });
          if (!(await markStepStarted(trx, run, row, { status: 'waiting', approval_id: approval.id }, now))) throw new StepTakenElsewhere();
          return true;
        }).catch(ignoreTakenElsewhere);
        return;
      }
      case 'delay': {
        const until = step.until ? new Date(interpolateText(step.until, scope)) : new Date(now.getTime() + (step.seconds ?? 0) * 1_000);
        const wakeAt = Number.isNaN(until.getTime()) ? now : until;
        await inTransaction((trx) => markStepStarted(trx, run, row, { status: 'waiting', wake_at: wakeAt.toISOString() }, now));
        return;
      }
      case 'notify': {
        const content = interpolateText(step.message, scope);
        const members = await dependencies.workspaces.listMembers(systemPrincipal(run.workspace_id));
        const recipients = [
          ...members
            .filter((member) => step.to.roles?.includes(member.role) || step.to.userIds?.includes(member.user.id))
            .map((member) => ({ kind: 'user' as const, id: member.user.id })),
          ...(step.to.agentIds ?? []).map((id) => ({ kind: 'agent' as const, id })),
        ];
        await inTransaction(async (trx) => {
          if (!(await markStepStarted(trx, run, row, { status: 'running' }, now))) return false;
          await dependencies.notifications.notifyInTransaction(
            trx,
            run.workspace_id,
            null,
            recipients.map((recipient) => ({ recipient, taskId: null, reason: 'system' as const, content })),
          );
          return markStepFinished(trx, run, { ...row, status: 'running' }, 'done', { notified: recipients.length }, null, now);
        });
        return;
      }
      case 'message': {
        // Marked first, then posted: at most once (a crash between the two leaves the step to fail on its timeout).
        const started = await inTransaction((trx) => markStepStarted(trx, run, row, { status: 'running' }, now));
        if (!started) return;
        const taskReference = interpolateText(step.task, scope);
        try {
          const message = await dependencies.messages.postMessage(principal, taskReference, {
            content: interpolateText(step.content, scope),
            type: 'comment',
            attachments: [],
          });
          await inTransaction((trx) =>
            markStepFinished(trx, run, { ...row, status: 'running' }, 'done', { messageId: message.id }, null, now),
          );
        } catch (error) {
          await inTransaction((trx) =>
            markStepFinished(
              trx,
              run,
              { ...row, status: 'running' },
              'failed',
              null,
              error instanceof Error ? error.message : 'the message was refused',
              now,
            ),
          );
        }
        return;
      }
      case 'workflow': {
        const target = await dependencies.findWorkflow(run.workspace_id, step.workflow);
        if (!target) {
          await inTransaction((trx) => markStepFinished(trx, run, row, 'failed', null, `no workflow named ${step.workflow}`, now));
          return;
        }
        const childInputs = interpolateValue(step.inputs ?? {}, scope) as Record<string, unknown>;
        await inTransaction(async (trx) => {
          const childId = await startRunInTransaction(trx, {
            workspaceId: run.workspace_id,
            workflowId: target.id,
            workflowName: target.name,
            version: target.version,
            definition: target.definition,
            inputs: childInputs,
            startedBy: principal,
            parentRunId: run.id,
            parentStepRowId: row.id,
            depth: run.depth,
          });
          if (!(await markStepStarted(trx, run, row, { status: 'running', child_run_id: childId }, now))) throw new StepTakenElsewhere();
          return true;
        }).catch(ignoreTakenElsewhere);
        return;
      }
      case 'http': {
        const request = buildHttpRequest(step, scope, dependencies.outbound.settings.timeoutMs);
        await inTransaction(async (trx) => {
          if (!(await markStepStarted(trx, run, row, { status: 'running' }, now))) return false;
          // Queued with the step's start: the durable sender sends it once, even across a crash.
          await dependencies.outbound.enqueue(trx, [
            {
              workspaceId: run.workspace_id,
              channel: workflowHttpChannel,
              targetId: row.id,
              dedupeKey: `${row.id}:${row.attempts + 1}`,
              eventType: 'workflow-http',
              payload: request,
            },
          ]);
          return true;
        });
        return;
      }
    }
  }

  /** Advances one run as far as it goes now, under its lease; answers whether this instance held it. */
  async function advanceRun(runId: string): Promise<boolean> {
    const now = clock.now();
    const leased = await leaseWorkflowRun(db, runId, owner, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString());
    if (!leased) return false;
    try {
      for (let pass = 0; pass < 100; pass += 1) {
        if (!(await advanceOnce(runId))) break;
      }
    } finally {
      await releaseWorkflowRun(db, runId, owner);
    }
    return true;
  }

  /** Reads the events since the last look and wakes the runs whose tasks changed; safe on several instances. */
  async function feedRuns(): Promise<void> {
    for (const { workspace_id: workspaceId } of await listActiveRunWorkspaces(db)) {
      const cursor = (await findFeedCursor(db, workspaceId))?.cursor_seq ?? 0;
      const events = await listEventsAfter(db, { afterSeq: cursor, limit: 500, workspaceId });
      if (events.length === 0) continue;
      const taskIds = events.flatMap((event) =>
        (event.type === 'task-status-changed' || event.type === 'task-deleted') && event.task_id ? [event.task_id] : [],
      );
      const last = Number(events[events.length - 1]?.seq ?? cursor);
      await db.transaction().execute(async (trx) => {
        if (!(await moveFeedCursor(trx, workspaceId, cursor, last))) return;
        const runs = await listRunIdsWaitingOnTasks(trx, [...new Set(taskIds)]);
        await setRunWake(
          trx,
          runs.map((entry) => entry.run_id),
          clock.now().toISOString(),
        );
      });
    }
  }

  return {
    startRunInTransaction,
    advanceRun,
    feedRuns,
    finishRun,
    /** Wakes runs now (after a decision in the same transaction). */
    wakeRuns: (trx: DatabaseExecutor, runIds: string[]) => setRunWake(trx, runIds, clock.now().toISOString()),
    /** What every instance runs each second: the feed, then every run that is due. */
    async tick(): Promise<number> {
      await feedRuns();
      const due = await listDueRunIds(db, clock.now().toISOString(), 100);
      let advanced = 0;
      for (const { id } of due) if (await advanceRun(id)) advanced += 1;
      return advanced;
    },
  };
}

class StepTakenElsewhere extends Error {}

function ignoreTakenElsewhere(error: unknown): boolean {
  if (error instanceof StepTakenElsewhere) return false;
  throw error;
}
