import {
  type Approval,
  endpoints,
  type Routine,
  type Trigger,
  type Workflow,
  type WorkflowRun,
  type WorkflowVersion,
} from '@mission-control/contracts';
import type { z } from 'zod';
import type { ResourceContext } from './auth.js';

/** What `workflows.run` takes: the inputs, and a version (a number, "latest" or "ab"). */
export type StartWorkflowRunOptions = z.input<typeof endpoints.startWorkflowRun.body>;
/** What `workflows.runs` filters on. */
export type ListWorkflowRunsOptions = z.input<typeof endpoints.listWorkflowRuns.query>;
export type CreateRoutineOptions = z.input<typeof endpoints.createRoutine.body>;
export type UpdateRoutineOptions = z.input<typeof endpoints.updateRoutine.body>;
export type CreateTriggerOptions = z.input<typeof endpoints.createTrigger.body>;
export type UpdateTriggerOptions = z.input<typeof endpoints.updateTrigger.body>;
export type ProposeAgentOptions = z.input<typeof endpoints.proposeAgent.body>;
export type RequestBudgetRaiseOptions = z.input<typeof endpoints.requestBudgetRaise.body>;

/** Workflows, their runs and templates (`/workflows`, `/workflow-runs`, `/workflow-templates`). */
export class WorkflowsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.workflows`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Creates a workflow from its definition (a JSON object). */
  create(definition: Record<string, unknown>): Promise<Workflow> {
    return this.context.transport.call(endpoints.createWorkflow, { body: definition });
  }

  /** Lists the workspace's workflows at their latest versions. */
  async list(): Promise<Workflow[]> {
    return (await this.context.transport.call(endpoints.listWorkflows)).data;
  }

  /** Gets one workflow by id or name. */
  get(idOrName: string): Promise<Workflow> {
    return this.context.transport.call(endpoints.getWorkflow, { params: { id: idOrName } });
  }

  /** Saves a new version. */
  update(workflowId: string, definition: Record<string, unknown>): Promise<Workflow> {
    return this.context.transport.call(endpoints.updateWorkflow, { params: { id: workflowId }, body: definition });
  }

  /** Deletes a workflow with its versions (runs go on). */
  delete(workflowId: string): Promise<void> {
    return this.context.transport.call(endpoints.deleteWorkflow, { params: { id: workflowId } });
  }

  /** Every version, newest first. */
  async versions(workflowId: string): Promise<WorkflowVersion[]> {
    return (await this.context.transport.call(endpoints.listWorkflowVersions, { params: { id: workflowId } })).data;
  }

  /** The Standard Webhooks secret that signs the workspace's http steps (owners and admins). */
  signingSecret() {
    return this.context.transport.call(endpoints.getWorkflowSigningSecret);
  }

  /** Runs, success rate and median duration per version. */
  stats(workflowId: string) {
    return this.context.transport.call(endpoints.getWorkflowStats, { params: { id: workflowId } });
  }

  /** Checks a definition without storing it: every error at once. */
  validate(definition: unknown) {
    return this.context.transport.call(endpoints.validateWorkflow, { body: { definition } });
  }

  /** Starts a run of a workflow (by id or name). */
  run(idOrName: string, input: StartWorkflowRunOptions = {}): Promise<WorkflowRun> {
    return this.context.transport.call(endpoints.startWorkflowRun, { params: { id: idOrName }, body: input });
  }

  /** Lists runs, newest first (one page). */
  async runs(query: ListWorkflowRunsOptions = {}): Promise<WorkflowRun[]> {
    return (await this.context.transport.call(endpoints.listWorkflowRuns, { query })).data;
  }

  /** Gets one run with its steps. */
  getRun(runId: string): Promise<WorkflowRun> {
    return this.context.transport.call(endpoints.getWorkflowRun, { params: { id: runId } });
  }

  /** Cancels a run that has not finished. */
  cancelRun(runId: string): Promise<WorkflowRun> {
    return this.context.transport.call(endpoints.cancelWorkflowRun, { params: { id: runId } });
  }

  /** What happened in a run, oldest first. */
  async timeline(runId: string) {
    return (await this.context.transport.call(endpoints.getWorkflowRunTimeline, { params: { id: runId } })).data;
  }

  /** The built-in templates. */
  async templates() {
    return (await this.context.transport.call(endpoints.listWorkflowTemplates)).data;
  }

  /** Creates a workflow from a template. */
  instantiateTemplate(name: string, workflowName?: string): Promise<Workflow> {
    return this.context.transport.call(endpoints.instantiateWorkflowTemplate, {
      params: { name },
      body: workflowName ? { name: workflowName } : {},
    });
  }
}

/** The approvals inbox (`/approvals`). */
export class ApprovalsResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.approvals`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Lists approvals, optionally in one status. */
  async list(query: z.input<typeof endpoints.listApprovals.query> = {}): Promise<Approval[]> {
    return (await this.context.transport.call(endpoints.listApprovals, { query })).data;
  }

  /** Approves, with an optional comment. */
  approve(approvalId: string, comment?: string): Promise<Approval> {
    return this.context.transport.call(endpoints.approveApproval, { params: { id: approvalId }, body: comment ? { comment } : {} });
  }

  /** Rejects, with an optional comment. */
  reject(approvalId: string, comment?: string): Promise<Approval> {
    return this.context.transport.call(endpoints.rejectApproval, { params: { id: approvalId }, body: comment ? { comment } : {} });
  }

  /** A lead agent proposes a new agent; answers the approval a person decides. */
  proposeAgent(input: ProposeAgentOptions): Promise<Approval> {
    return this.context.transport.call(endpoints.proposeAgent, { body: input });
  }

  /** An agent asks for a higher monthly budget (its own, or a lead for any agent); answers the approval. */
  requestBudgetRaise(input: RequestBudgetRaiseOptions): Promise<Approval> {
    return this.context.transport.call(endpoints.requestBudgetRaise, { body: input });
  }
}

