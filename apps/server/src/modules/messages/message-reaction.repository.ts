import type { MessageReaction, PrincipalReference } from '@mission-control/contracts';
import { createId } from '../../core/ids.js';
import type { DatabaseExecutor } from '../../db/database.js';

export interface ReactionKey {
  workspaceId: string;
  messageId: string;
  emoji: string;
  reactor: PrincipalReference;
}

/** Adds a reaction unless that person already reacted with that emoji; true when it was new. */
export async function insertReaction(executor: DatabaseExecutor, key: ReactionKey, createdAt: string): Promise<boolean> {
  const inserted = await executor
    .insertInto('message_reactions')
    .values({
      id: createId(),
      message_id: key.messageId,
      workspace_id: key.workspaceId,
      emoji: key.emoji,
      reactor_kind: key.reactor.kind,
      reactor_id: key.reactor.id,
      created_at: createdAt,
    })
    .onConflict((conflict) => conflict.columns(['message_id', 'emoji', 'reactor_kind', 'reactor_id']).doNothing())
    .returning('message_id')
    .execute();
  return inserted.length > 0;
}

/** Removes one person's reaction; true when there was one. */
export async function deleteReaction(executor: DatabaseExecutor, key: ReactionKey): Promise<boolean> {
  const deleted = await executor
    .deleteFrom('message_reactions')
    .where('workspace_id', '=', key.workspaceId)
    .where('message_id', '=', key.messageId)
    .where('emoji', '=', key.emoji)
    .where('reactor_kind', '=', key.reactor.kind)
    .where('reactor_id', '=', key.reactor.id)
    .returning('message_id')
    .execute();
  return deleted.length > 0;
}

/** The reactions of a page of messages in one query, grouped per message and emoji in the order first used. */
export async function listReactions(
  executor: DatabaseExecutor,
  workspaceId: string,
  messageIds: readonly string[],
): Promise<Map<string, MessageReaction[]>> {
  const byMessage = new Map<string, MessageReaction[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await executor
    .selectFrom('message_reactions')
    .select(['message_id', 'emoji', 'reactor_kind', 'reactor_id'])
    .where('workspace_id', '=', workspaceId)
    .where('message_id', 'in', messageIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const reactions = byMessage.get(row.message_id) ?? [];
    let reaction = reactions.find((existing) => existing.emoji === row.emoji);
    if (!reaction) {
      reaction = { emoji: row.emoji, count: 0, by: [] };
      reactions.push(reaction);
    }
    reaction.count += 1;
    reaction.by.push({ kind: row.reactor_kind, id: row.reactor_id });
    byMessage.set(row.message_id, reactions);
  }
  return byMessage;
}

/** Retention: every reaction on these messages of the workspace; answers how many went. */
export async function deleteReactionsOfMessages(
  executor: DatabaseExecutor,
  workspaceId: string,
  messageIds: readonly string[],
): Promise<number> {
  if (messageIds.length === 0) return 0;
  const result = await executor
    .deleteFrom('message_reactions')
    .where('workspace_id', '=', workspaceId)
    .where('message_id', 'in', messageIds)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
