import { type Kysely, type Migration, sql } from 'kysely';
import { createId } from '../../core/ids.js';
import type { Engine } from '../database.js';

/**
 * Outcomes and skills. task_outcomes: one row per agent when a task ends (done, failed, sent back,
 * escalated), written in the transaction of the status change, with the required capabilities in
 * a child table so the scorer and `?capability=` filter by index. skills: versioned markdown
 * procedures (versions like documents), their capabilities, and the tasks agents used them for.
 * Skills join the one search index (search_entries) through triggers, as decision 0012 set out.
 * Existing done and failed tasks with agent assignees are backfilled as outcomes, so the
 * assignment score keeps its history.
 */
export function createSkillsMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('task_outcomes')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('task_id', 'text', (column) => column.notNull())
        .addColumn('agent_id', 'text', (column) => column.notNull())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('capabilities', json, (column) => column.notNull())
        .addColumn('duration_ms', 'bigint', (column) => column.notNull())
        .addColumn('cost_micro_dollars', 'bigint', (column) => column.notNull())
        .addColumn('model_calls', 'integer', (column) => column.notNull())
        .addColumn('review', 'text', (column) => column.notNull())
        .addColumn('reason', 'text')
        .addColumn('recorded_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('task_outcomes_workspace_idx').on('task_outcomes').columns(['workspace_id', 'id']).execute();
      await db.schema.createIndex('task_outcomes_agent_idx').on('task_outcomes').columns(['workspace_id', 'agent_id', 'id']).execute();
      await db.schema.createIndex('task_outcomes_task_idx').on('task_outcomes').columns(['task_id', 'agent_id']).execute();
      await db.schema
        .createTable('task_outcome_capabilities')
        .addColumn('outcome_id', 'text', (column) => column.notNull())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('capability', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('task_outcome_capabilities_pk', ['outcome_id', 'capability'])
        .execute();
      await db.schema
        .createIndex('task_outcome_capabilities_idx')
        .on('task_outcome_capabilities')
        .columns(['workspace_id', 'capability', 'outcome_id'])
        .execute();

      await db.schema
        .createTable('skills')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('description', 'text', (column) => column.notNull())
        .addColumn('body', 'text', (column) => column.notNull())
        .addColumn('capabilities', json, (column) => column.notNull())
        .addColumn('source_task_id', 'text')
        .addColumn('version', 'integer', (column) => column.notNull())
        .addColumn('author_kind', 'text', (column) => column.notNull())
        .addColumn('author_id', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('skills_workspace_idx').on('skills').columns(['workspace_id', 'id']).execute();
      await db.schema
        .createTable('skill_versions')
        .addColumn('skill_id', 'text', (column) => column.notNull())
        .addColumn('version', 'integer', (column) => column.notNull())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('description', 'text', (column) => column.notNull())
        .addColumn('body', 'text', (column) => column.notNull())
        .addColumn('capabilities', json, (column) => column.notNull())
        .addColumn('author_kind', 'text', (column) => column.notNull())
        .addColumn('author_id', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('skill_versions_pk', ['skill_id', 'version'])
        .execute();
      await db.schema
        .createTable('skill_capabilities')
        .addColumn('skill_id', 'text', (column) => column.notNull())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('capability', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('skill_capabilities_pk', ['skill_id', 'capability'])
        .execute();
      await db.schema.createIndex('skill_capabilities_idx').on('skill_capabilities').columns(['workspace_id', 'capability']).execute();
      await db.schema
        .createTable('skill_uses')
        .addColumn('skill_id', 'text', (column) => column.notNull())
        .addColumn('task_id', 'text', (column) => column.notNull())
        .addColumn('agent_id', 'text', (column) => column.notNull())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('used_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('skill_uses_pk', ['skill_id', 'task_id', 'agent_id'])
        .execute();
      await db.schema.createIndex('skill_uses_agent_idx').on('skill_uses').columns(['workspace_id', 'agent_id']).execute();

      await indexSkillsForSearch(db, engine);
      await backfillOutcomes(db);
    },
  };
}

/** Skills in search_entries: the name as the title, the description and procedure as the body. */
async function indexSkillsForSearch(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const columns = 'entity_type, entity_id, workspace_id, task_id, agent_id, title, body, updated_at';
  const values = (row: string) =>
    `'skill', ${row}.id, ${row}.workspace_id, ${row}.source_task_id, null, ${row}.name, ${row}.description || ' ' || ${row}.body, ${row}.updated_at`;
  if (engine === 'postgres') {
    await sql`create function search_entries_from_skills() returns trigger language plpgsql as $body$
      begin
        if tg_op = 'DELETE' then
          delete from search_entries where entity_type = 'skill' and entity_id = old.id;
          return old;
        end if;
        insert into search_entries (${sql.raw(columns)}) values (${sql.raw(values('new'))})
        on conflict (entity_type, entity_id) do update set title = excluded.title, body = excluded.body, task_id = excluded.task_id, updated_at = excluded.updated_at;
        return new;
      end
    $body$`.execute(db);
    await sql`create trigger skills_search_entries after insert or update of name, description, body or delete on skills
      for each row execute function search_entries_from_skills()`.execute(db);
    return;
  }
  const key = `entity_type = 'skill' and entity_id = old.id`;
  await sql
    .raw(
      `create trigger skills_search_insert after insert on skills begin insert into search_entries_rows (${columns}) values (${values('new')}); end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger skills_search_update after update of name, description, body on skills begin update search_entries_rows set title = new.name, body = new.description || ' ' || new.body, updated_at = new.updated_at where ${key}; end`,
    )
    .execute(db);
  await sql
    .raw(`create trigger skills_search_delete after delete on skills begin delete from search_entries_rows where ${key}; end`)
    .execute(db);
}

/** Done and failed tasks already on the board become outcomes of their agent assignees (no cost: runs were not linked then). */
async function backfillOutcomes(db: Kysely<unknown>): Promise<void> {
  const ended = await sql<{
    id: string;
    workspace_id: string;
    status: string;
    created_at: string | Date;
    updated_at: string | Date;
    assignee_id: string;
  }>`select t.id, t.workspace_id, t.status, t.created_at, t.updated_at, a.assignee_id
    from tasks t join task_assignees a on a.task_id = t.id
    where a.assignee_kind = 'agent' and t.status in ('done', 'failed')`.execute(db);
  for (const row of ended.rows) {
    const capabilities = await sql<{ capability: string }>`select capability from task_capabilities where task_id = ${row.id}`.execute(db);
    const names = capabilities.rows.map((capability) => capability.capability);
    const createdAt = new Date(row.created_at);
    const recordedAt = new Date(row.updated_at);
    const id = createId();
    await sql`insert into task_outcomes (id, workspace_id, task_id, agent_id, kind, capabilities, duration_ms, cost_micro_dollars, model_calls, review, reason, recorded_at)
      values (${id}, ${row.workspace_id}, ${row.id}, ${row.assignee_id}, ${row.status}, ${JSON.stringify(names)},
        ${Math.max(0, recordedAt.getTime() - createdAt.getTime())}, 0, 0, 'none', null, ${recordedAt.toISOString()})`.execute(db);
    for (const capability of names) {
      await sql`insert into task_outcome_capabilities (outcome_id, workspace_id, capability) values (${id}, ${row.workspace_id}, ${capability})`.execute(
        db,
      );
    }
  }
}
