import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * GitHub: connected repositories (token and webhook secret sealed under the instance secret, the
 * event cursor their feed reads from, the ETags of their conditional polls and a sync lease), the
 * issues linked to tasks, the pull requests opened for tasks, and the issue comments already seen
 * (posted by us, or brought in) so none is echoed or brought in twice.
 */
export function createGithubMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  const sequence = engine === 'postgres' ? 'bigint' : 'integer';

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('github_connections')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('owner', 'text', (column) => column.notNull())
        .addColumn('repo', 'text', (column) => column.notNull())
        .addColumn('label', 'text', (column) => column.notNull())
        .addColumn('capability_mapping', json, (column) => column.notNull())
        .addColumn('assignee_mapping', json, (column) => column.notNull())
        .addColumn('token', 'text', (column) => column.notNull())
        .addColumn('webhook_secret', 'text', (column) => column.notNull())
        .addColumn('disabled_at', timestamp)
        // The last event the feed looked at: status changes and runner branches after it go to GitHub.
        .addColumn('cursor_seq', sequence, (column) => column.notNull())
        .addColumn('issues_etag', 'text')
        .addColumn('comments_etag', 'text')
        .addColumn('comments_since', 'text')
        .addColumn('last_polled_at', timestamp)
        .addColumn('last_changed_at', timestamp)
        .addColumn('last_error', 'text')
        // One instance syncs a connection at a time.
        .addColumn('lease_holder', 'text')
        .addColumn('lease_expires_at', timestamp)
        .addColumn('created_by_kind', 'text', (column) => column.notNull())
        .addColumn('created_by_id', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .addUniqueConstraint('github_connections_repository_unique', ['workspace_id', 'owner', 'repo'])
        .execute();

      await db.schema
        .createTable('github_issue_links')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('connection_id', 'text', (column) => column.notNull().references('github_connections.id').onDelete('cascade'))
        .addColumn('issue_number', 'integer', (column) => column.notNull())
        .addColumn('task_id', 'text', (column) => column.notNull().references('tasks.id').onDelete('cascade'))
        .addColumn('url', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addUniqueConstraint('github_issue_links_issue_unique', ['connection_id', 'issue_number'])
        .execute();
      await db.schema.createIndex('github_issue_links_task_idx').on('github_issue_links').columns(['task_id']).execute();

      await db.schema
        .createTable('github_pull_requests')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('connection_id', 'text', (column) => column.notNull().references('github_connections.id').onDelete('cascade'))
        .addColumn('task_id', 'text', (column) => column.notNull().references('tasks.id').onDelete('cascade'))
        .addColumn('number', 'integer', (column) => column.notNull())
        .addColumn('branch', 'text', (column) => column.notNull())
        .addColumn('url', 'text', (column) => column.notNull())
        .addColumn('state', 'text', (column) => column.notNull())
        .addColumn('etag', 'text')
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .addUniqueConstraint('github_pull_requests_number_unique', ['connection_id', 'number'])
        .execute();
      await db.schema.createIndex('github_pull_requests_task_idx').on('github_pull_requests').columns(['task_id']).execute();

      await db.schema
        .createTable('github_comment_marks')
        .addColumn('connection_id', 'text', (column) => column.notNull().references('github_connections.id').onDelete('cascade'))
        .addColumn('comment_id', sequence, (column) => column.notNull())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        // sent: posted by this server (never brought back); received: already a message.
        .addColumn('direction', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('github_comment_marks_pk', ['connection_id', 'comment_id'])
        .execute();
    },
  };
}
