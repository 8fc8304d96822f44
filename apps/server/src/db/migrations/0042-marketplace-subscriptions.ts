import { type Kysely, type Migration, sql } from 'kysely';
import type { Engine } from '../database.js';

/**
 * Subscriptions to marketplace listings (issue 20, item 6; decision 0038): monthly ones, charged
 * at the start of every period by the renewal job, and usage-metered ones, charged per task done,
 * per run or per 1,000 tokens by the metering job and stopped at their spending limit. What a
 * period cost is read from the ledger; the row keeps only where the period stands, the tokens not
 * yet charged (less than a unit), and whether the 80 % warning went out for this period.
 */
export function createMarketplaceSubscriptionsMigration(engine: Engine): Migration {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  const amount = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('marketplace_subscriptions')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('listing_id', 'text', (column) => column.notNull().references('marketplace_listings.id').onDelete('cascade'))
        .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('model', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('monthly_credits', amount)
        .addColumn('unit', 'text')
        .addColumn('credits_per_unit', amount)
        .addColumn('spending_limit_credits', amount)
        .addColumn('uncharged_tokens', amount, (column) => column.notNull().defaultTo(0))
        .addColumn('period_number', 'integer', (column) => column.notNull())
        .addColumn('period_start', timestamp, (column) => column.notNull())
        .addColumn('period_end', timestamp, (column) => column.notNull())
        .addColumn('cancel_at_period_end', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('warned_period', 'integer')
        .addColumn('stopped_reason', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', timestamp, (column) => column.notNull())
        .addColumn('updated_at', timestamp, (column) => column.notNull())
        .execute();
      // One subscription a workspace holds to a listing at a time; an ended one makes room for the next.
      await sql`create unique index marketplace_subscriptions_holder on marketplace_subscriptions (listing_id, workspace_id) where status <> 'ended'`.execute(
        db,
      );
      // The renewal job asks for live subscriptions whose period is over.
      await db.schema
        .createIndex('marketplace_subscriptions_due')
        .on('marketplace_subscriptions')
        .columns(['status', 'period_end'])
        .execute();
      // Usage is metered from the moment this version is deployed on: nothing before could be subscribed by use.
      const latest = await sql<{ seq: number | string | null }>`select max(seq) as seq from events`.execute(db);
      await sql`insert into event_cursors (name, seq, updated_at) values ('marketplace-usage', ${Number(latest.rows[0]?.seq ?? 0)}, ${new Date().toISOString()})`.execute(
        db,
      );
      await db.schema
        .createIndex('marketplace_subscriptions_workspace')
        .on('marketplace_subscriptions')
        .columns(['workspace_id', 'model'])
        .execute();
    },
  };
}
