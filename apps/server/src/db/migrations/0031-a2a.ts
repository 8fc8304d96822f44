import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * The Agent2Agent protocol (issue 22): which agents publish a card (off for every existing agent),
 * the board tasks that remote A2A clients created, with the context they grouped them under, and
 * where those clients want the tasks' updates pushed.
 */
export function createA2aMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const sequence = engine === 'postgres' ? 'bigint' : 'integer';
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('agents')
        .addColumn('a2a_published', 'integer', (column) => column.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('a2a_tasks')
        .addColumn('task_id', 'text', (column) => column.primaryKey().references('tasks.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('agent_id', 'text')
        .addColumn('context_id', 'text', (column) => column.notNull())
        .addColumn('message_id', 'text')
        .addColumn('requester_kind', 'text', (column) => column.notNull())
        .addColumn('requester_id', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      // A retried send (the same message id) finds the task the first one created.
      await db.schema.createIndex('a2a_tasks_by_message').on('a2a_tasks').columns(['workspace_id', 'message_id']).unique().execute();
      await db.schema.createIndex('a2a_tasks_by_workspace').on('a2a_tasks').columns(['workspace_id', 'created_at', 'task_id']).execute();
      // Where a client wants a task's updates posted; the token it gave is sealed, and the cursor is
      // the last event the push feed looked at for it.
      await db.schema
        .createTable('a2a_push_configs')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('task_id', 'text', (column) => column.notNull().references('a2a_tasks.task_id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('client_config_id', 'text', (column) => column.notNull())
        .addColumn('url', 'text', (column) => column.notNull())
        .addColumn('sealed_token', 'text')
        .addColumn('authentication_scheme', 'text')
        .addColumn('sealed_credentials', 'text')
        .addColumn('cursor_seq', sequence, (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('a2a_push_configs_by_task')
        .on('a2a_push_configs')
        .columns(['task_id', 'client_config_id'])
        .unique()
        .execute();
      await db.schema.createIndex('a2a_push_configs_by_cursor').on('a2a_push_configs').column('cursor_seq').execute();
      // Remote agents: squad members reached over A2A, with the card they were registered from.
      await db.schema
        .createTable('a2a_remote_agents')
        .addColumn('agent_id', 'text', (column) => column.primaryKey().references('agents.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('card_url', 'text', (column) => column.notNull())
        .addColumn('endpoint_url', 'text', (column) => column.notNull())
        .addColumn('card', json, (column) => column.notNull())
        .addColumn('sealed_api_key', 'text')
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      // A board task sent to a remote agent: the remote task it became and how far it was mirrored.
      await db.schema
        .createTable('a2a_delegations')
        .addColumn('task_id', 'text', (column) => column.primaryKey().references('tasks.id').onDelete('cascade'))
        .addColumn('agent_id', 'text', (column) => column.notNull())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('remote_task_id', 'text')
        .addColumn('context_id', 'text', (column) => column.notNull())
        .addColumn('remote_state', 'text', (column) => column.notNull())
        .addColumn('last_question_id', 'text')
        .addColumn('last_message_id', 'text')
        .addColumn('forwarded_after', timestamp)
        .addColumn('next_poll_at', timestamp, (column) => column.notNull())
        .addColumn('failures', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('a2a_delegations_due').on('a2a_delegations').columns(['next_poll_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('a2a_delegations').execute();
      await db.schema.dropTable('a2a_remote_agents').execute();
      await db.schema.dropTable('a2a_push_configs').execute();
      await db.schema.dropTable('a2a_tasks').execute();
      await db.schema.alterTable('agents').dropColumn('a2a_published').execute();
    },
  };
}
