import type { AgentRuntime, UpdateAgentRuntimeInput } from '@mission-control/contracts';
import type { AuthService } from '../../auth/auth.service.js';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, systemPrincipal, toPrincipalReference } from '../../auth/principal.js';
import type { ServiceContext } from '../../core/service-context.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import type { AgentService } from '../agents/agent.service.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import {
  type AgentRuntimeRow,
  acquireDueRunnerLeases,
  defaultStepLimit,
  findAgentRuntime,
  insertAgentRuntime,
  type RunnerStateChanges,
  readStoredWorkspace,
  releaseRunnerLease,
  releaseRunnerLeases,
  resumeBudgetStoppedRuntimes,
  toAgentRuntime,
  updateAgentRuntimeRow,
  updateUnderRunnerLease,
} from './agent-runtime-settings.repository.js';
import { type AgentWorkspaceEnvironment, resolveTurnWorkspace, validateWorkspaceInput, workspacesOff } from './agent-workspace-settings.js';
import { createCredentialCipher } from './runtime-credentials.js';

export type { AgentRuntimeRow, RunnerStateChanges } from './agent-runtime-settings.repository.js';

export interface AgentRuntimeSettingsServiceDependencies {
  agents: AgentService;
  auth: AuthService;
  workspaces: WorkspaceService;
}

export type AgentRuntimeSettingsService = ReturnType<typeof createAgentRuntimeSettingsService>;

/**
 * How each agent runs (external, or built in with its model and instructions), the scheduler
 * state of built-in agents under their runner leases, and the API key their turns use.
 */
