import type { Task, WorkflowDefinition, WorkflowStep } from '@mission-control/contracts';
import type { Principal } from '../../auth/principal.js';
import { systemPrincipal } from '../../auth/principal.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { insertWorkflowSteps, type WorkflowRunRow, type WorkflowStepRow } from './workflow.repository.js';
import { interpolateText, interpolateValue } from './workflow-expressions.js';
import { buildHttpRequest, workflowHttpChannel } from './workflow-http.js';
import { type EngineRuntime, handoffFor, startRunInTransaction } from './workflow-run-lifecycle.js';
import { buildScope, buildTaskInput, evaluateCondition, markStepFinished, markStepStarted, newStepRow } from './workflow-steps.js';

/** What one pass over a run has read, and how it changes rows. */
export interface RunPass {
  run: WorkflowRunRow;
  definition: WorkflowDefinition;
  rows: WorkflowStepRow[];
  tasks: Map<string, Task>;
  inputs: Record<string, unknown>;
  principal: Principal;
  now: Date;
  /** Whether anything changed in this pass so far. */
  changed: boolean;
  /** Runs a change in its own transaction; the pass notes whether anything changed. */
  inTransaction: (work: (trx: DatabaseExecutor) => Promise<boolean>) => Promise<boolean>;
}

/** Starts one step whose needs are met, in the transaction that marks it started (so a step never starts twice). */
export async function startStep(runtime: EngineRuntime, pass: RunPass, step: WorkflowStep, row: WorkflowStepRow): Promise<void> {
  const { run, definition, rows, tasks, inputs, principal, now, inTransaction } = pass;
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
      if (step.task.assignee) await runtime.dependencies.tasks.checkTaskAssignees(principal, [step.task.assignee]);
      const handoff = step.handoff ? await handoffFor(runtime, step, rows, tasks, principal) : null;
      await inTransaction(async (trx) => {
        const task = await runtime.dependencies.tasks.createTaskInTransaction(
          trx,
          principal,
          buildTaskInput({ principal, definition, step, scope, handoff, now }),
        );
        if (!(await markStepStarted(trx, run, row, { status: 'running', task_id: task.id }, now, task.id))) throw new StepTakenElsewhere();
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
        const approval = await runtime.dependencies.approvals.createApprovalInTransaction(trx, {
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
      const members = await runtime.dependencies.workspaces.listMembers(systemPrincipal(run.workspace_id));
      const recipients = [
        ...members
          .filter((member) => step.to.roles?.includes(member.role) || step.to.userIds?.includes(member.user.id))
          .map((member) => ({ kind: 'user' as const, id: member.user.id })),
        ...(step.to.agentIds ?? []).map((id) => ({ kind: 'agent' as const, id })),
      ];
      await inTransaction(async (trx) => {
        if (!(await markStepStarted(trx, run, row, { status: 'running' }, now))) return false;
        await runtime.dependencies.notifications.notifyInTransaction(
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
        const message = await runtime.dependencies.messages.postMessage(principal, taskReference, {
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
      const target = await runtime.dependencies.findWorkflow(run.workspace_id, step.workflow);
      if (!target) {
        await inTransaction((trx) => markStepFinished(trx, run, row, 'failed', null, `no workflow named ${step.workflow}`, now));
        return;
      }
      const childInputs = interpolateValue(step.inputs ?? {}, scope) as Record<string, unknown>;
      await inTransaction(async (trx) => {
        const childId = await startRunInTransaction(runtime, trx, {
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
      const request = buildHttpRequest(step, scope, runtime.dependencies.outbound.settings.timeoutMs);
      await inTransaction(async (trx) => {
        if (!(await markStepStarted(trx, run, row, { status: 'running' }, now))) return false;
        // Queued with the step's start: the durable sender sends it once, even across a crash.
        await runtime.dependencies.outbound.enqueue(trx, [
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

class StepTakenElsewhere extends Error {}

function ignoreTakenElsewhere(error: unknown): boolean {
  if (error instanceof StepTakenElsewhere) return false;
  throw error;
}