/** Routines (`/routines`) and triggers (`/triggers`). */
export class AutomationResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.automation`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Creates a routine. */
  createRoutine(input: CreateRoutineOptions): Promise<Routine> {
    return this.context.transport.call(endpoints.createRoutine, { body: input });
  }

  /** Lists routines. */
  async routines(): Promise<Routine[]> {
    return (await this.context.transport.call(endpoints.listRoutines)).data;
  }

  /** Changes a routine. */
  updateRoutine(routineId: string, input: UpdateRoutineOptions): Promise<Routine> {
    return this.context.transport.call(endpoints.updateRoutine, { params: { id: routineId }, body: input });
  }

  /** Deletes a routine. */
  deleteRoutine(routineId: string): Promise<void> {
    return this.context.transport.call(endpoints.deleteRoutine, { params: { id: routineId } });
  }

  /** Runs a routine now. */
  triggerRoutine(routineId: string) {
    return this.context.transport.call(endpoints.triggerRoutine, { params: { id: routineId } });
  }

  /** Creates a trigger. */
  createTrigger(input: CreateTriggerOptions): Promise<Trigger> {
    return this.context.transport.call(endpoints.createTrigger, { body: input });
  }

  /** Lists triggers. */
  async triggers(): Promise<Trigger[]> {
    return (await this.context.transport.call(endpoints.listTriggers)).data;
  }

  /** Changes a trigger. */
  updateTrigger(triggerId: string, input: UpdateTriggerOptions): Promise<Trigger> {
    return this.context.transport.call(endpoints.updateTrigger, { params: { id: triggerId }, body: input });
  }

  /** Deletes a trigger. */
  deleteTrigger(triggerId: string): Promise<void> {
    return this.context.transport.call(endpoints.deleteTrigger, { params: { id: triggerId } });
  }
}