export function createAgentRuntimeSettingsService(
  context: ServiceContext,
  dependencies: AgentRuntimeSettingsServiceDependencies,
  options: { signingKey: Uint8Array; agentWorkspaces?: AgentWorkspaceEnvironment | undefined },
) {
  const { db, clock } = context;
  const workspaceEnvironment = options.agentWorkspaces ?? workspacesOff;
  const { agents } = dependencies;
  const cipher = createCredentialCipher(options.signingKey);

  async function ownersOf(workspaceId: string) {
    return (await dependencies.workspaces.listMembers(systemPrincipal(workspaceId))).filter((member) => member.role === 'owner');
  }

  return {
    async getRuntime(principal: Principal, agentId: string): Promise<AgentRuntime> {
      const agent = await agents.getAgent(principal, agentId);
      return toAgentRuntime(agent.id, await findAgentRuntime(db, principal.workspaceId, agent.id));
    },

    /** Changes how an agent runs; a built-in agent is scheduled from now on. */
    async updateRuntime(principal: Principal, agentId: string, input: UpdateAgentRuntimeInput): Promise<AgentRuntime> {
      if (principal.kind === 'agent') {
        // Its own included: the model, its instructions and its step limit are what it may spend.
        const fields = Object.keys(input);
        throw new AppError(
          'FORBIDDEN',
          `Agents cannot change runtime settings (${fields.join(', ') || 'none sent'}), their own included; the workspace's owners, admins and members set them.`,
          { fields },
        );
      }
      assertCan(principal, 'agent:manage');
      // A workspace lets the agent run programs on the server: a decision for owners and admins only.
      if (input.workspace !== undefined) assertCan(principal, 'agent-workspace:manage');
      const agent = await agents.getAgent(principal, agentId);
      // Checked before the transaction: it reads the file system and runs git.
      const workspace = input.workspace ? await validateWorkspaceInput(input.workspace, workspaceEnvironment) : input.workspace;
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        const current = await findAgentRuntime(trx, principal.workspaceId, agent.id);
        const runtime = input.runtime ?? current?.runtime ?? 'external';
        const becameBuiltin = runtime === 'builtin' && current?.runtime !== 'builtin';
        const values = {
          runtime,
          provider: input.provider === undefined ? (current?.provider ?? null) : input.provider,
          model: input.model === undefined ? (current?.model ?? null) : input.model,
          temperature: input.temperature === undefined ? (current?.temperature ?? null) : input.temperature,
          step_limit: input.stepLimit ?? current?.step_limit ?? defaultStepLimit,
          instructions: input.instructions ?? current?.instructions ?? '',
          // A newly built-in agent checks for work at once; an external one leaves the schedule.
          next_run_at: runtime === 'builtin' ? (becameBuiltin ? now : (current?.next_run_at ?? now)) : null,
          state: runtime === 'builtin' ? (becameBuiltin ? 'idle' : (current?.state ?? 'idle')) : 'idle',
          updated_at: now,
          ...(workspace === undefined ? {} : { workspace: workspace === null ? null : JSON.stringify(workspace) }),
        } satisfies RunnerStateChanges;
        if (current) {
          await updateAgentRuntimeRow(trx, agent.id, values);
        } else {
          await insertAgentRuntime(trx, {
            agent_id: agent.id,
            workspace_id: principal.workspaceId,
            credential: null,
            failures: 0,
            workspace: null,
            ...values,
          });
        }
        const repositoryPath =
          workspace === undefined ? (readStoredWorkspace(current?.workspace)?.repositoryPath ?? null) : (workspace?.repositoryPath ?? null);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'agent-runtime-updated',
          actor: toPrincipalReference(principal),
          agentId: agent.id,
          summary: `${agent.name} now runs ${runtime === 'builtin' ? `built in (${values.model ?? 'default model'})` : 'externally'}${repositoryPath ? `, working in ${repositoryPath}` : ''}`,
          data: { runtime, provider: values.provider, model: values.model, stepLimit: values.step_limit, repositoryPath },
          at: clock.now(),
        });
        return toAgentRuntime(agent.id, await findAgentRuntime(trx, principal.workspaceId, agent.id));
      });
    },

    /** Asks the scheduler to run the agent's turn now, whether or not its heartbeat shows work (and past any backoff). */
    async wake(principal: Principal, agentId: string, input: { taskId?: string | undefined }): Promise<AgentRuntime> {
      assertCan(principal, 'work:write');
      const agent = await agents.getAgent(principal, agentId);
      const current = await findAgentRuntime(db, principal.workspaceId, agent.id);
      if (current?.runtime !== 'builtin') {
        throw new AppError(
          'AGENT_NOT_BUILTIN',
          `${agent.name} runs outside Mission Control; only built-in agents can be woken. Set its runtime with PUT /api/v1/agents/${agent.id}/runtime.`,
        );
      }
      const now = clock.now().toISOString();
      await updateAgentRuntimeRow(db, agent.id, {
        wake_requested_at: now,
        wake_task_id: input.taskId ?? null,
        next_run_at: now,
        backoff_until: null,
        updated_at: now,
      });
      return toAgentRuntime(agent.id, await findAgentRuntime(db, principal.workspaceId, agent.id));
    },

    /** The workspace a turn of this runtime row works in (tools over the task's worktree), or null. */
    resolveTurnWorkspace(row: AgentRuntimeRow) {
      return resolveTurnWorkspace(row.workspace, workspaceEnvironment);
    },

    /** An agent's stored runtime row (model, instructions, limits), or undefined while it has never been configured. */
    findRuntimeSettings(workspaceId: string, agentId: string): Promise<AgentRuntimeRow | undefined> {
      return findAgentRuntime(db, workspaceId, agentId);
    },

    /** Budgets were raised: agents the old limit stopped are looked at again at once. */
    async resumeBudgetStoppedAgents(workspaceId: string, now: Date): Promise<void> {
      await resumeBudgetStoppedRuntimes(db, workspaceId, now.toISOString());
    },

    /** The API key a built-in agent's turns use: decrypted from the runtime row, or issued (and sealed) on first use. */
    async obtainAgentCredential(workspaceId: string, agentId: string): Promise<string> {
      const row = await findAgentRuntime(db, workspaceId, agentId);
      const opened = row?.credential ? cipher.decrypt(row.credential) : null;
      if (opened) return opened;
      // Issued in the name of a workspace owner: the feed shows a person, and events name real principals.
      const owner = (await ownersOf(workspaceId))[0];
      if (!owner) throw new AppError('FORBIDDEN', 'The workspace has no owner to issue the built-in agent a key.');
      const manager: Principal = { kind: 'user', id: owner.user.id, workspaceId, role: 'owner', sessionId: null };
      const agent = await agents.getAgent(manager, agentId);
      const created = await dependencies.auth.createApiKey(
        manager,
        { kind: 'agent', id: agent.id, label: agent.name },
        { name: 'built-in runtime', requireSignature: false },
      );
      await updateAgentRuntimeRow(db, agentId, { credential: cipher.encrypt(created.secret) });
      return created.secret;
    },

    /** Forgets a credential the API refused (revoked by someone), so the next turn issues a new one. */
    async forgetAgentCredential(agentId: string): Promise<void> {
      await updateAgentRuntimeRow(db, agentId, { credential: null });
    },

    /** Leases every due built-in agent (up to limit) to this holder until expiresAt; answers their rows. */
    acquireDueRunnerLeases(holder: string, now: string, expiresAt: string, limit: number): Promise<AgentRuntimeRow[]> {
      return acquireDueRunnerLeases(db, holder, now, expiresAt, limit);
    },

    /** A turn starts under the lease: the lease runs as long as a turn may, and the wake request is used up. */
    async startTurnUnderLease(agentId: string, holder: string, leaseExpiresAt: string): Promise<void> {
      await updateUnderRunnerLease(db, agentId, holder, {
        lease_expires_at: leaseExpiresAt,
        state: 'running',
        wake_requested_at: null,
        wake_task_id: null,
      });
    },

    /** A long turn keeps its lease, so no other instance starts a second turn of the agent meanwhile. */
    async renewRunnerLease(agentId: string, holder: string, leaseExpiresAt: string): Promise<void> {
      await updateUnderRunnerLease(db, agentId, holder, { lease_expires_at: leaseExpiresAt });
    },

    /** Gives the lease back with the new scheduler state; false when this holder no longer had it. */
    releaseRunnerLease(agentId: string, holder: string, changes: RunnerStateChanges): Promise<boolean> {
      return releaseRunnerLease(db, agentId, holder, changes);
    },

    /** Gives many leases back with the same changes. */
    releaseRunnerLeases(agentIds: readonly string[], holder: string, changes: RunnerStateChanges): Promise<void> {
      return releaseRunnerLeases(db, agentIds, holder, changes);
    },
  };
}
