import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Agent memory: memories with their embedding (a float32 blob read by sqlite-vec on SQLite, a
 * real[] on PostgreSQL where cosine is computed exactly in SQL), who else recalls them, and a
 * full-text index kept current in the writing transaction: an FTS5 table fed by triggers on
 * SQLite, a generated tsvector column with a GIN index on PostgreSQL.
 */
export function createMemoryAndSearchMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';

  return {
    async up(db: Kysely<unknown>) {
      let memories = db.schema
        .createTable('agent_memories')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('agent_id', 'text', (column) => column.notNull())
        .addColumn('content', 'text', (column) => column.notNull())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('tags', json, (column) => column.notNull())
        .addColumn('task_id', 'text')
        .addColumn('importance', 'integer', (column) => column.notNull())
        // Set when every agent of the workspace recalls it.
        .addColumn('shared_with_workspace_at', timestamp)
        .addColumn('embedding_model', 'text')
        .addColumn('created_at', timestamp, (column) => column.notNull());
      memories =
        engine === 'postgres'
          ? memories
              .addColumn('embedding', sql`real[]`)
              .addColumn('search_vector', sql`tsvector`, (column) =>
                column.generatedAlwaysAs(sql`to_tsvector('english', content)`).stored(),
              )
          : memories.addColumn('embedding', 'blob');
      await memories.execute();
      await db.schema.createIndex('agent_memories_agent_idx').on('agent_memories').columns(['workspace_id', 'agent_id', 'id']).execute();

      await db.schema
        .createTable('agent_memory_shares')
        .addColumn('memory_id', 'text', (column) => column.notNull())
        .addColumn('agent_id', 'text', (column) => column.notNull())
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('shared_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('agent_memory_shares_pk', ['memory_id', 'agent_id'])
        .execute();
      await db.schema
        .createIndex('agent_memory_shares_agent_idx')
        .on('agent_memory_shares')
        .columns(['workspace_id', 'agent_id'])
        .execute();

      await createSearchEntries(db, engine);
      if (engine === 'postgres') {
        await sql`create index agent_memories_search_idx on agent_memories using gin (search_vector)`.execute(db);
        return;
      }
      // Porter stemming so "resets" finds "reset", as the English configuration does on PostgreSQL.
      await sql`create virtual table agent_memories_fts using fts5(memory_id unindexed, content, tokenize = 'porter unicode61')`.execute(
        db,
      );
      await sql`create trigger agent_memories_fts_insert after insert on agent_memories begin
        insert into agent_memories_fts (memory_id, content) values (new.id, new.content);
      end`.execute(db);
      await sql`create trigger agent_memories_fts_delete after delete on agent_memories begin
        delete from agent_memories_fts where memory_id = old.id;
      end`.execute(db);
      await sql`create trigger agent_memories_fts_update after update of content on agent_memories begin
        update agent_memories_fts set content = new.content where memory_id = old.id;
      end`.execute(db);
    },
  };
}

/** What each searchable table puts in the one search index: its type, and the SQL of its columns for a row (new or old). */
const searchSources = [
  {
    table: 'tasks',
    type: 'task',
    taskId: 'id',
    agentId: 'null',
    title: 'title',
    body: 'description',
    updated: 'updated_at',
    watched: 'title, description',
  },
  {
    table: 'messages',
    type: 'message',
    taskId: 'task_id',
    agentId: 'null',
    title: "''",
    body: 'content',
    updated: 'created_at',
    watched: 'content',
  },
  {
    table: 'documents',
    type: 'document',
    taskId: 'task_id',
    agentId: 'null',
    title: 'title',
    body: 'content',
    updated: 'updated_at',
    watched: 'title, content, task_id',
  },
  {
    table: 'agent_memories',
    type: 'memory',
    taskId: 'task_id',
    agentId: 'agent_id',
    title: "''",
    body: 'content',
    updated: 'created_at',
    watched: 'content',
  },
] as const;

function columnsOf(source: (typeof searchSources)[number], row: 'new' | 'old' | null): string {
  const prefix = (column: string) => (column === 'null' || column.startsWith("'") || row === null ? column : `${row}.${column}`);
  return [
    `'${source.type}'`,
    prefix('id'),
    prefix('workspace_id'),
    prefix(source.taskId),
    prefix(source.agentId),
    prefix(source.title),
    prefix(source.body),
    prefix(source.updated),
  ].join(', ');
}

