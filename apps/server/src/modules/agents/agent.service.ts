import type {
  Agent,
  AgentKind,
  AgentStatus,
  ApiKey,
  CreateAgentInput,
  CreateApiKeyInput,
  CreatedApiKey,
  ListAgentsQuery,
  Page,
  ReplaceAgentInput,
  RotateApiKeyInput,
  RotatedApiKey,
  UpdateAgentInput,
} from '@mission-control/contracts';
import type { Insertable } from 'kysely';
import type { AuthService } from '../../auth/auth.service.js';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import type { DatabaseExecutor } from '../../db/database.js';
import type { AgentTable } from '../../db/schema.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { AuditService } from '../audit/audit.service.js';
import type { OrganizationService } from '../organizations/organization.service.js';
import {
  type AgentRow,
  countAgentsByStatus,
  findAgent,
  findAgentForUpdate,
  findAgentRowById,
  findAgentsByIds,
  findAgentsInWorkspaces,
  findLiveAgentByNameOrSessionKey,
  insertAgent,
  listAgents,
  listPublishedAgents,
  listSilentAgents,
  markAgentOfflineIfSilent,
  toAgent,
  updateAgentRow,
  writePresenceBatch,
} from './agent.repository.js';
import { describeSilence } from './agent-silence.js';

function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'agent'
  );
}

/** The session key an agent gets when none is given: agent:<role>:<name>. */
function defaultSessionKey(role: string, name: string): string {
  return `agent:${slugify(role)}:${slugify(name)}`;
}

/**
 * What an agent may change about itself: its memory and its presence. Who it is (name, role,
 * session key), what it may claim (kind, capabilities) and how much it takes on (concurrency,
 * heartbeat interval) are set by the people who manage agents, or an agent could promote itself.
 */
const selfEditableFields: ReadonlySet<string> = new Set(['memoryContext', 'status']);

function sameCapabilities(left: readonly string[], right: readonly string[]): boolean {
  const wanted = new Set(left);
  const current = new Set(right);
  return wanted.size === current.size && [...wanted].every((capability) => current.has(capability));
}

/** The fields of an edit an agent sends about itself that it may not change (sending the current value is no change). */
function fieldsAnAgentMayNotChange(current: Agent, input: UpdateAgentInput): string[] {
  const changes: Record<keyof UpdateAgentInput, boolean> = {
    name: input.name !== undefined && input.name !== current.name,
    role: input.role !== undefined && input.role !== current.role,
    kind: input.kind !== undefined && input.kind !== current.kind,
    sessionKey: input.sessionKey !== undefined && input.sessionKey !== current.sessionKey,
    capabilities: input.capabilities !== undefined && !sameCapabilities(input.capabilities, current.capabilities),
    heartbeatIntervalSeconds:
      input.heartbeatIntervalSeconds !== undefined && input.heartbeatIntervalSeconds !== current.heartbeatIntervalSeconds,
    concurrencyLimit: input.concurrencyLimit !== undefined && input.concurrencyLimit !== current.concurrencyLimit,
    memoryContext: false,
    status: false,
    a2a: input.a2a !== undefined && input.a2a.published !== current.a2a.published,
  };
  return Object.entries(changes)
    .filter(([field, changed]) => changed && !selfEditableFields.has(field))
    .map(([field]) => field);
}

export type AgentService = ReturnType<typeof createAgentService>;

export interface AgentServiceDependencies {
  /** Agents' API keys live with the auth service: created, listed and revoked through it. */
  auth: Pick<AuthService, 'createApiKey' | 'listApiKeys' | 'revokeApiKey' | 'rotateApiKey' | 'revokeKeysOf'>;
  /** Deletions are recorded in the audit log. */
  audit: Pick<AuditService, 'recordAuditEntry'>;
  /** The organisation's agent limit, through a getter: organisations are built after agents. */
  organizations?: () => Pick<OrganizationService, 'assertWithinLimitInTransaction'>;
}

