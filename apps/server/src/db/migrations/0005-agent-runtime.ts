import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../database.js';

/**
 * The built-in agent runtime: per-agent runtime settings with the scheduler state on the same
 * row (the tick reads one row per agent), the runs with their transcripts, monthly budgets,
 * per-workspace runtime settings, and chat history with agents.
 */
export function createAgentRuntimeMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  const real = engine === 'postgres' ? 'double precision' : 'real';

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('agent_runtimes')
        .addColumn('agent_id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('runtime', 'text', (column) => column.notNull())
        .addColumn('provider', 'text')
        .addColumn('model', 'text')
        .addColumn('temperature', real)
        .addColumn('step_limit', 'integer', (column) => column.notNull())
        .addColumn('instructions', 'text', (column) => column.notNull())
        // The agent's own API key for its turns, encrypted with a key derived from the instance secret.
        .addColumn('credential', 'text')
        .addColumn('state', 'text', (column) => column.notNull())
        .addColumn('next_run_at', timestamp)
        .addColumn('last_run_at', timestamp)
        .addColumn('failures', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('backoff_until', timestamp)
        .addColumn('last_error', 'text')
        .addColumn('wake_requested_at', timestamp)
        .addColumn('wake_task_id', 'text')
        // What the last completed turn saw; a tick whose heartbeat shows the same work runs no turn.
        .addColumn('work_fingerprint', 'text')
        // One runner per agent across instances: whoever holds an unexpired lease runs it.
        .addColumn('lease_holder', 'text')
        .addColumn('lease_expires_at', timestamp)
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('agent_runtimes_due_idx').on('agent_runtimes').columns(['runtime', 'next_run_at']).execute();

      await db.schema
        .createTable('agent_runs')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('agent_id', 'text', (column) => column.notNull())
        .addColumn('task_id', 'text')
        .addColumn('trigger', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('provider', 'text', (column) => column.notNull())
        .addColumn('model', 'text', (column) => column.notNull())
        .addColumn('prompt', json, (column) => column.notNull())
        .addColumn('output', 'text', (column) => column.notNull())
        .addColumn('tokens_in', 'integer', (column) => column.notNull())
        .addColumn('tokens_out', 'integer', (column) => column.notNull())
        .addColumn('cost_micro_dollars', 'bigint', (column) => column.notNull())
        .addColumn('model_calls', 'integer', (column) => column.notNull())
        .addColumn('duration_ms', 'integer')
        .addColumn('error', 'text')
        .addColumn('started_at', timestamp, (column) => column.notNull())
        .addColumn('finished_at', timestamp)
        .execute();
      await db.schema.createIndex('agent_runs_agent_idx').on('agent_runs').columns(['agent_id', 'started_at']).execute();
      await db.schema.createIndex('agent_runs_workspace_idx').on('agent_runs').columns(['workspace_id', 'started_at']).execute();
      await db.schema.createIndex('agent_runs_task_idx').on('agent_runs').column('task_id').execute();

      await db.schema
        .createTable('agent_run_steps')
        .addColumn('run_id', 'text', (column) => column.notNull())
        .addColumn('step_index', 'integer', (column) => column.notNull())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('step', json, (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('agent_run_steps_pk', ['run_id', 'step_index'])
        .execute();

      await db.schema
        .createTable('budgets')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('agent_id', 'text')
        // agent id, or "workspace": one budget per scope (a unique index cannot see two NULLs as equal).
        .addColumn('scope', 'text', (column) => column.notNull())
        .addColumn('monthly_token_limit', 'bigint')
        .addColumn('monthly_cost_limit_micro_dollars', 'bigint')
        // The month (YYYY-MM) whose 80% warning and 100% stop were announced, so each is said once.
        .addColumn('warned_period', 'text')
        .addColumn('exhausted_period', 'text')
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('budgets_scope_idx').on('budgets').columns(['workspace_id', 'scope']).unique().execute();

      await db.schema
        .createTable('workspace_runtime_settings')
        .addColumn('workspace_id', 'text', (column) => column.primaryKey())
        .addColumn('auto_assign_enabled_at', timestamp)
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();

      await db.schema
        .createTable('agent_chat_messages')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('agent_id', 'text', (column) => column.notNull())
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('author_id', 'text')
        .addColumn('content', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('agent_chat_messages_conversation_idx')
        .on('agent_chat_messages')
        .columns(['agent_id', 'user_id', 'created_at'])
        .execute();
    },
  };
}