/**
 * One search over tasks, messages, documents and memories: a search_entries index that triggers
 * keep current in the transaction of every write (an FTS5 table on SQLite; a table with a
 * weighted tsvector column and a GIN index on PostgreSQL), filled from the existing rows here.
 */
async function createSearchEntries(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const insertColumns = 'entity_type, entity_id, workspace_id, task_id, agent_id, title, body, updated_at';
  if (engine === 'postgres') {
    await sql`create table search_entries (
      entity_type text not null,
      entity_id text not null,
      workspace_id text not null,
      task_id text,
      agent_id text,
      title text not null,
      body text not null,
      updated_at timestamptz not null,
      search_vector tsvector generated always as (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) stored,
      primary key (entity_type, entity_id)
    )`.execute(db);
    await sql`create index search_entries_vector_idx on search_entries using gin (search_vector)`.execute(db);
    await sql`create index search_entries_workspace_idx on search_entries (workspace_id, entity_type)`.execute(db);
    for (const source of searchSources) {
      const fn = sql.raw(`search_entries_from_${source.table}`);
      await sql`create function ${fn}() returns trigger language plpgsql as $body$
        begin
          if tg_op = 'DELETE' then
            delete from search_entries where entity_type = ${sql.lit(source.type)} and entity_id = old.id;
            return old;
          end if;
          insert into search_entries (${sql.raw(insertColumns)}) values (${sql.raw(columnsOf(source, 'new'))})
          on conflict (entity_type, entity_id) do update set title = excluded.title, body = excluded.body, task_id = excluded.task_id, updated_at = excluded.updated_at;
          return new;
        end
      $body$`.execute(db);
      await sql`create trigger ${sql.raw(`${source.table}_search_entries`)} after insert or update of ${sql.raw(source.watched)} or delete on ${sql.table(source.table)}
        for each row execute function ${fn}()`.execute(db);
      await sql`insert into search_entries (${sql.raw(insertColumns)}) select ${sql.raw(columnsOf(source, null))} from ${sql.table(source.table)}`.execute(
        db,
      );
    }
    return;
  }
  // The rows live in a plain table (unique per entity, so the source triggers find them by index);
  // FTS5 indexes it as external content, kept in step by the usual three triggers.
  await sql`create table search_entries_rows (
    id integer primary key autoincrement,
    entity_type text not null,
    entity_id text not null,
    workspace_id text not null,
    task_id text,
    agent_id text,
    title text not null,
    body text not null,
    updated_at text not null
  )`.execute(db);
  await sql`create unique index search_entries_rows_entity_idx on search_entries_rows (entity_type, entity_id)`.execute(db);
  await sql`create virtual table search_entries using fts5(title, body, content = 'search_entries_rows', content_rowid = 'id', tokenize = 'porter unicode61')`.execute(
    db,
  );
  await sql`create trigger search_entries_rows_insert after insert on search_entries_rows begin
    insert into search_entries (rowid, title, body) values (new.id, new.title, new.body);
  end`.execute(db);
  await sql`create trigger search_entries_rows_delete after delete on search_entries_rows begin
    insert into search_entries (search_entries, rowid, title, body) values ('delete', old.id, old.title, old.body);
  end`.execute(db);
  await sql`create trigger search_entries_rows_update after update on search_entries_rows begin
    insert into search_entries (search_entries, rowid, title, body) values ('delete', old.id, old.title, old.body);
    insert into search_entries (rowid, title, body) values (new.id, new.title, new.body);
  end`.execute(db);
  for (const source of searchSources) {
    const key = `entity_type = '${source.type}' and entity_id = old.id`;
    const add = `insert into search_entries_rows (${insertColumns}) values (${columnsOf(source, 'new')});`;
    const change = `update search_entries_rows set title = ${source.title === "''" ? "''" : `new.${source.title}`}, body = new.${source.body}, task_id = new.${source.taskId}, updated_at = new.${source.updated} where ${key};`;
    await sql.raw(`create trigger ${source.table}_search_insert after insert on ${source.table} begin ${add} end`).execute(db);
    await sql
      .raw(`create trigger ${source.table}_search_update after update of ${source.watched} on ${source.table} begin ${change} end`)
      .execute(db);
    await sql
      .raw(
        `create trigger ${source.table}_search_delete after delete on ${source.table} begin delete from search_entries_rows where ${key}; end`,
      )
      .execute(db);
    await sql.raw(`insert into search_entries_rows (${insertColumns}) select ${columnsOf(source, null)} from ${source.table}`).execute(db);
  }
}
