import type {
  ListRunnersQuery,
  Page,
  RegisterRunnerInput,
  Runner,
  RunnerHeartbeatInput,
  RunnerHeartbeatResponse,
} from '@mission-control/contracts';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { RunnerLookup, RunnerRunService } from '../agent-runtime/runner-run.service.js';
import type { AgentService } from '../agents/agent.service.js';
import {
  deleteRunnerRows,
  findRunner,
  findRunnerAgent,
  findRunnerByKey,
  insertRunnerIfNew,
  listAgentsOfRunners,
  listRunnersOfWorkspace,
  listSilentRunners,
  markRunnerOfflineIfSilent,
  type RunnerRow,
  readRunnerAdapters,
  saveRunnerAgent,
  updateRunnerRow,
} from './runner.repository.js';

/** A runner is offline once it has missed this many heartbeat intervals. */
export const missedRunnerHeartbeatsBeforeOffline = 3;

export interface RunnerServiceDependencies {
  agents: AgentService;
  runnerRuns: Pick<RunnerRunService, 'listActiveRuns' | 'closeRunsOfRunner' | 'requestCancelOfRunnerRuns'>;
}

export type RunnerService = ReturnType<typeof createRunnerService>;

function runnerNotFound(): AppError {
  return new AppError('RUNNER_NOT_FOUND', 'No runner with this id in your workspace. List them with GET /api/v1/runners.');
}

