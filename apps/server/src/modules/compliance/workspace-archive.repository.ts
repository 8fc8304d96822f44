import type { Insertable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type {
  AgentRuntimeTable,
  AgentTable,
  DocumentTable,
  DocumentVersionTable,
  MessageReactionTable,
  MessageTable,
  TaskAssigneeTable,
  TaskCapabilityTable,
  TaskDependencyTable,
  TaskTable,
} from '../../db/schema.js';

// Why the archive reads and writes these tables itself instead of through the tasks, messages,
// documents and agents services: a restore writes thousands of rows with the archive's own
// numbers, times and authors, remapped to new ids, in one transaction, without an event,
// notification or permission check per row (the import as a whole is checked, announced by
// `workspace-imported` and audited). No service offers that, and one per module for a single
// caller would only move these queries. Reading through the same file keeps the two sides of the
// format next to each other. Secrets are never selected: no api_keys, no sealed column
// (agent_runtimes.credential, agent_runtimes.workspace), no integration table.

export async function readWorkspaceContent(executor: DatabaseExecutor, workspaceId: string) {
  const [agents, tasks, assignees, dependencies, capabilities, messages, reactions, documents, versions] = await Promise.all([
    executor
      .selectFrom('agents')
      .leftJoin('agent_runtimes', 'agent_runtimes.agent_id', 'agents.id')
      .select([
        'agents.id',
        'agents.name',
        'agents.role',
        'agents.kind',
        'agents.session_key',
        'agents.capabilities',
        'agents.memory_context',
        'agents.heartbeat_interval_seconds',
        'agents.concurrency_limit',
        'agents.created_at',
        'agents.deleted_at',
        'agent_runtimes.runtime',
        'agent_runtimes.provider',
        'agent_runtimes.model',
        'agent_runtimes.temperature',
        'agent_runtimes.step_limit',
        'agent_runtimes.instructions',
      ])
      .where('agents.workspace_id', '=', workspaceId)
      .orderBy('agents.created_at')
      .orderBy('agents.id')
      .execute(),
    executor.selectFrom('tasks').selectAll().where('workspace_id', '=', workspaceId).orderBy('number').execute(),
    executor.selectFrom('task_assignees').selectAll().where('workspace_id', '=', workspaceId).orderBy('assigned_at').execute(),
    executor.selectFrom('task_dependencies').selectAll().where('workspace_id', '=', workspaceId).execute(),
    executor
      .selectFrom('task_capabilities')
      .innerJoin('tasks', 'tasks.id', 'task_capabilities.task_id')
      .select(['task_capabilities.task_id', 'task_capabilities.capability'])
      .where('tasks.workspace_id', '=', workspaceId)
      .orderBy('task_capabilities.capability')
      .execute(),
    executor.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute(),
    executor.selectFrom('message_reactions').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute(),
    executor.selectFrom('documents').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute(),
    executor
      .selectFrom('document_versions')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('document_id')
      .orderBy('version')
      .execute(),
  ]);
  return { agents, tasks, assignees, dependencies, capabilities, messages, reactions, documents, versions };
}

export interface ArchiveRows {
  agents: Insertable<AgentTable>[];
  runtimes: Insertable<AgentRuntimeTable>[];
  tasks: Insertable<TaskTable>[];
  taskParents: { id: string; parentId: string }[];
  assignees: Insertable<TaskAssigneeTable>[];
  dependencies: Insertable<TaskDependencyTable>[];
  capabilities: Insertable<TaskCapabilityTable>[];
  messages: Insertable<MessageTable>[];
  messageReplies: { id: string; replyToId: string }[];
  reactions: Insertable<MessageReactionTable>[];
  documents: Insertable<DocumentTable>[];
  versions: Insertable<DocumentVersionTable>[];
}

// Small enough for SQLite's and PostgreSQL's limits on bound parameters with the widest rows.
const chunkSize = 100;

async function inChunks<Row>(rows: readonly Row[], insert: (chunk: Row[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkSize) await insert(rows.slice(start, start + chunkSize));
}

/**
 * Writes a remapped archive into a new workspace. Parents and replies are set after every row
 * exists, so their order in the archive does not matter to the foreign keys.
 */
export async function insertArchiveRows(executor: DatabaseExecutor, rows: ArchiveRows): Promise<void> {
  await inChunks(rows.agents, (chunk) => executor.insertInto('agents').values(chunk).execute());
  await inChunks(rows.runtimes, (chunk) => executor.insertInto('agent_runtimes').values(chunk).execute());
  await inChunks(rows.tasks, (chunk) => executor.insertInto('tasks').values(chunk).execute());
  for (const { id, parentId } of rows.taskParents) {
    await executor.updateTable('tasks').set({ parent_id: parentId }).where('id', '=', id).execute();
  }
  await inChunks(rows.assignees, (chunk) => executor.insertInto('task_assignees').values(chunk).execute());
  await inChunks(rows.dependencies, (chunk) => executor.insertInto('task_dependencies').values(chunk).execute());
  await inChunks(rows.capabilities, (chunk) => executor.insertInto('task_capabilities').values(chunk).execute());
  await inChunks(rows.messages, (chunk) => executor.insertInto('messages').values(chunk).execute());
  for (const { id, replyToId } of rows.messageReplies) {
    await executor.updateTable('messages').set({ reply_to_id: replyToId }).where('id', '=', id).execute();
  }
  await inChunks(rows.reactions, (chunk) => executor.insertInto('message_reactions').values(chunk).execute());
  await inChunks(rows.documents, (chunk) => executor.insertInto('documents').values(chunk).execute());
  await inChunks(rows.versions, (chunk) => executor.insertInto('document_versions').values(chunk).execute());
}