export function createAgentService(context: ServiceContext, dependencies: AgentServiceDependencies) {
  const { db, clock } = context;

  async function requireAgent(executor: DatabaseExecutor, principal: Principal, agentId: string) {
    const row = await findAgent(executor, principal.workspaceId, agentId);
    if (!row) throw new AppError('AGENT_NOT_FOUND', 'No agent with this id in your workspace. List agents with GET /api/v1/agents.');
    return row;
  }

  async function assertNameAndSessionKeyFree(
    executor: DatabaseExecutor,
    workspaceId: string,
    nameKey: string,
    sessionKey: string,
    exceptAgentId?: string,
  ) {
    const clashes = (await findLiveAgentByNameOrSessionKey(executor, workspaceId, nameKey, sessionKey)).filter(
      (clash) => clash.id !== exceptAgentId,
    );
    if (clashes.some((clash) => clash.name_key === nameKey)) {
      throw new AppError('AGENT_NAME_TAKEN', `An agent named "${nameKey}" already exists in this workspace. Pick another name.`);
    }
    if (clashes.some((clash) => clash.session_key === sessionKey)) {
      throw new AppError('AGENT_SESSION_KEY_TAKEN', `The session key ${sessionKey} is already used by another agent. Pick another.`);
    }
  }

  /**
   * Creates an agent inside the caller's transaction (an approved proposal, a remote agent read
   * from its card); appends `agent-created`. Agents start offline unless told (a remote agent has
   * no heartbeat: it is idle from the start).
   */
  async function createAgentInTransaction(
    trx: DatabaseExecutor,
    principal: Principal,
    input: Omit<CreateAgentInput, 'kind'> & { kind: AgentKind },
    options: { status?: AgentStatus } = {},
  ): Promise<Agent> {
    assertCan(principal, 'agent:manage');
    await dependencies.organizations?.().assertWithinLimitInTransaction(trx, principal.workspaceId, 'maxAgents');
    const now = clock.now();
    const nameKey = input.name.toLowerCase();
    const sessionKey = input.sessionKey ?? defaultSessionKey(input.role, input.name);
    const row: AgentRow & Insertable<AgentTable> = {
      id: createId(),
      workspace_id: principal.workspaceId,
      name: input.name,
      name_key: nameKey,
      role: input.role,
      kind: input.kind,
      status: options.status ?? 'offline',
      session_key: sessionKey,
      capabilities: JSON.stringify([...new Set(input.capabilities)]),
      memory_context: input.memoryContext,
      heartbeat_interval_seconds: input.heartbeatIntervalSeconds,
      concurrency_limit: input.concurrencyLimit,
      a2a_published: input.a2a.published ? 1 : 0,
      last_heartbeat_at: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      deleted_at: null,
      presence_deadline_at: null,
    };
    await assertNameAndSessionKeyFree(trx, principal.workspaceId, nameKey, sessionKey);
    await insertAgent(trx, row);
    await appendEvent(trx, {
      workspaceId: principal.workspaceId,
      type: 'agent-created',
      actor: toPrincipalReference(principal),
      agentId: row.id,
      summary: `${input.name} joined as ${input.role}`,
      data: { name: input.name, role: input.role, kind: input.kind, sessionKey },
      at: now,
    });
    return toAgent(row);
  }

  /** Moves agents to a status for the system (no actor), each with its status event; from null: any status but the target. */
  async function moveAgentsBySystem(
    workspaceId: string,
    agentIds: readonly string[],
    move: { from: 'blocked' | null; to: 'blocked' | 'idle'; reason: string },
  ): Promise<string[]> {
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const moved: string[] = [];
      for (const current of await findAgentsByIds(trx, workspaceId, agentIds)) {
        if (current.status === move.to || (move.from !== null && current.status !== move.from)) continue;
        await updateAgentRow(trx, current.id, { status: move.to, updated_at: now.toISOString() });
        await appendEvent(trx, {
          workspaceId,
          type: 'agent-status-changed',
          actor: null,
          agentId: current.id,
          summary: `${current.name} is now ${move.to} (${move.reason})`,
          data: { from: toAgent(current).status, to: move.to, reason: move.reason },
          at: now,
        });
        moved.push(current.id);
      }
      return moved;
    });
  }

  return {
    /** How many live agents are in each status (for analytics). */
    async countAgentsByStatus(principal: Principal): Promise<Record<string, number>> {
      assertCan(principal, 'workspace:read');
      const rows = await countAgentsByStatus(db, principal.workspaceId);
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
    },

    async listAgents(principal: Principal, query: ListAgentsQuery): Promise<Page<Agent>> {
      assertCan(principal, 'workspace:read');
      const rows = await listAgents(db, {
        workspaceId: principal.workspaceId,
        status: query.status,
        kind: query.kind,
        afterName: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      return toPage(rows, query.limit, toAgent, (row) => row.name_key);
    },

    async getAgent(principal: Principal, agentId: string): Promise<Agent> {
      assertCan(principal, 'workspace:read');
      return toAgent(await requireAgent(db, principal, agentId));
    },

    /**
     * A live agent that publishes an A2A card, or undefined. No permission check: publishing is
     * the owner's consent to show the card to anyone (the endpoint still needs a credential).
     */
    async findPublishedAgent(agentId: string): Promise<Agent | undefined> {
      const row = await findAgentRowById(db, agentId);
      return row && row.deleted_at === null && row.a2a_published === 1 ? toAgent(row) : undefined;
    },

    /** The agents that publish an A2A card (of one workspace when given), for directory cards. */
    async listPublishedAgents(workspaceId?: string): Promise<Agent[]> {
      const rows = await listPublishedAgents(db, { workspaceId, limit: 500 });
      return rows.map(toAgent);
    },

    /** Live agents among these ids in any of these workspaces; no permission check (an organisation's teams list them). */
    async findAgentsInWorkspaces(
      workspaceIds: readonly string[],
      agentIds: readonly string[],
      executor: DatabaseExecutor = db,
    ): Promise<Agent[]> {
      return (await findAgentsInWorkspaces(executor, workspaceIds, agentIds)).map(toAgent);
    },

    /** A live agent of the workspace, or undefined; no permission check (for describing an agent's own key). */
    async findLiveAgent(workspaceId: string, agentId: string): Promise<Agent | undefined> {
      const row = await findAgent(db, workspaceId, agentId);
      return row && toAgent(row);
    },

    /**
     * Locks an agent's row until the caller's transaction ends (PostgreSQL; SQLite has one writer),
     * so checks such as "within its concurrency limit" cannot race with themselves.
     */
    async lockAgent(executor: DatabaseExecutor, principal: Principal, agentId: string) {
      const row = await findAgentForUpdate(executor, context.engine, principal.workspaceId, agentId);
      if (!row) throw new AppError('AGENT_NOT_FOUND', 'No agent with this id in your workspace. List agents with GET /api/v1/agents.');
      return toAgent(row);
    },

    /**
     * Writes an agent's presence now, with an event when its status changes. Heartbeats use this
     * only for transitions; steady-state presence goes through writePresenceBatch.
     */
    async recordPresence(
      principal: Principal,
      agentId: string,
      presence: { status: AgentStatus; at: Date; deadline: Date; reason: string },
    ): Promise<Agent> {
      return db.transaction().execute(async (trx) => {
        const current = await requireAgent(trx, principal, agentId);
        const changes = {
          status: presence.status,
          last_heartbeat_at: presence.at.toISOString(),
          presence_deadline_at: presence.deadline.toISOString(),
        };
        await updateAgentRow(trx, agentId, changes);
        if (current.status !== presence.status) {
          await appendEvent(trx, {
            workspaceId: principal.workspaceId,
            type: 'agent-status-changed',
            actor: toPrincipalReference(principal),
            agentId,
            summary: `${current.name} is now ${presence.status} (${presence.reason})`,
            data: { from: toAgent(current).status, to: presence.status, reason: presence.reason },
            at: presence.at,
          });
        }
        return toAgent({ ...current, ...changes });
      });
    },

    /** Writes many agents' last heartbeat in one statement (coalesced presence). */
    async writePresenceBatch(entries: readonly { agentId: string; at: string; deadline: string }[]): Promise<void> {
      await writePresenceBatch(db, context.engine, entries);
    },

    /** Agents that are not offline but whose presence deadline has passed. */
    listSilentAgents(now: Date, limit: number) {
      return listSilentAgents(db, now.toISOString(), limit);
    },

    /** Turns a silent agent offline, unless it was heard from meanwhile; true when it did. */
    async markOfflineIfSilent(executor: DatabaseExecutor, agentId: string, now: Date): Promise<boolean> {
      const current = await findAgentRowById(executor, agentId);
      if (!current || current.status === 'offline' || !current.presence_deadline_at || current.presence_deadline_at >= now.toISOString()) {
        return false;
      }
      if (!(await markAgentOfflineIfSilent(executor, agentId, now.toISOString()))) return false;
      await appendEvent(executor, {
        workspaceId: current.workspace_id,
        type: 'agent-status-changed',
        actor: null,
        agentId,
        summary: `${current.name} went offline: no heartbeat ${describeSilence(current.last_heartbeat_at, now)}`,
        data: { from: toAgent(current).status, to: 'offline', reason: 'missed-heartbeats' },
        at: now,
      });
      return true;
    },

    /**
     * Stops agents the system took access to (a marketplace rental ended): they become blocked, with
     * the usual status event and its reason. Runs in the caller's transaction when there is one.
     */
    async pauseAgents(workspaceId: string, agentIds: readonly string[], reason: string): Promise<string[]> {
      return moveAgentsBySystem(workspaceId, agentIds, { from: null, to: 'blocked', reason });
    },

    /** Undoes pauseAgents (a subscription resumed, a limit was raised): blocked agents become idle. */
    async resumeAgents(workspaceId: string, agentIds: readonly string[], reason: string): Promise<string[]> {
      return moveAgentsBySystem(workspaceId, agentIds, { from: 'blocked', to: 'idle', reason });
    },

    /** Whether a live agent of the workspace has this name (any case). */
    async isAgentNameTaken(principal: Principal, name: string): Promise<boolean> {
      assertCan(principal, 'workspace:read');
      const nameKey = name.toLowerCase();
      const rows = await findLiveAgentByNameOrSessionKey(db, principal.workspaceId, nameKey, '');
      return rows.some((candidate) => candidate.name_key === nameKey);
    },

    /** Live agents of the workspace among the given ids, for callers that validate references. */
    async findAgents(principal: Principal, agentIds: readonly string[]): Promise<Agent[]> {
      return (await findAgentsByIds(db, principal.workspaceId, agentIds)).map(toAgent);
    },

    async createAgent(principal: Principal, input: CreateAgentInput): Promise<Agent> {
      return db.transaction().execute((trx) => createAgentInTransaction(trx, principal, input));
    },

    createAgentInTransaction,

    /** People who manage agents edit any field; an agent may change only its own memory and status. */
    async updateAgent(principal: Principal, agentId: string, input: UpdateAgentInput): Promise<Agent> {
      const editsItself = principal.kind === 'agent' && principal.id === agentId;
      if (!editsItself) assertCan(principal, 'agent:manage');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const current = await requireAgent(trx, principal, agentId);
        const refused = editsItself ? fieldsAnAgentMayNotChange(toAgent(current), input) : [];
        if (refused.length > 0) {
          throw new AppError(
            'FORBIDDEN',
            `An agent may change only its own memoryContext and status; ${refused.join(', ')} ${refused.length === 1 ? 'is' : 'are'} set by the workspace's owners, admins and members. Ask one of them.`,
            { fields: refused },
          );
        }
        const nameKey = input.name?.toLowerCase() ?? current.name_key;
        const sessionKey = input.sessionKey ?? current.session_key;
        if (nameKey !== current.name_key || sessionKey !== current.session_key) {
          await assertNameAndSessionKeyFree(trx, principal.workspaceId, nameKey, sessionKey, agentId);
        }
        const changes = {
          ...(input.name !== undefined && { name: input.name, name_key: nameKey }),
          ...(input.role !== undefined && { role: input.role }),
          ...(input.kind !== undefined && { kind: input.kind }),
          ...(input.status !== undefined && { status: input.status }),
          ...(input.sessionKey !== undefined && { session_key: input.sessionKey }),
          ...(input.capabilities !== undefined && { capabilities: JSON.stringify([...new Set(input.capabilities)]) }),
          ...(input.memoryContext !== undefined && { memory_context: input.memoryContext }),
          ...(input.heartbeatIntervalSeconds !== undefined && { heartbeat_interval_seconds: input.heartbeatIntervalSeconds }),
          ...(input.concurrencyLimit !== undefined && { concurrency_limit: input.concurrencyLimit }),
          ...(input.a2a !== undefined && { a2a_published: input.a2a.published ? 1 : 0 }),
          updated_at: now.toISOString(),
        };
        await updateAgentRow(trx, agentId, changes);
        const updated = { ...current, ...changes };
        const changedFields = Object.keys(input);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'agent-updated',
          actor: toPrincipalReference(principal),
          agentId,
          summary: `${updated.name} updated (${changedFields.join(', ') || 'no fields'})`,
          data: { fields: changedFields },
          at: now,
        });
        if (input.status !== undefined && input.status !== current.status) {
          await appendEvent(trx, {
            workspaceId: principal.workspaceId,
            type: 'agent-status-changed',
            actor: toPrincipalReference(principal),
            agentId,
            summary: `${updated.name} is now ${input.status}`,
            data: { from: toAgent(current).status, to: input.status },
            at: now,
          });
        }
        return toAgent(updated);
      });
    },

    /**
     * A full update (PUT): the schema gave every left-out field its registration default; the
     * session key's default is derived here, as on registration. Same rules as updateAgent.
     */
    async replaceAgent(principal: Principal, agentId: string, input: ReplaceAgentInput): Promise<Agent> {
      return this.updateAgent(principal, agentId, { ...input, sessionKey: input.sessionKey ?? defaultSessionKey(input.role, input.name) });
    },

    /** Removes an agent: its keys stop working, its name frees up, its history stays. */
    async deleteAgent(principal: Principal, agentId: string): Promise<void> {
      assertCan(principal, 'agent:manage');
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        const current = await requireAgent(trx, principal, agentId);
        await updateAgentRow(trx, agentId, { deleted_at: now, status: 'offline', updated_at: now });
        await dependencies.auth.revokeKeysOf(trx, { kind: 'agent', id: agentId }, now);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'agent-deleted',
          actor: toPrincipalReference(principal),
          agentId,
          summary: `${current.name} was removed`,
          data: {},
          at: clock.now(),
        });
        await dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'agent.deleted',
          targetKind: 'agent',
          targetId: agentId,
          summary: `agent ${current.name} was removed and its keys revoked`,
          before: { name: current.name },
        });
      });
    },

    async createApiKey(principal: Principal, agentId: string, input: CreateApiKeyInput): Promise<CreatedApiKey> {
      const agent = await requireAgent(db, principal, agentId);
      return dependencies.auth.createApiKey(principal, { kind: 'agent', id: agent.id, label: agent.name }, input);
    },

    async listApiKeys(principal: Principal, agentId: string): Promise<ApiKey[]> {
      if (!(principal.kind === 'agent' && principal.id === agentId)) assertCan(principal, 'agent:manage');
      const agent = await requireAgent(db, principal, agentId);
      return dependencies.auth.listApiKeys(principal, { kind: 'agent', id: agent.id });
    },

    async rotateApiKey(principal: Principal, agentId: string, keyId: string, input: RotateApiKeyInput): Promise<RotatedApiKey> {
      const agent = await requireAgent(db, principal, agentId);
      return dependencies.auth.rotateApiKey(principal, { kind: 'agent', id: agent.id, label: agent.name }, keyId, input);
    },

    async revokeApiKey(principal: Principal, agentId: string, keyId: string): Promise<ApiKey> {
      const agent = await requireAgent(db, principal, agentId);
      return dependencies.auth.revokeApiKey(principal, { kind: 'agent', id: agent.id, label: agent.name }, keyId);
    },
  };
}
