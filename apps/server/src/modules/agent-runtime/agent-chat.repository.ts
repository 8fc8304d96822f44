import type { ChatMessage } from '@mission-control/contracts';
import type { Insertable, Selectable } from 'kysely';
import type { DatabaseExecutor } from '../../db/database.js';
import type { AgentChatMessageTable } from '../../db/schema.js';

export type AgentChatMessageRow = Selectable<AgentChatMessageTable>;

/** The latest messages of one person's conversation with one agent, oldest first. */
export async function listLatestChatMessages(
  executor: DatabaseExecutor,
  conversation: { workspaceId: string; agentId: string; userId: string },
  limit: number,
): Promise<AgentChatMessageRow[]> {
  const rows = await executor
    .selectFrom('agent_chat_messages')
    .selectAll()
    .where('workspace_id', '=', conversation.workspaceId)
    .where('agent_id', '=', conversation.agentId)
    .where('user_id', '=', conversation.userId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** Every message of a person's conversations with built-in agents, oldest first (their data export). */
export function listChatMessagesOfPerson(executor: DatabaseExecutor, userId: string) {
  return executor.selectFrom('agent_chat_messages').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

/** Deletes a person's conversations in one workspace (erasure). */
export async function deleteChatMessagesOfPerson(executor: DatabaseExecutor, userId: string, workspaceId: string): Promise<void> {
  await executor.deleteFrom('agent_chat_messages').where('user_id', '=', userId).where('workspace_id', '=', workspaceId).execute();
}

export async function insertChatMessage(executor: DatabaseExecutor, row: Insertable<AgentChatMessageTable>): Promise<void> {
  await executor.insertInto('agent_chat_messages').values(row).execute();
}

export function toChatMessage(
  row: Pick<AgentChatMessageRow, 'id' | 'agent_id' | 'role' | 'author_id' | 'content' | 'created_at'>,
): ChatMessage {
  return {
    id: row.id,
    agentId: row.agent_id,
    role: row.role,
    authorId: row.author_id,
    content: row.content,
    createdAt: row.created_at,
  };
}
