import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Workflows: definitions with every version kept, runs and their steps (the engine's durable
 * state: a run advances from these rows alone, under a lease so one instance at a time), the
 * engine's event cursor per workspace, approvals (every kind of human gate), routines (cron) and
 * triggers (event rules, each with its own event cursor).
 */
export function createWorkflowsMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  const sequence = engine === 'postgres' ? 'bigint' : 'integer';

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('workflows')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('description', 'text', (column) => column.notNull())
        .addColumn('version', 'integer', (column) => column.notNull())
        .addColumn('created_by_kind', 'text', (column) => column.notNull())
        .addColumn('created_by_id', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .addUniqueConstraint('workflows_workspace_name_unique', ['workspace_id', 'name'])
        .execute();

      await db.schema
        .createTable('workflow_versions')
        .addColumn('workflow_id', 'text', (column) => column.notNull().references('workflows.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('version', 'integer', (column) => column.notNull())
        .addColumn('definition', json, (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('workflow_versions_pk', ['workflow_id', 'version'])
        .execute();

      await db.schema
        .createTable('workflow_runs')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        // No foreign key: a run goes on (and stays readable) when its workflow is deleted.
        .addColumn('workflow_id', 'text', (column) => column.notNull())
        .addColumn('workflow_name', 'text', (column) => column.notNull())
        .addColumn('version', 'integer', (column) => column.notNull())
        .addColumn('definition', json, (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('inputs', json, (column) => column.notNull())
        .addColumn('error', 'text')
        .addColumn('parent_run_id', 'text')
        .addColumn('parent_step_row_id', 'text')
        // How many trigger actions deep this run was caused (the triggers' loop guard).
        .addColumn('depth', 'integer', (column) => column.notNull())
        .addColumn('started_by_kind', 'text', (column) => column.notNull())
        .addColumn('started_by_id', 'text', (column) => column.notNull())
        .addColumn('started_by_role', 'text', (column) => column.notNull())
        .addColumn('started_at', timestamp, (column) => column.notNull())
        .addColumn('finished_at', timestamp)
        // When the engine should look at the run next (a task finished, a timer is due); null when nothing is due.
        .addColumn('wake_at', timestamp)
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', timestamp)
        .execute();
      await db.schema.createIndex('workflow_runs_workspace_idx').on('workflow_runs').columns(['workspace_id', 'id']).execute();
      await db.schema.createIndex('workflow_runs_wake_idx').on('workflow_runs').columns(['wake_at']).execute();

      await db.schema
        .createTable('workflow_steps')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('run_id', 'text', (column) => column.notNull().references('workflow_runs.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('step_id', 'text', (column) => column.notNull())
        // -1 for the step itself; 0… for the items of a forEach.
        .addColumn('item_index', 'integer', (column) => column.notNull())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('task_id', 'text')
        .addColumn('approval_id', 'text')
        .addColumn('child_run_id', 'text')
        .addColumn('attempts', 'integer', (column) => column.notNull())
        .addColumn('item', json)
        .addColumn('output', json)
        .addColumn('error', 'text')
        .addColumn('started_at', timestamp)
        .addColumn('finished_at', timestamp)
        .addColumn('wake_at', timestamp)
        .addUniqueConstraint('workflow_steps_run_step_item_unique', ['run_id', 'step_id', 'item_index'])
        .execute();
      await db.schema.createIndex('workflow_steps_task_idx').on('workflow_steps').columns(['task_id']).execute();

      await db.schema
        .createTable('workflow_feed_cursors')
        .addColumn('workspace_id', 'text', (column) => column.primaryKey().references('workspaces.id').onDelete('cascade'))
        .addColumn('cursor_seq', sequence, (column) => column.notNull())
        .execute();

      await db.schema
        .createTable('approvals')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('title', 'text', (column) => column.notNull())
        .addColumn('source', json, (column) => column.notNull())
        .addColumn('approver_roles', json, (column) => column.notNull())
        .addColumn('requested_by_kind', 'text')
        .addColumn('requested_by_id', 'text')
        .addColumn('decided_by_kind', 'text')
        .addColumn('decided_by_id', 'text')
        .addColumn('comment', 'text')
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('expires_at', timestamp)
        .addColumn('decided_at', timestamp)
        .execute();
      await db.schema.createIndex('approvals_workspace_idx').on('approvals').columns(['workspace_id', 'status', 'id']).execute();

      await db.schema
        .createTable('routines')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('schedule', 'text', (column) => column.notNull())
        .addColumn('timezone', 'text', (column) => column.notNull())
        .addColumn('workflow_id', 'text')
        .addColumn('task', json)
        .addColumn('inputs', json, (column) => column.notNull())
        .addColumn('ab_split', json)
        .addColumn('enabled', 'integer', (column) => column.notNull())
        .addColumn('next_run_at', timestamp)
        .addColumn('last_run_at', timestamp)
        .addColumn('created_by_kind', 'text', (column) => column.notNull())
        .addColumn('created_by_id', 'text', (column) => column.notNull())
        .addColumn('created_by_role', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('routines_due_idx').on('routines').columns(['next_run_at']).execute();

      await db.schema
        .createTable('triggers')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('on_event', 'text', (column) => column.notNull())
        .addColumn('if_expression', 'text')
        .addColumn('action', json, (column) => column.notNull())
        .addColumn('enabled', 'integer', (column) => column.notNull())
        .addColumn('max_depth', 'integer', (column) => column.notNull())
        .addColumn('cursor_seq', sequence, (column) => column.notNull())
        .addColumn('fired_count', 'integer', (column) => column.notNull())
        .addColumn('created_by_kind', 'text', (column) => column.notNull())
        .addColumn('created_by_id', 'text', (column) => column.notNull())
        .addColumn('created_by_role', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'triggers',
        'routines',
        'approvals',
        'workflow_feed_cursors',
        'workflow_steps',
        'workflow_runs',
        'workflow_versions',
        'workflows',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
