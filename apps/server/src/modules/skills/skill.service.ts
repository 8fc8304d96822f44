import {
  type AgentSkillUsage,
  type CreateSkillFromTaskInput,
  type CreateSkillInput,
  createSkillFromTaskSchema,
  createSkillSchema,
  type ListSkillsQuery,
  type ListSkillVersionsQuery,
  listMessagesQuerySchema,
  listTasksQuerySchema,
  type Page,
  type RecordSkillUseInput,
  type ReplaceSkillInput,
  recordSkillUseSchema,
  replaceSkillSchema,
  type Skill,
  type SkillSummary,
  type SkillUse,
  type SkillVersion,
  type UpdateSkillInput,
  updateSkillSchema,
} from '@mission-control/contracts';
import { z } from 'zod';
import { assertCan } from '../../auth/permissions.js';
import { type Principal, toPrincipalReference } from '../../auth/principal.js';
import { createId } from '../../core/ids.js';
import type { ServiceContext } from '../../core/service-context.js';
import { parseJsonColumn } from '../../db/database.js';
import { appendEvent } from '../../events/event.repository.js';
import { AppError } from '../../http/app-error.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import type { AgentService } from '../agents/agent.service.js';
import type { DocumentService } from '../documents/document.service.js';
import type { MessageService } from '../messages/message.service.js';
import type { SearchService } from '../search/search.service.js';
import type { TaskService } from '../tasks/task.service.js';
import {
  countSkillUsage,
  deleteSkillRows,
  findSkill,
  findSkillsByIds,
  insertSkill,
  insertSkillUses,
  insertSkillVersion,
  listSkillRows,
  listSkillUsesOf,
  listSkillVersionRows,
  replaceSkillCapabilities,
  type SkillRow,
  type SkillUsageRow,
  updateSkillAtVersion,
} from './skill.repository.js';

export interface SkillServiceDependencies {
  agents: AgentService;
  tasks: TaskService;
  messages: MessageService;
  documents: DocumentService;
  search: SearchService;
}

export type SkillService = ReturnType<typeof createSkillService>;

const capabilitiesColumnSchema = z.array(z.string());
/** The procedure prefilled from a task stays well under the markdown limit. */
const prefillLimit = 20_000;

function skillNotFound(skillId: string): AppError {
  return new AppError('SKILL_NOT_FOUND', `No skill ${skillId} in your workspace. Find skills with GET /api/v1/skills?q=.`);
}

function versionConflict(skillId: string, currentVersion: number, baseVersion?: number): AppError {
  const yours = baseVersion === undefined ? 'it changed while you were saving' : `you edited version ${baseVersion}`;
  return new AppError(
    'SKILL_VERSION_CONFLICT',
    `Skill ${skillId} is at version ${currentVersion}, but ${yours}. Fetch it, merge your changes and send them with baseVersion ${currentVersion}.`,
    { currentVersion },
  );
}

type SkillFields = { name: string; description: string; body: string; capabilities: string[] };

