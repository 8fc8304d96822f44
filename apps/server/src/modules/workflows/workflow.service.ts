import {
  type ListWorkflowRunsQuery,
  type StartWorkflowRunInput,
  validateWorkflowDefinition,
  type Workflow,
  type WorkflowDefinition,
  type WorkflowRun,
  type WorkflowValidationError,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import type { Principal } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { AgentRunService } from '../agent-runtime/agent-run.service.js';
import type { ApprovalService } from '../approvals/approval.service.js';
import type { OutboundService } from '../integrations/outbound/outbound.service.js';
import {
  deleteWorkflowRow,
  findStepByTaskId,
  findWorkflow,
  findWorkflowByName,
  findWorkflowRun,
  findWorkflowVersion,
  insertWorkflow,
  insertWorkflowVersion,
  listRunningRunsWithLatestProgress,
  listRunsOfWorkflow,
  listStepRows,
  listStepRowsOfRuns,
  listWorkflowRows,
  listWorkflowRunRows,
  listWorkflowVersions,
  toWorkflow,
  toWorkflowRun,
  updateWorkflowRow,
  type WorkflowRow,
} from './workflow.repository.js';
import type { WorkflowEngine } from './workflow-engine.js';
import { checkWorkflowExpression } from './workflow-expressions.js';
import { workflowSigningSecret } from './workflow-http.js';
import { buildRunTimeline, checkRunInputs, pickVersion, summarizeWorkflowStats } from './workflow-run-rules.js';

export { pickVersion } from './workflow-run-rules.js';

/** Validates with CEL checked by the server's CEL implementation. */
export function validateDefinition(input: unknown) {
  return validateWorkflowDefinition(input, checkWorkflowExpression);
}

function invalidDefinition(errors: WorkflowValidationError[]): AppError {
  const first = errors[0];
  return new AppError(
    'WORKFLOW_DEFINITION_INVALID',
    `The workflow definition has ${errors.length} error${errors.length === 1 ? '' : 's'}${first ? `, first at ${first.path || 'the top'}: ${first.message}` : ''}. Fix them all (details.errors) and send it again.`,
    { errors },
  );
}

export type WorkflowService = ReturnType<typeof createWorkflowService>;

/** Workflows (definitions with every version kept) and their runs; the engine does the running. */
export function createWorkflowService(
  context: ServiceContext,
  dependencies: { engine: () => WorkflowEngine; approvals: ApprovalService; outbound: OutboundService; agentRuns: AgentRunService },
  options: { random?: () => number } = {},
) {
  const { db, clock } = context;

  dependencies.approvals.onDecision(async (trx, approval) => {
    if (approval.source.kind === 'workflow-step') await dependencies.engine().wakeRuns(trx, [approval.source.workflowRunId]);
    return undefined;
  });

  async function requireWorkflow(executor: DatabaseExecutor, principal: Principal, idOrName: string): Promise<WorkflowRow> {
    assertCan(principal, 'workspace:read');
    const row = await findWorkflow(executor, principal.workspaceId, idOrName);
    if (!row) throw new AppError('WORKFLOW_NOT_FOUND', `No workflow "${idOrName}" in the workspace. List them with GET /api/v1/workflows.`);
    return row;
  }

  async function latestDefinition(executor: DatabaseExecutor, row: WorkflowRow): Promise<WorkflowDefinition> {
    const version = await findWorkflowVersion(executor, row.id, row.version);
    if (!version) throw new AppError('WORKFLOW_VERSION_NOT_FOUND', `Version ${row.version} of ${row.name} is missing.`);
    return version.definition;
  }

  function parseDefinition(input: unknown): WorkflowDefinition {
    const result = validateDefinition(input);
    if (!result.valid) throw invalidDefinition(result.errors);
    return result.definition;
  }

  async function requireRun(principal: Principal, runId: string) {
    assertCan(principal, 'workspace:read');
    const row = await findWorkflowRun(db, principal.workspaceId, runId);
    if (!row)
      throw new AppError(
        'WORKFLOW_RUN_NOT_FOUND',
        'No workflow run with this id in the workspace. List them with GET /api/v1/workflow-runs.',
      );
    return row;
  }

  async function getRun(principal: Principal, runId: string): Promise<WorkflowRun> {
    const row = await requireRun(principal, runId);
    return toWorkflowRun(row, await listStepRows(db, row.id));
  }

  /** The version a run starts on: the latest, a given one, or one picked by the A/B split. */
  async function resolveRunVersion(
    executor: DatabaseExecutor,
    row: WorkflowRow,
    requested: NonNullable<StartWorkflowRunInput['version']>,
    abSplit: Record<string, number> | undefined,
  ) {
    const version =
      requested === 'latest' ? row.version : requested === 'ab' ? pickVersion(row.version, abSplit, options.random) : requested;
    const stored = await findWorkflowVersion(executor, row.id, version);
    if (!stored) throw new AppError('WORKFLOW_VERSION_NOT_FOUND', `${row.name} has no version ${version}; it has 1 to ${row.version}.`);
    return { version, stored };
  }

  const service = {
    validateWorkflow(definition: unknown): { valid: boolean; errors: WorkflowValidationError[] } {
      const result = validateDefinition(definition);
      return { valid: result.valid, errors: result.errors };
    },

    async createWorkflow(principal: Principal, input: unknown): Promise<Workflow> {
      assertCan(principal, 'work:write');
      const definition = parseDefinition(input);
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        if (await findWorkflowByName(trx, principal.workspaceId, definition.name)) {
          throw new AppError(
            'WORKFLOW_NAME_TAKEN',
            `A workflow named ${definition.name} exists; PUT /api/v1/workflows/{id} saves a new version of it.`,
          );
        }
        const row: WorkflowRow = {
          id: createId(),
          workspace_id: principal.workspaceId,
          name: definition.name,
          description: definition.description ?? '',
          version: 1,
          created_by_kind: principal.kind,
          created_by_id: principal.id,
          created_at: now,
          updated_at: now,
        };
        await insertWorkflow(trx, row);
        await insertWorkflowVersion(trx, { workflow_id: row.id, workspace_id: row.workspace_id, version: 1, definition, created_at: now });
        return toWorkflow(row, definition);
      });
    },

    async listWorkflows(principal: Principal): Promise<{ data: Workflow[] }> {
      assertCan(principal, 'workspace:read');
      const rows = await listWorkflowRows(db, principal.workspaceId);
      return { data: await Promise.all(rows.map(async (row) => toWorkflow(row, await latestDefinition(db, row)))) };
    },

    async getWorkflow(principal: Principal, idOrName: string): Promise<Workflow> {
      const row = await requireWorkflow(db, principal, idOrName);
      return toWorkflow(row, await latestDefinition(db, row));
    },

    async updateWorkflow(principal: Principal, id: string, input: unknown): Promise<Workflow> {
      assertCan(principal, 'work:write');
      const definition = parseDefinition(input);
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        const row = await requireWorkflow(trx, principal, id);
        const other = await findWorkflowByName(trx, principal.workspaceId, definition.name);
        if (other && other.id !== row.id)
          throw new AppError('WORKFLOW_NAME_TAKEN', `Another workflow is named ${definition.name}; pick another name.`);
        const version = row.version + 1;
        await insertWorkflowVersion(trx, { workflow_id: row.id, workspace_id: row.workspace_id, version, definition, created_at: now });
        const changes = { version, name: definition.name, description: definition.description ?? '', updated_at: now };
        await updateWorkflowRow(trx, row.id, changes);
        return toWorkflow({ ...row, ...changes }, definition);
      });
    },

    async deleteWorkflow(principal: Principal, id: string): Promise<void> {
      assertCan(principal, 'work:write');
      const row = await requireWorkflow(db, principal, id);
      await deleteWorkflowRow(db, row.id);
    },

    async listWorkflowVersions(principal: Principal, id: string) {
      const row = await requireWorkflow(db, principal, id);
      return { data: await listWorkflowVersions(db, row.id) };
    },

    /** The secret http steps are signed with (owners and admins). */
    getWorkflowSigningSecret(principal: Principal) {
      assertCan(principal, 'integration:manage');
      return { secret: workflowSigningSecret(dependencies.outbound, principal.workspaceId), scheme: 'standard-webhooks' as const };
    },

    async getWorkflowStats(principal: Principal, id: string) {
      const row = await requireWorkflow(db, principal, id);
      const runs = await listRunsOfWorkflow(db, principal.workspaceId, row.id);
      // A run costs what the agent runs on its tasks cost (built-in turns and runner runs alike).
      const steps = await listStepRowsOfRuns(
        db,
        runs.map((run) => run.id),
      );
      const taskCosts = await dependencies.agentRuns.sumCostOfTasks(principal.workspaceId, [
        ...new Set(steps.flatMap((step) => (step.task_id ? [step.task_id] : []))),
      ]);
      return summarizeWorkflowStats(row.id, runs, steps, taskCosts);
    },

    /** Starts a run and advances it as far as it goes now (its first tasks exist when this answers). */
    async startWorkflowRun(
      principal: Principal,
      idOrName: string,
      input: Partial<StartWorkflowRunInput>,
      extra: { depth?: number } = {},
    ): Promise<WorkflowRun> {
      assertCan(principal, 'work:write');
      const row = await requireWorkflow(db, principal, idOrName);
      const { version, stored } = await resolveRunVersion(db, row, input.version ?? 'latest', input.abSplit);
      const inputs = checkRunInputs(stored.definition, input.inputs ?? {});
      const runId = await db.transaction().execute((trx) =>
        dependencies.engine().startRunInTransaction(trx, {
          workspaceId: principal.workspaceId,
          workflowId: row.id,
          workflowName: row.name,
          version,
          definition: stored.definition,
          inputs,
          startedBy: principal,
          depth: extra.depth ?? 0,
        }),
      );
      await dependencies.engine().advanceRun(runId);
      return getRun(principal, runId);
    },

    /**
     * Starts a run inside the caller's transaction (a routine or a trigger moving its own cursor in
     * the same one, so it starts the run exactly once); the engine advances it on its next tick.
     */
    async startRunInTransaction(
      trx: DatabaseExecutor,
      principal: Principal,
      idOrName: string,
      input: {
        inputs: Record<string, unknown>;
        version?: StartWorkflowRunInput['version'];
        abSplit?: Record<string, number> | undefined;
        depth?: number;
      },
    ): Promise<string> {
      assertCan(principal, 'work:write');
      const row = await requireWorkflow(trx, principal, idOrName);
      const { version, stored } = await resolveRunVersion(trx, row, input.version ?? (input.abSplit ? 'ab' : 'latest'), input.abSplit);
      return dependencies.engine().startRunInTransaction(trx, {
        workspaceId: principal.workspaceId,
        workflowId: row.id,
        workflowName: row.name,
        version,
        definition: stored.definition,
        inputs: checkRunInputs(stored.definition, input.inputs),
        startedBy: principal,
        depth: input.depth ?? 0,
      });
    },

    /** How many trigger actions deep a run was caused (the triggers' loop guard); null when it is not a run. */
    async findRunDepth(workspaceId: string, runId: string): Promise<number | null> {
      return (await findWorkflowRun(db, workspaceId, runId))?.depth ?? null;
    },

    /** The depth of the run a task belongs to, when a workflow step made it. */
    async findTaskRunDepth(workspaceId: string, taskId: string): Promise<number | null> {
      const step = await findStepByTaskId(db, taskId);
      return step ? service.findRunDepth(workspaceId, step.run_id) : null;
    },

    /** For inbound hooks' start-workflow action. */
    async startWorkflow(principal: Principal, workflow: string, input: unknown): Promise<{ id: string }> {
      const inputs = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
      return service.startWorkflowRun(principal, workflow, { inputs });
    },

    async listWorkflowRuns(principal: Principal, query: ListWorkflowRunsQuery) {
      assertCan(principal, 'workspace:read');
      const rows = await listWorkflowRunRows(db, {
        workspaceId: principal.workspaceId,
        workflowId: query.workflowId,
        status: query.status,
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      const page = toPage(
        rows,
        query.limit,
        (row) => row,
        (row) => row.id,
      );
      const steps = await listStepRowsOfRuns(
        db,
        page.data.map((row) => row.id),
      );
      return {
        data: page.data.map((row) =>
          toWorkflowRun(
            row,
            steps.filter((step) => step.run_id === row.id),
          ),
        ),
        nextCursor: page.nextCursor,
      };
    },

    getWorkflowRun: getRun,

    async cancelWorkflowRun(principal: Principal, runId: string): Promise<WorkflowRun> {
      assertCan(principal, 'work:write');
      const row = await requireRun(principal, runId);
      const cancelled = await db
        .transaction()
        .execute((trx) => dependencies.engine().finishRun(trx, row, 'cancelled', `cancelled by ${principal.kind} ${principal.id}`));
      if (!cancelled)
        throw new AppError(
          'WORKFLOW_RUN_FINISHED',
          `This run already ${row.status === 'running' || row.status === 'waiting' ? 'finished' : row.status}; nothing to cancel.`,
        );
      return getRun(principal, runId);
    },

    async getWorkflowRunTimeline(principal: Principal, runId: string) {
      const run = await getRun(principal, runId);
      return { data: buildRunTimeline(run) };
    },

    /** Running runs with the time of their latest step progress (the anomaly detector's stuck-run check). */
    listRunningRunsWithLatestProgress(workspaceId: string, limit = 500) {
      return listRunningRunsWithLatestProgress(db, workspaceId, limit);
    },

    /** The latest definition of a workflow by name, for `workflow` steps. */
    async findLatestWorkflow(workspaceId: string, name: string) {
      const row = await findWorkflowByName(db, workspaceId, name);
      if (!row) return undefined;
      return { id: row.id, name: row.name, version: row.version, definition: await latestDefinition(db, row) };
    },
  };
  return service;
}
