import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/** The core domain: workspaces, people, agents, keys, sessions, tasks, messages, documents, events, notifications. */
export function createInitialMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('workspaces')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('slug', 'text', (column) => column.notNull().unique())
        .addColumn('task_key_prefix', 'text', (column) => column.notNull())
        .addColumn('task_counter', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('email', 'text', (column) => column.notNull().unique())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('password_hash', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();

      await db.schema
        .createTable('memberships')
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('memberships_pk', ['workspace_id', 'user_id'])
        .execute();
      await db.schema.createIndex('memberships_user_idx').on('memberships').column('user_id').execute();

      await db.schema
        .createTable('agents')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('name_key', 'text', (column) => column.notNull())
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('session_key', 'text', (column) => column.notNull())
        .addColumn('capabilities', json, (column) => column.notNull())
        .addColumn('memory_context', 'text', (column) => column.notNull())
        .addColumn('heartbeat_interval_seconds', 'integer', (column) => column.notNull())
        .addColumn('concurrency_limit', 'integer', (column) => column.notNull())
        .addColumn('last_heartbeat_at', timestamp)
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .addColumn('deleted_at', timestamp)
        .execute();
      // Names and session keys are unique among the workspace's live agents; a deleted agent frees them.
      await db.schema
        .createIndex('agents_name_unique')
        .on('agents')
        .columns(['workspace_id', 'name_key'])
        .unique()
        .where(sql.ref('deleted_at'), 'is', null)
        .execute();
      await db.schema
        .createIndex('agents_session_key_unique')
        .on('agents')
        .columns(['workspace_id', 'session_key'])
        .unique()
        .where(sql.ref('deleted_at'), 'is', null)
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('owner_kind', 'text', (column) => column.notNull())
        .addColumn('owner_id', 'text', (column) => column.notNull())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('prefix', 'text', (column) => column.notNull())
        .addColumn('secret_hash', 'text', (column) => column.notNull().unique())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('last_used_at', timestamp)
        .addColumn('revoked_at', timestamp)
        .addColumn('expires_at', timestamp)
        .execute();
      await db.schema.createIndex('api_keys_owner_idx').on('api_keys').columns(['owner_kind', 'owner_id']).execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('expires_at', timestamp, (column) => column.notNull())
        .addColumn('revoked_at', timestamp)
        .execute();

      await db.schema
        .createTable('refresh_tokens')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('session_id', 'text', (column) => column.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (column) => column.notNull().unique())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('expires_at', timestamp, (column) => column.notNull())
        .addColumn('used_at', timestamp)
        .execute();

      await db.schema
        .createTable('tasks')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('number', 'integer', (column) => column.notNull())
        .addColumn('title', 'text', (column) => column.notNull())
        .addColumn('description', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('priority', 'text', (column) => column.notNull())
        .addColumn('priority_rank', 'integer', (column) => column.notNull())
        .addColumn('creator_kind', 'text', (column) => column.notNull())
        .addColumn('creator_id', 'text', (column) => column.notNull())
        .addColumn('parent_id', 'text', (column) => column.references('tasks.id').onDelete('set null'))
        .addColumn('due_at', timestamp)
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .addColumn('completed_at', timestamp)
        .addUniqueConstraint('tasks_number_unique', ['workspace_id', 'number'])
        .execute();
      await db.schema.createIndex('tasks_board_idx').on('tasks').columns(['workspace_id', 'status', 'priority_rank']).execute();
      await db.schema.createIndex('tasks_parent_idx').on('tasks').column('parent_id').execute();

      await db.schema
        .createTable('task_assignees')
        .addColumn('task_id', 'text', (column) => column.notNull().references('tasks.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('assignee_kind', 'text', (column) => column.notNull())
        .addColumn('assignee_id', 'text', (column) => column.notNull())
        .addColumn('assigned_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('task_assignees_pk', ['task_id', 'assignee_kind', 'assignee_id'])
        .execute();
      await db.schema.createIndex('task_assignees_assignee_idx').on('task_assignees').columns(['assignee_id', 'task_id']).execute();

      await db.schema
        .createTable('task_dependencies')
        .addColumn('task_id', 'text', (column) => column.notNull().references('tasks.id').onDelete('cascade'))
        .addColumn('depends_on_id', 'text', (column) => column.notNull().references('tasks.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('task_dependencies_pk', ['task_id', 'depends_on_id'])
        .execute();
      await db.schema.createIndex('task_dependencies_reverse_idx').on('task_dependencies').column('depends_on_id').execute();

      await db.schema
        .createTable('task_capabilities')
        .addColumn('task_id', 'text', (column) => column.notNull().references('tasks.id').onDelete('cascade'))
        .addColumn('capability', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('task_capabilities_pk', ['task_id', 'capability'])
        .execute();

      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('task_id', 'text', (column) => column.notNull().references('tasks.id').onDelete('cascade'))
        .addColumn('author_kind', 'text', (column) => column.notNull())
        .addColumn('author_id', 'text', (column) => column.notNull())
        .addColumn('content', 'text', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('reply_to_id', 'text', (column) => column.references('messages.id').onDelete('set null'))
        .addColumn('attachments', json, (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('messages_task_idx').on('messages').columns(['task_id', 'id']).execute();

      await db.schema
        .createTable('documents')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('task_id', 'text', (column) => column.references('tasks.id').onDelete('set null'))
        .addColumn('title', 'text', (column) => column.notNull())
        .addColumn('content', 'text', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('author_kind', 'text', (column) => column.notNull())
        .addColumn('author_id', 'text', (column) => column.notNull())
        .addColumn('version', 'integer', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('documents_workspace_idx').on('documents').columns(['workspace_id', 'id']).execute();
      await db.schema.createIndex('documents_task_idx').on('documents').column('task_id').execute();

      await db.schema
        .createTable('document_versions')
        .addColumn('document_id', 'text', (column) => column.notNull().references('documents.id').onDelete('cascade'))
        .addColumn('version', 'integer', (column) => column.notNull())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('title', 'text', (column) => column.notNull())
        .addColumn('content', 'text', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('author_kind', 'text', (column) => column.notNull())
        .addColumn('author_id', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('document_versions_pk', ['document_id', 'version'])
        .execute();

      await db.schema
        .createTable('events')
        .addColumn('seq', engine === 'postgres' ? 'bigserial' : 'integer', (column) =>
          engine === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
        )
        .addColumn('id', 'text', (column) => column.notNull().unique())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('actor_kind', 'text')
        .addColumn('actor_id', 'text')
        .addColumn('task_id', 'text')
        .addColumn('agent_id', 'text')
        .addColumn('summary', 'text', (column) => column.notNull())
        .addColumn('data', json, (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('events_workspace_idx').on('events').columns(['workspace_id', 'seq']).execute();
      await db.schema.createIndex('events_task_idx').on('events').columns(['task_id', 'seq']).execute();
      await db.schema.createIndex('events_agent_idx').on('events').columns(['agent_id', 'seq']).execute();
      await db.schema.createIndex('events_actor_idx').on('events').columns(['actor_id', 'seq']).execute();

      await db.schema
        .createTable('notifications')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('recipient_kind', 'text', (column) => column.notNull())
        .addColumn('recipient_id', 'text', (column) => column.notNull())
        .addColumn('task_id', 'text', (column) => column.references('tasks.id').onDelete('set null'))
        .addColumn('reason', 'text', (column) => column.notNull())
        .addColumn('content', 'text', (column) => column.notNull())
        .addColumn('delivered_at', timestamp)
        .addColumn('read_at', timestamp)
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('notifications_recipient_idx')
        .on('notifications')
        .columns(['recipient_id', 'workspace_id', 'id'])
        .execute();

      await db.schema
        .createTable('instance_secrets')
        .addColumn('name', 'text', (column) => column.primaryKey())
        .addColumn('value', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
    },
  };
}