/** Skills: versioned markdown procedures learned from solved tasks, found by every agent, counted by how their tasks ended. */
export function createSkillService(context: ServiceContext, dependencies: SkillServiceDependencies) {
  const { db, clock } = context;
  const { agents, tasks } = dependencies;

  /** People who write work, and lead or reviewer agents; specialists and viewers only read. */
  async function assertCanWriteSkills(principal: Principal): Promise<void> {
    assertCan(principal, 'work:write');
    if (principal.kind !== 'agent') return;
    const agent = await agents.getAgent(principal, principal.id);
    if (agent.kind === 'specialist') {
      throw new AppError('FORBIDDEN', 'Only lead and reviewer agents write skills. Find and follow them with find_skill and read_skill.');
    }
  }

  async function requireSkill(principal: Principal, skillId: string): Promise<SkillRow> {
    assertCan(principal, 'workspace:read');
    const row = await findSkill(db, principal.workspaceId, skillId);
    if (!row) throw skillNotFound(skillId);
    return row;
  }

  function toUsage(row: SkillUsageRow | undefined) {
    return { uses: row?.uses ?? 0, succeeded: row?.succeeded ?? 0, failed: row?.failed ?? 0 };
  }

  async function toSkills(principal: Principal, rows: readonly SkillRow[]): Promise<Skill[]> {
    const usage = await countSkillUsage(db, { workspaceId: principal.workspaceId, skillIds: rows.map((row) => row.id) });
    return rows.map((row) => ({
      id: row.id,
      workspaceId: row.workspace_id,
      name: row.name,
      description: row.description,
      body: row.body,
      capabilities: parseJsonColumn(capabilitiesColumnSchema, row.capabilities, 'skills.capabilities'),
      sourceTaskId: row.source_task_id,
      version: row.version,
      author: { kind: row.author_kind, id: row.author_id },
      usage: toUsage(usage.find((entry) => entry.skill_id === row.id)),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    }));
  }

  async function toSkill(principal: Principal, row: SkillRow): Promise<Skill> {
    const [skill] = await toSkills(principal, [row]);
    if (!skill) throw skillNotFound(row.id);
    return skill;
  }

  function withoutBody(skill: Skill): SkillSummary {
    const { body: _body, ...summary } = skill;
    return summary;
  }

  async function writeSkill(principal: Principal, fields: SkillFields, sourceTaskId: string | null): Promise<Skill> {
    const actor = toPrincipalReference(principal);
    const now = clock.now().toISOString();
    const id = createId();
    const capabilities = [...new Set(fields.capabilities)];
    const row = {
      id,
      workspace_id: principal.workspaceId,
      name: fields.name,
      description: fields.description,
      body: fields.body,
      capabilities: JSON.stringify(capabilities),
      source_task_id: sourceTaskId,
      version: 1,
      author_kind: actor.kind,
      author_id: actor.id,
      created_at: now,
      updated_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await insertSkill(trx, row, capabilities);
      await insertSkillVersion(trx, { ...versionOf(row), skill_id: id });
      await appendEvent(trx, {
        workspaceId: principal.workspaceId,
        type: 'skill-created',
        actor,
        taskId: sourceTaskId,
        summary: `Skill "${fields.name}" written${sourceTaskId ? ' from a solved task' : ''}`,
        data: { skillId: id, name: fields.name, version: 1, sourceTaskId },
        at: new Date(now),
      });
    });
    return toSkill(principal, { ...row });
  }

  function versionOf(row: Omit<SkillRow, 'id' | 'source_task_id' | 'updated_at'> & { id: string }) {
    return {
      skill_id: row.id,
      version: row.version,
      workspace_id: row.workspace_id,
      name: row.name,
      description: row.description,
      body: row.body,
      capabilities: typeof row.capabilities === 'string' ? row.capabilities : JSON.stringify(row.capabilities),
      author_kind: row.author_kind,
      author_id: row.author_id,
      created_at: row.created_at,
    };
  }

  /** A change as one new version: the row, its snapshot and the event commit together; no change, no version. */
  async function reviseSkill(principal: Principal, skillId: string, next: Partial<SkillFields>, baseVersion?: number): Promise<Skill> {
    await assertCanWriteSkills(principal);
    const actor = toPrincipalReference(principal);
    const now = clock.now().toISOString();
    const saved = await db.transaction().execute(async (trx) => {
      const current = await findSkill(trx, principal.workspaceId, skillId);
      if (!current) throw skillNotFound(skillId);
      if (baseVersion !== undefined && baseVersion !== current.version) throw versionConflict(skillId, current.version, baseVersion);
      const currentCapabilities = parseJsonColumn(capabilitiesColumnSchema, current.capabilities, 'skills.capabilities');
      const capabilities = next.capabilities ? [...new Set(next.capabilities)] : currentCapabilities;
      const merged = {
        name: next.name ?? current.name,
        description: next.description ?? current.description,
        body: next.body ?? current.body,
      };
      const fields = (['name', 'description', 'body'] as const).filter((field) => merged[field] !== current[field]) as string[];
      if (JSON.stringify(capabilities) !== JSON.stringify(currentCapabilities)) fields.push('capabilities');
      if (fields.length === 0) return current;
      const version = current.version + 1;
      const changes = {
        ...merged,
        capabilities: JSON.stringify(capabilities),
        version,
        author_kind: actor.kind,
        author_id: actor.id,
        updated_at: now,
      };
      if (!(await updateSkillAtVersion(trx, skillId, current.version, changes))) {
        const latest = await findSkill(trx, principal.workspaceId, skillId);
        throw versionConflict(skillId, latest?.version ?? current.version, baseVersion);
      }
      if (fields.includes('capabilities')) await replaceSkillCapabilities(trx, principal.workspaceId, skillId, capabilities);
      const updated: SkillRow = { ...current, ...changes };
      await insertSkillVersion(trx, { ...versionOf(updated), created_at: now });
      await appendEvent(trx, {
        workspaceId: principal.workspaceId,
        type: 'skill-versioned',
        actor,
        taskId: null,
        summary: `Skill "${merged.name}" updated to version ${version} (${fields.join(', ')})`,
        data: { skillId, name: merged.name, version, fields },
        at: new Date(now),
      });
      return updated;
    });
    return toSkill(principal, saved);
  }

  /** The procedure a solved task suggests: what it asked, its last message, and its documents. */
  async function prefillFromTask(principal: Principal, taskId: string): Promise<string> {
    const task = await tasks.getTask(principal, taskId);
    const last = (await dependencies.messages.listMessages(principal, task.id, listMessagesQuerySchema.parse({ order: 'desc', limit: 1 })))
      .data[0];
    const documentPage = await dependencies.documents.listDocuments(principal, { taskId: task.id, limit: 10 });
    const documents = await Promise.all(documentPage.data.map((summary) => dependencies.documents.getDocument(principal, summary.id)));
    const parts = [`## The problem\n\n${task.title}${task.description ? `\n\n${task.description}` : ''}`];
    if (last) parts.push(`## How it was solved\n\n${last.content}`);
    for (const document of documents) parts.push(`## ${document.title}\n\n${document.content}`);
    return parts.join('\n\n').slice(0, prefillLimit);
  }

  return {
    async createSkill(principal: Principal, given: CreateSkillInput): Promise<Skill> {
      const input = createSkillSchema.parse(given);
      await assertCanWriteSkills(principal);
      const sourceTaskId = input.sourceTaskId ? await tasks.resolveTaskId(principal, input.sourceTaskId) : null;
      return writeSkill(principal, input, sourceTaskId);
    },

    /** Turns a done task into a skill, every field defaulting to what the task says. */
    async createSkillFromTask(principal: Principal, taskReference: string, given: CreateSkillFromTaskInput): Promise<Skill> {
      const input = createSkillFromTaskSchema.parse(given);
      await assertCanWriteSkills(principal);
      const task = await tasks.getTask(principal, taskReference);
      if (task.status !== 'done') {
        throw new AppError(
          'TASK_INVALID_TRANSITION',
          `${task.key} is ${task.status}: only a done task can become a skill. Finish it first.`,
        );
      }
      const body = input.body ?? (await prefillFromTask(principal, task.id));
      return writeSkill(
        principal,
        {
          name: input.name ?? task.title,
          description: input.description ?? `Learned from ${task.key}.`,
          body,
          capabilities: input.capabilities ?? task.requiredCapabilities,
        },
        task.id,
      );
    },

    /** With q, the one search index ranks them (best first); without, newest first by cursor. */
    async listSkills(principal: Principal, query: ListSkillsQuery): Promise<Page<SkillSummary>> {
      assertCan(principal, 'workspace:read');
      if (query.q !== undefined) {
        const found = await dependencies.search.searchWorkspace(principal, { q: query.q, types: 'skill', limit: 100 });
        const ids = found.hits.map((hit) => hit.id);
        const rows = await listSkillRows(db, { workspaceId: principal.workspaceId, capability: query.capability, ids, limit: 100 });
        const ranked = ids.flatMap((id) => rows.filter((row) => row.id === id)).slice(0, query.limit);
        return { data: (await toSkills(principal, ranked)).map(withoutBody), nextCursor: null };
      }
      const rows = await listSkillRows(db, {
        workspaceId: principal.workspaceId,
        capability: query.capability,
        beforeId: decodeCursor(query.cursor, 'string'),
        limit: query.limit + 1,
      });
      const page = toPage(
        rows,
        query.limit,
        (row) => row,
        (row) => row.id,
      );
      return { data: (await toSkills(principal, page.data)).map(withoutBody), nextCursor: page.nextCursor };
    },

    async getSkill(principal: Principal, skillId: string): Promise<Skill> {
      return toSkill(principal, await requireSkill(principal, skillId));
    },

    async updateSkill(principal: Principal, skillId: string, given: UpdateSkillInput): Promise<Skill> {
      const { baseVersion, ...fields } = updateSkillSchema.parse(given);
      return reviseSkill(principal, skillId, fields, baseVersion);
    },

    async replaceSkill(principal: Principal, skillId: string, given: ReplaceSkillInput): Promise<Skill> {
      const { baseVersion, ...fields } = replaceSkillSchema.parse(given);
      return reviseSkill(principal, skillId, fields, baseVersion);
    },

    async deleteSkill(principal: Principal, skillId: string): Promise<void> {
      await assertCanWriteSkills(principal);
      await db.transaction().execute(async (trx) => {
        const current = await findSkill(trx, principal.workspaceId, skillId);
        if (!current) throw skillNotFound(skillId);
        await deleteSkillRows(trx, skillId);
        await appendEvent(trx, {
          workspaceId: principal.workspaceId,
          type: 'skill-deleted',
          actor: toPrincipalReference(principal),
          taskId: null,
          summary: `Skill "${current.name}" deleted`,
          data: { skillId, name: current.name, version: current.version },
          at: clock.now(),
        });
      });
    },

    async listSkillVersions(principal: Principal, skillId: string, query: ListSkillVersionsQuery): Promise<Page<SkillVersion>> {
      await requireSkill(principal, skillId);
      const rows = await listSkillVersionRows(db, skillId, decodeCursor(query.cursor, 'number'), query.limit + 1);
      return toPage(
        rows,
        query.limit,
        (row) => ({
          skillId: row.skill_id,
          version: row.version,
          name: row.name,
          description: row.description,
          body: row.body,
          capabilities: parseJsonColumn(capabilitiesColumnSchema, row.capabilities, 'skill_versions.capabilities'),
          author: { kind: row.author_kind, id: row.author_id },
          createdAt: new Date(row.created_at).toISOString(),
        }),
        (row) => row.version,
      );
    },

    /** Links the skill to the task named (one the agent is assigned to) or to every task it has in progress. */
    async recordSkillUse(principal: Principal, skillId: string, given: RecordSkillUseInput): Promise<SkillUse[]> {
      const input = recordSkillUseSchema.parse(given);
      if (principal.kind !== 'agent')
        throw new AppError('FORBIDDEN', 'Only agents record skill uses: they count toward the agent’s record.');
      await requireSkill(principal, skillId);
      let taskIds: string[];
      if (input.taskId !== undefined) {
        const task = await tasks.getTask(principal, input.taskId);
        if (!task.assignees.some((assignee) => assignee.kind === 'agent' && assignee.id === principal.id)) {
          throw new AppError('FORBIDDEN', `You are not assigned to ${task.key}. Record uses for tasks you work on.`);
        }
        taskIds = [task.id];
      } else {
        const held = await tasks.listTasks(
          principal,
          listTasksQuerySchema.parse({ status: 'in_progress', assigneeId: principal.id, limit: 50 }),
        );
        taskIds = held.data.map((task) => task.id);
      }
      const now = clock.now().toISOString();
      await insertSkillUses(
        db,
        taskIds.map((taskId) => ({
          skill_id: skillId,
          task_id: taskId,
          agent_id: principal.id,
          workspace_id: principal.workspaceId,
          used_at: now,
        })),
      );
      const uses = await listSkillUsesOf(db, skillId, taskIds, principal.id);
      return uses.map((use) => ({
        skillId: use.skill_id,
        taskId: use.task_id,
        agentId: use.agent_id,
        usedAt: new Date(use.used_at).toISOString(),
      }));
    },

    /** The skills an agent used, most recently used first, with how those tasks ended. */
    async listAgentSkills(principal: Principal, agentId: string): Promise<AgentSkillUsage[]> {
      assertCan(principal, 'workspace:read');
      await agents.getAgent(principal, agentId);
      const rows = await countSkillUsage(db, { workspaceId: principal.workspaceId, agentId });
      return rows
        .map((row) => ({
          skillId: row.skill_id,
          name: row.name,
          lastUsedAt: new Date(row.last_used_at).toISOString(),
          usage: toUsage(row),
        }))
        .sort((left, right) => right.lastUsedAt.localeCompare(left.lastUsedAt) || left.name.localeCompare(right.name));
    },

    /** Skills by id, for tools that show what they found. */
    async findSkills(principal: Principal, skillIds: readonly string[]): Promise<Skill[]> {
      assertCan(principal, 'workspace:read');
      return toSkills(principal, await findSkillsByIds(db, principal.workspaceId, skillIds));
    },
  };
}
