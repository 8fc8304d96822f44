import { dependenciesOf, type WorkflowStep } from '@mission-control/contracts';
import type { DatabaseExecutor } from '../../db/database.js';
import {
  findWorkflowRunById,
  listStepRows,
  readRunDefinition,
  readRunInputs,
  readStepItem,
  readStepOutput,
  updateWorkflowRunIf,
  type WorkflowStepRow,
} from './workflow.repository.js';
import { WorkflowExpressionError } from './workflow-expressions.js';
import { type EngineRuntime, escalate, finishRun, handoffFor, readTaskContext, terminalStep } from './workflow-run-lifecycle.js';
import { type RunPass, startStep } from './workflow-step-start.js';
import { buildScope, buildTaskInput, markStepFinished, markStepStarted, runPrincipal } from './workflow-steps.js';

const failedTask = new Set(['failed', 'cancelled']);

/** One pass over a run: does every step change that is due; answers whether anything changed. */
export async function advanceRunOnce(runtime: EngineRuntime, runId: string): Promise<boolean> {
  const { db, clock } = runtime.context;
  const run = await findWorkflowRunById(db, runId);
  if (!run || (run.status !== 'running' && run.status !== 'waiting')) return false;
  const rows = await listStepRows(db, run.id);
  const taskIds = [...new Set(rows.flatMap((row) => (row.task_id ? [row.task_id] : [])))];
  const tasks = new Map((await runtime.dependencies.tasks.findTasksByIds(run.workspace_id, taskIds)).map((task) => [task.id, task]));
  const pass: RunPass = {
    run,
    definition: readRunDefinition(run),
    rows,
    tasks,
    inputs: readRunInputs(run),
    principal: runPrincipal(run),
    now: clock.now(),
    changed: false,
    inTransaction: async (work: (trx: DatabaseExecutor) => Promise<boolean>) => {
      const did = await db.transaction().execute(work);
      pass.changed ||= did;
      return did;
    },
  };
  await advanceUnderwaySteps(runtime, pass);
  if (pass.changed) return true;
  const failedRun = await failRunOnFailedStep(runtime, pass);
  if (failedRun !== undefined) return failedRun;
  await startReadySteps(runtime, pass);
  if (pass.changed) return true;
  return settleRun(runtime, pass);
}

/** A failed step is tried again while it has retries left (task steps), otherwise marked failed. */
async function failOrRetry(runtime: EngineRuntime, pass: RunPass, row: WorkflowStepRow, step: WorkflowStep, error: string) {
  const { run, definition, rows, inputs, principal, now, inTransaction } = pass;
  if (step.kind === 'task' && row.attempts <= (step.retries ?? 0)) {
    await inTransaction(async (trx) => {
      const scope = buildScope(run, inputs, rows, readStepItem(row));
      const task = await runtime.dependencies.tasks.createTaskInTransaction(
        trx,
        principal,
        buildTaskInput({ principal, definition, step, scope, handoff: `Attempt ${row.attempts + 1}: the last one ${error}.\n`, now }),
      );
      return markStepStarted(trx, run, row, { status: 'running', task_id: task.id }, now, task.id);
    });
    return;
  }
  await inTransaction((trx) => markStepFinished(trx, run, row, 'failed', readStepOutput(row), error, now));
}

/** Steps that are under way: tasks finished, approvals decided, timers due, children done, timeouts. */
async function advanceUnderwaySteps(runtime: EngineRuntime, pass: RunPass): Promise<void> {
  const { db } = runtime.context;
  const { run, definition, rows, tasks, inputs, principal, now, inTransaction } = pass;
  const stepsById = new Map(definition.steps.map((step) => [step.id, step]));
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
          await runtime.dependencies.approvals.expireApprovalInTransaction(trx, run.workspace_id, row.approval_id as string);
          return true;
        });
      await failOrRetry(runtime, pass, row, step, `timed out after ${step.timeoutSeconds} seconds`);
      continue;
    }
    if (row.task_id && row.status === 'running') {
      const task = tasks.get(row.task_id);
      if (!task) await failOrRetry(runtime, pass, row, step, 'its task was deleted');
      else if (task.status === 'done') {
        // The contract's task output: the final status, the last message and the documents.
        const { documents, messages } = await readTaskContext(runtime, task.id, principal);
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
      } else if (failedTask.has(task.status)) await failOrRetry(runtime, pass, row, step, `its task ${task.key} was ${task.status}`);
      continue;
    }
    if (row.kind === 'delay' && row.wake_at && new Date(row.wake_at) <= now) {
      await inTransaction((trx) => markStepFinished(trx, run, row, 'done', { waitedUntil: row.wake_at }, null, now));
      continue;
    }
    if (row.approval_id) {
      const approval = await runtime.dependencies.approvals.findApprovalStatus(db, run.workspace_id, row.approval_id);
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
      else await failOrRetry(runtime, pass, row, step, `the workflow ${child.workflow_name} ${child.status}`);
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
        const handoff = step.handoff ? await handoffFor(runtime, step, rows, tasks, principal) : null;
        await inTransaction(async (trx) => {
          const scope = buildScope(run, inputs, rows, readStepItem(item));
          const task = await runtime.dependencies.tasks.createTaskInTransaction(
            trx,
            principal,
            buildTaskInput({ principal, definition, step, scope, handoff, now }),
          );
          return markStepStarted(trx, run, item, { status: 'running', task_id: task.id }, now, task.id);
        });
      }
    }
  }
}

/**
 * A failed step (unless it may continue) fails the run before anything else starts: answers
 * whether that changed the run, or undefined when no step failed.
 */
async function failRunOnFailedStep(runtime: EngineRuntime, pass: RunPass): Promise<boolean | undefined> {
  const { run, definition, rows } = pass;
  const stepsById = new Map(definition.steps.map((step) => [step.id, step]));
  const failedRow = rows.find(
    (row) => row.item_index < 0 && row.status === 'failed' && (stepsById.get(row.step_id)?.onFailure ?? 'fail') !== 'continue',
  );
  if (!failedRow) return undefined;
  const step = stepsById.get(failedRow.step_id);
  return runtime.context.db.transaction().execute(async (trx) => {
    if (step?.onFailure === 'escalate')
      await escalate(runtime, trx, run, `${run.workflow_name}: step ${failedRow.step_id} failed (${failedRow.error ?? 'failed'})`);
    return finishRun(runtime, trx, run, 'failed', `step ${failedRow.step_id} failed: ${failedRow.error ?? 'failed'}`);
  });
}

/** Starts the steps whose needs are met (or skips those a condition did not choose). */
async function startReadySteps(runtime: EngineRuntime, pass: RunPass): Promise<void> {
  const { run, definition, rows, now, inTransaction } = pass;
  const mainRow = (id: string) => rows.find((row) => row.step_id === id && row.item_index < 0);
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
      await startStep(runtime, pass, step, row);
    } catch (error) {
      if (!(error instanceof WorkflowExpressionError)) throw error;
      await inTransaction((trx) => markStepFinished(trx, run, row, 'failed', null, error.message, now));
    }
  }
}

/** The run itself, once no step moved: completed, or waiting until its next timer. */
async function settleRun(runtime: EngineRuntime, pass: RunPass): Promise<boolean> {
  const { db } = runtime.context;
  const { run, definition } = pass;
  const stepsById = new Map(definition.steps.map((step) => [step.id, step]));
  const fresh = await listStepRows(db, run.id);
  const main = fresh.filter((row) => row.item_index < 0);
  if (main.every((row) => terminalStep.has(row.status)))
    return db.transaction().execute((trx) => finishRun(runtime, trx, run, 'completed', null));
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
