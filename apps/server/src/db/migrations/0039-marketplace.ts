import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/**
 * The marketplace (issue 20, decision 0036): listings of agent templates, workflows, skills and
 * bundles, with versions (their content frozen), installations into workspaces, and reviews with
 * reports and moderation. Listings belong to the server, not to a workspace. Full-text search is
 * the engine's own: an FTS5 table kept by triggers on SQLite, a generated tsvector on PostgreSQL.
 */
export function createMarketplaceMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const json = engine === 'postgres' ? 'jsonb' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('marketplace_listings')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('title', 'text', (column) => column.notNull())
        .addColumn('summary', 'text', (column) => column.notNull())
        .addColumn('description', 'text', (column) => column.notNull())
        .addColumn('category', 'text', (column) => column.notNull())
        .addColumn('tags', json, (column) => column.notNull())
        // The tags as words, for the full-text index (a generated column cannot read json arrays).
        .addColumn('tags_text', 'text', (column) => column.notNull())
        .addColumn('publisher_kind', 'text', (column) => column.notNull())
        .addColumn('publisher_id', 'text', (column) => column.notNull())
        .addColumn('created_by', 'text', (column) => column.references('users.id').onDelete('set null'))
        // Whose members see an organisation-only listing: the publishing organisation, or the one
        // owning the workspace a person published from.
        .addColumn('organization_id', 'text', (column) => column.references('organizations.id').onDelete('set null'))
        .addColumn('visibility', 'text', (column) => column.notNull())
        .addColumn('pricing', json, (column) => column.notNull())
        .addColumn('pricing_model', 'text', (column) => column.notNull())
        .addColumn('latest_version', 'text', (column) => column.notNull())
        // Where the content was built from, for the next version: [{kind, id}] in source_workspace_id.
        .addColumn('sources', json, (column) => column.notNull())
        .addColumn('source_workspace_id', 'text', (column) => column.references('workspaces.id').onDelete('set null'))
        .addColumn('forked_from_listing_id', 'text', (column) => column.references('marketplace_listings.id').onDelete('set null'))
        .addColumn('forked_from_title', 'text')
        .addColumn('forked_from_version', 'text')
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        // Deleted listings stay for their installations (uninstall, reviews); nothing shows them.
        .addColumn('deleted_at', timestamp)
        .execute();
      await db.schema.createIndex('marketplace_listings_newest').on('marketplace_listings').columns(['created_at', 'id']).execute();
      await db.schema
        .createIndex('marketplace_listings_publisher')
        .on('marketplace_listings')
        .columns(['publisher_kind', 'publisher_id'])
        .execute();

      await db.schema
        .createTable('marketplace_listing_versions')
        .addColumn('listing_id', 'text', (column) => column.notNull().references('marketplace_listings.id').onDelete('cascade'))
        .addColumn('version', 'text', (column) => column.notNull())
        .addColumn('changelog', 'text', (column) => column.notNull())
        .addColumn('content', json, (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('marketplace_listing_versions_pk', ['listing_id', 'version'])
        .execute();

      await db.schema
        .createTable('marketplace_installations')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('listing_id', 'text', (column) => column.notNull().references('marketplace_listings.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('version', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('items', json, (column) => column.notNull())
        .addColumn('installed_by', 'text', (column) => column.references('users.id').onDelete('set null'))
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('marketplace_installations_listing')
        .on('marketplace_installations')
        .columns(['listing_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('marketplace_installations_workspace')
        .on('marketplace_installations')
        .columns(['workspace_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('marketplace_reviews')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('listing_id', 'text', (column) => column.notNull().references('marketplace_listings.id').onDelete('cascade'))
        .addColumn('version', 'text', (column) => column.notNull())
        .addColumn('author_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
        .addColumn('rating', 'integer', (column) => column.notNull())
        .addColumn('body', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('matched_words', json, (column) => column.notNull())
        .addColumn('reply_body', 'text')
        .addColumn('reply_at', timestamp)
        .addColumn('moderation_decision', 'text')
        .addColumn('moderation_reason', 'text')
        .addColumn('moderated_by', 'text')
        .addColumn('moderated_at', timestamp)
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('marketplace_reviews_one_per_version')
        .on('marketplace_reviews')
        .columns(['listing_id', 'version', 'author_id'])
        .unique()
        .execute();
      // The moderation queue (by status, oldest first) and the ratings of a listing (covering).
      await db.schema.createIndex('marketplace_reviews_status').on('marketplace_reviews').columns(['status', 'id']).execute();
      await db.schema
        .createIndex('marketplace_reviews_listing')
        .on('marketplace_reviews')
        .columns(['listing_id', 'status', 'rating'])
        .execute();

      await db.schema
        .createTable('marketplace_review_reports')
        .addColumn('review_id', 'text', (column) => column.notNull().references('marketplace_reviews.id').onDelete('cascade'))
        .addColumn('reporter_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
        .addColumn('reason', 'text', (column) => column.notNull())
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('marketplace_review_reports_pk', ['review_id', 'reporter_id'])
        .execute();

      await db.schema
        .createTable('marketplace_settings')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('blocked_words', json, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();

      if (engine === 'postgres') {
        await sql`alter table marketplace_listings add column search_vector tsvector generated always as (
            setweight(to_tsvector('english', title), 'A')
            || setweight(to_tsvector('english', summary || ' ' || tags_text), 'B')
            || setweight(to_tsvector('english', description), 'C')
          ) stored`.execute(db);
        await sql`create index marketplace_listings_search on marketplace_listings using gin (search_vector)`.execute(db);
        return;
      }
      // Keyed by the listing id, not the rowid: VACUUM may renumber the rowids of a table whose key is text.
      await sql`create virtual table marketplace_listing_search using fts5(listing_id unindexed, title, summary, tags_text, description, tokenize = 'porter unicode61')`.execute(
        db,
      );
      await sql`create trigger marketplace_listings_search_insert after insert on marketplace_listings begin
          insert into marketplace_listing_search (listing_id, title, summary, tags_text, description)
          values (new.id, new.title, new.summary, new.tags_text, new.description);
        end`.execute(db);
      await sql`create trigger marketplace_listings_search_update after update of title, summary, tags_text, description on marketplace_listings begin
          delete from marketplace_listing_search where listing_id = old.id;
          insert into marketplace_listing_search (listing_id, title, summary, tags_text, description)
          values (new.id, new.title, new.summary, new.tags_text, new.description);
        end`.execute(db);
      await sql`create trigger marketplace_listings_search_delete after delete on marketplace_listings begin
          delete from marketplace_listing_search where listing_id = old.id;
        end`.execute(db);
    },
  };
}