/** `mission runner` processes: registration per agent key, presence, live state, removal. */
export function createRunnerService(context: ServiceContext, dependencies: RunnerServiceDependencies) {
  const { db, clock } = context;
  const { agents, runnerRuns } = dependencies;

  function offlineAfter(now: Date, intervalSeconds: number): string {
    return new Date(now.getTime() + intervalSeconds * 1000 * missedRunnerHeartbeatsBeforeOffline).toISOString();
  }

  async function toRunners(rows: RunnerRow[]): Promise<Runner[]> {
    if (rows.length === 0) return [];
    const workspaceId = rows[0]?.workspace_id ?? '';
    const ids = rows.map((row) => row.id);
    const [agentRows, activeRuns] = await Promise.all([listAgentsOfRunners(db, ids), runnerRuns.listActiveRuns(workspaceId, ids)]);
    return rows.map((row) => ({
      id: row.id,
      workspaceId: row.workspace_id,
      name: row.name,
      host: row.host,
      version: row.version,
      adapters: readRunnerAdapters(row),
      concurrency: Number(row.concurrency),
      heartbeatIntervalSeconds: Number(row.heartbeat_interval_seconds),
      agents: agentRows
        .filter((agent) => agent.runner_id === row.id)
        .map((agent) => ({ agentId: agent.agent_id, adapter: agent.adapter, registeredAt: agent.registered_at })),
      status: row.status,
      activeRuns: activeRuns.filter((run) => run.runnerId === row.id).map(({ runnerId: _runnerId, ...run }) => run),
      lastHeartbeatAt: row.last_heartbeat_at,
      registeredAt: row.registered_at,
      updatedAt: row.updated_at,
    }));
  }

  async function toRunner(row: RunnerRow): Promise<Runner> {
    const [runner] = await toRunners([row]);
    if (!runner) throw runnerNotFound();
    return runner;
  }

  async function requireRunner(principal: Principal, runnerId: string): Promise<RunnerRow> {
    const row = await findRunner(db, principal.workspaceId, runnerId);
    if (!row) throw runnerNotFound();
    return row;
  }

  /** What the runs of runners ask: does this runner exist and work for that agent. */
  const lookup: RunnerLookup = {
    async findRunnerOfAgent(workspaceId, runnerId, agentId) {
      const row = await findRunner(db, workspaceId, runnerId);
      if (!row || !(await findRunnerAgent(db, runnerId, agentId))) return undefined;
      return { id: row.id, status: row.status };
    },
    async isRunnerOnline(workspaceId, runnerId) {
      return (await findRunner(db, workspaceId, runnerId))?.status === 'online';
    },
  };

  return {
    ...lookup,

    /** Creates the runner on its first registration, or refreshes it; the calling agent joins it. */
    async registerRunner(principal: Principal, input: RegisterRunnerInput): Promise<{ runner: Runner; created: boolean }> {
      assertCan(principal, 'work:write');
      if (principal.kind !== 'agent') throw new AppError('FORBIDDEN', 'A runner registers with an agent’s API key.');
      const agent = await agents.getAgent(principal, principal.id);
      const now = clock.now();
      const fields = {
        name: input.name,
        host: input.host,
        version: input.version,
        adapters: JSON.stringify(input.adapters),
        concurrency: input.concurrency,
        heartbeat_interval_seconds: input.heartbeatIntervalSeconds,
        status: 'online' as const,
        last_heartbeat_at: now.toISOString(),
        offline_after: offlineAfter(now, input.heartbeatIntervalSeconds),
        updated_at: now.toISOString(),
      };
      const { row, created } = await db.transaction().execute(async (trx) => {
        const inserted = await insertRunnerIfNew(trx, {
          id: createId(),
          workspace_id: principal.workspaceId,
          runner_key: input.runnerKey,
          registered_at: now.toISOString(),
          ...fields,
        });
        const current = await findRunnerByKey(trx, principal.workspaceId, input.runnerKey);
        if (!current) throw runnerNotFound();
        if (!inserted) await updateRunnerRow(trx, current.id, fields);
        await saveRunnerAgent(trx, {
          runner_id: current.id,
          agent_id: agent.id,
          workspace_id: principal.workspaceId,
          adapter: input.adapter,
          registered_at: now.toISOString(),
        });
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'runner-registered',
          actor: toPrincipalReference(principal),
          agentId: agent.id,
          summary: `Runner ${input.name} on ${input.host} ${inserted ? 'registered' : 'registered again'} for ${agent.name} (${input.adapter})`,
          data: { runnerId: current.id, name: input.name, host: input.host, adapter: input.adapter, created: inserted },
          at: now,
        });
        return { row: { ...current, ...fields }, created: inserted };
      });
      return { runner: await toRunner(row), created };
    },

    /** Keeps the runner online and answers which of its runs someone asked to cancel. */
    async heartbeatRunner(principal: Principal, runnerId: string, _input: RunnerHeartbeatInput): Promise<RunnerHeartbeatResponse> {
      assertCan(principal, 'work:write');
      const row = await requireRunner(principal, runnerId);
      if (principal.kind !== 'agent' || !(await findRunnerAgent(db, row.id, principal.id))) {
        throw new AppError('FORBIDDEN', 'Only an agent this runner works for sends its heartbeat.');
      }
      const now = clock.now();
      const changes = {
        status: 'online' as const,
        last_heartbeat_at: now.toISOString(),
        offline_after: offlineAfter(now, Number(row.heartbeat_interval_seconds)),
        updated_at: now.toISOString(),
      };
      await updateRunnerRow(db, row.id, changes);
      const runner = await toRunner({ ...row, ...changes });
      return {
        runner,
        cancelRunIds: runner.activeRuns.filter((run) => run.cancelRequestedAt !== null).map((run) => run.runId),
        nextHeartbeatDueAt: new Date(now.getTime() + Number(row.heartbeat_interval_seconds) * 1000).toISOString(),
      };
    },

    async listRunners(principal: Principal, query: ListRunnersQuery): Promise<Page<Runner>> {
      assertCan(principal, 'workspace:read');
      const rows = await listRunnersOfWorkspace(db, {
        workspaceId: principal.workspaceId,
        status: query.status,
        agentId: query.agentId,
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      const page = toPage(
        rows,
        query.limit,
        (row) => row,
        (row) => row.id,
      );
      return { data: await toRunners(page.data), nextCursor: page.nextCursor };
    },

    async getRunner(principal: Principal, runnerId: string): Promise<Runner> {
      assertCan(principal, 'workspace:read');
      return toRunner(await requireRunner(principal, runnerId));
    },

    /** Forgets a runner; its running runs are asked to cancel. */
    async deleteRunner(principal: Principal, runnerId: string): Promise<void> {
      assertCan(principal, 'agent:manage');
      const row = await requireRunner(principal, runnerId);
      await runnerRuns.requestCancelOfRunnerRuns(principal, row.id);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await deleteRunnerRows(trx, row.id);
        await appendEvent(trx, {
          workspaceId: row.workspace_id,
          type: 'runner-deleted',
          actor: toPrincipalReference(principal),
          summary: `Runner ${row.name} removed`,
          data: { runnerId: row.id, name: row.name },
          at: now,
        });
      });
    },

    /** Turns runners silent for three intervals offline and closes their running runs. */
    async markSilentRunnersOffline(limit = 100): Promise<number> {
      const now = clock.now();
      let count = 0;
      for (const row of await listSilentRunners(db, now.toISOString(), limit)) {
        if (!(await markRunnerOfflineIfSilent(db, row.id, now.toISOString()))) continue;
        const closedRunIds = await runnerRuns.closeRunsOfRunner(
          row.workspace_id,
          row.id,
          `abandoned: runner ${row.name} stopped sending heartbeats`,
        );
        await db.transaction().execute((trx) =>
          appendEvent(trx, {
            workspaceId: row.workspace_id,
            type: 'runner-offline',
            actor: null,
            summary: `Runner ${row.name} went offline${closedRunIds.length ? ` (${closedRunIds.length} run(s) closed)` : ''}`,
            data: { runnerId: row.id, name: row.name, closedRunIds },
            at: now,
          }),
        );
        count += 1;
      }
      return count;
    },
  };
}
