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
